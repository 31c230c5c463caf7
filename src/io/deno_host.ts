/**
 * The Deno host, the default one: files on the local file system (atomic writes with temp + rename), settings
 * from environment variables, versions from `Deno.version`, the CPU model from `/proc/cpuinfo`, the commit from
 * `git`, progress on standard error. `Deno.*` is only touched inside the methods, so a browser bundle that
 * includes this module (as the default of `host.ts`) never runs it.
 * @module
 */
import { isMissing, removeStaleTempFiles, writeFileAtomic } from "./atomic_write.ts";
import type { Host } from "./host.ts";
import type { ProgressSink } from "./progress.ts";

const repoRoot = new URL("../../", import.meta.url);

/** Runs git with `args` in the working directory; its trimmed output, or null when git fails or is missing. */
async function git(args: string[]): Promise<string | null> {
  try {
    const out = await new Deno.Command("git", { args, stdout: "piped", stderr: "null" }).output();
    return out.success ? new TextDecoder().decode(out.stdout).trim() : null;
  } catch {
    return null;
  }
}

/** The terminal's standard error as a progress sink. */
function stderrSink(): ProgressSink {
  const isTerminal = Deno.stderr.isTerminal();
  let columns = 80;
  if (isTerminal) {
    try {
      columns = Deno.consoleSize().columns;
    } catch {
      // keep 80 when the size is unavailable
    }
  }
  const encoder = new TextEncoder();
  return { isTerminal, columns, write: (text) => void Deno.stderr.writeSync(encoder.encode(text)) };
}

/** The host of the command line, tests and tools. */
export const denoHost: Host = {
  name: "deno",
  readBytes: (path) => Deno.readFile(path),
  exists: async (path) => !(await isMissing(path)),
  writeBytesAtomic: (path, data) => writeFileAtomic(path, data),
  removeStaleTempFiles: (dir) => removeStaleTempFiles(dir),
  setting: (name) => Deno.env.get(name),
  repoFile: (relative) => new URL(relative, repoRoot).pathname,
  runtime: () => ({
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    typescript: Deno.version.typescript,
    os: Deno.build.os,
    arch: Deno.build.arch,
  }),
  async cpuModel() {
    try {
      const info = await Deno.readTextFile("/proc/cpuinfo");
      return /^model name\s*:\s*(.+)$/m.exec(info)?.[1].trim() ?? null;
    } catch {
      return null;
    }
  },
  gitCommit: () => git(["rev-parse", "HEAD"]),
  async gitDirty() {
    const status = await git(["status", "--porcelain"]);
    return status === null ? null : status.length > 0;
  },
  progressSink: stderrSink,
};
