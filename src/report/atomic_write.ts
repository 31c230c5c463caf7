/**
 * Atomic file writes: data goes to a temporary file in the target's directory, is flushed to disk, then renamed
 * over the target, so readers (and a resumed run after `kill -9`) see either the old file or the new one.
 * @module
 */
import { dirname } from "node:path";

/** Writes `data` (bytes, or text as UTF-8) to `path` atomically, creating parent directories. */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  await Deno.mkdir(dirname(path), { recursive: true });
  const temp = `${path}.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  const file = await Deno.open(temp, { write: true, createNew: true });
  try {
    for (let offset = 0; offset < bytes.length;) offset += await file.write(bytes.subarray(offset));
    await file.sync();
  } catch (error) {
    file.close();
    await Deno.remove(temp);
    throw error;
  }
  file.close();
  try {
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp);
    throw new Error(`writeFileAtomic: cannot rename ${temp} to ${path}: ${(error as Error).message}`);
  }
}
