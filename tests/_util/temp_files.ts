/**
 * Helpers for tests that use temporary files: a scoped temporary directory, and for the stale temporary file tests a
 * dead pid, files with a given age, directory listings.
 */

/** The pid of a process that has exited. */
export async function deadPid(): Promise<number> {
  const child = new Deno.Command("true").spawn();
  await child.status;
  return child.pid;
}

/** Creates `dir/name` (a file, or a directory) last modified `ageMs` ago. */
export async function touch(dir: string, name: string, ageMs: number, kind: "file" | "dir" = "file"): Promise<string> {
  const path = `${dir}/${name}`;
  if (kind === "dir") await Deno.mkdir(path);
  else await Deno.writeFile(path, new Uint8Array(16));
  const when = new Date(Date.now() - ageMs);
  await Deno.utime(path, when, when);
  return path;
}

/** Sorted names of the entries of `dir`. */
export async function remaining(dir: string): Promise<string[]> {
  return (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();
}

/** Runs `body` with a fresh temporary directory, removed afterwards whatever happens. */
export async function withTempDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir();
  try {
    return await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
