/**
 * The Deno host, the default one: files on the local file system (atomic writes with temp + rename), settings
 * from environment variables, versions from `Deno.version`, the CPU model from `/proc/cpuinfo`, the commit from
 * `git`, progress on standard error. `Deno.*` is only touched inside the methods, so a browser bundle that
 * includes this module (as the default of `host.ts`) never runs it.
 * @module
 */
import { isMissing, removeStaleTempFiles, writeFileAtomic } from "./atomic_write.ts";
import type { Host } from "./host.ts";
import { NotAFileError, type PathInfo, type ReadableFile } from "./host_files.ts";
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

/** What Deno's `stat` says, in the host's terms. */
function pathInfo(info: Deno.FileInfo): PathInfo {
  return {
    isFile: info.isFile,
    isDirectory: info.isDirectory,
    size: info.size,
    modifiedMs: info.mtime?.getTime() ?? null,
  };
}

/** `stat` of `path` (links followed), or null when nothing is there. */
async function statOrNull(path: string): Promise<PathInfo | null> {
  try {
    return pathInfo(await Deno.stat(path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

/** Opens the regular file at `path` for positioned reads (see {@link Host.openFile}). */
function openFile(path: string): ReadableFile {
  const info = Deno.statSync(path);
  if (!info.isFile) throw new NotAFileError(path, info.isDirectory ? "directory" : "special file");
  const file = Deno.openSync(path, { read: true });
  return {
    size: info.size,
    readAt(offset, out) {
      file.seekSync(offset, Deno.SeekMode.Start);
      let done = 0;
      while (done < out.length) {
        const n = file.readSync(out.subarray(done));
        if (!n) break;
        done += n;
      }
      return done;
    },
    close: () => file.close(),
  };
}

/** The host of the command line, tests and tools. */
export const denoHost: Host = {
  name: "deno",
  readBytes: (path) => Deno.readFile(path),
  exists: async (path) => !(await isMissing(path)),
  writeBytesAtomic: (path, data) => writeFileAtomic(path, data),
  stat: statOrNull,
  listDir: (dir) => Array.fromAsync(Deno.readDir(dir)),
  realPath: (path) => Deno.realPath(path),
  openFile,
  makeDir: (dir) => Deno.mkdir(dir, { recursive: true }),
  appendBytes: (path, data) => Deno.writeFile(path, data, { append: true }),
  rename: (from, to) => Deno.rename(from, to),
  remove: (path, options) => Deno.remove(path, { recursive: options?.recursive ?? false }),
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
