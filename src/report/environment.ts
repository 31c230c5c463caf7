/**
 * Collects the run environment for a report: Deno/V8/TypeScript versions, OS, CPU model and core count, git
 * commit (and whether the tree is dirty), the backends used and the dataset identity.
 * @module
 */
import type { Environment } from "./schema.ts";

async function git(args: string[]): Promise<string | null> {
  try {
    const out = await new Deno.Command("git", { args, stdout: "piped", stderr: "null" }).output();
    return out.success ? new TextDecoder().decode(out.stdout).trim() : null;
  } catch {
    return null;
  }
}

/** The CPU model named in `/proc/cpuinfo` (null where there is none). */
export async function cpuModel(): Promise<string | null> {
  try {
    const info = await Deno.readTextFile("/proc/cpuinfo");
    return /^model name\s*:\s*(.+)$/m.exec(info)?.[1].trim() ?? null;
  } catch {
    return null;
  }
}

/** The git commit of the working tree (null outside a git checkout). */
export function gitCommit(): Promise<string | null> {
  return git(["rev-parse", "HEAD"]);
}

/** Describes this machine and checkout; `backends` and `dataset` come from the run. */
export async function collectEnvironment(
  backends: Environment["backends"],
  dataset: Environment["dataset"],
): Promise<Environment> {
  const commit = await gitCommit();
  const status = commit === null ? null : await git(["status", "--porcelain"]);
  return {
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    typescript: Deno.version.typescript,
    os: Deno.build.os,
    arch: Deno.build.arch,
    cpu: { model: await cpuModel(), cores: navigator.hardwareConcurrency },
    gitCommit: commit,
    gitDirty: status === null ? null : status.length > 0,
    backends,
    dataset,
  };
}
