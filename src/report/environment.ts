/**
 * Collects the run environment for a report from the host (`src/io/host.ts`): Deno/V8/TypeScript versions, OS,
 * CPU model and core count, git commit (and whether the tree is dirty), the backends used and the dataset identity;
 * and tells a report run in a browser page from a command-line run.
 * @module
 */
import { BROWSER_PAGE_RUNTIME } from "../io/browser_host.ts";
import { host } from "../io/host.ts";
import type { Environment } from "./schema.ts";

/** The CPU model the host names (`/proc/cpuinfo` under Deno; null where there is none). */
export function cpuModel(): Promise<string | null> {
  return host().cpuModel();
}

/** The git commit of the code (null outside a git checkout). */
export function gitCommit(): Promise<string | null> {
  return host().gitCommit();
}

/** Describes this machine and checkout; `backends` and `dataset` come from the run. */
export async function collectEnvironment(
  backends: Environment["backends"],
  dataset: Environment["dataset"],
): Promise<Environment> {
  const commit = await gitCommit();
  return {
    ...host().runtime(),
    cpu: { model: await cpuModel(), cores: navigator.hardwareConcurrency },
    gitCommit: commit,
    gitDirty: commit === null ? null : await host().gitDirty(),
    backends,
    dataset,
  };
}

/** The browser that ran a report's run in a page (e.g. "HeadlessChrome 156.0.8078.114"), or null for a Deno run. */
export function pageBrowser(environment: Environment): string | null {
  return environment.deno.startsWith(BROWSER_PAGE_RUNTIME) ? environment.v8 : null;
}

/** Where a report's run happened, in words: "a browser page (Chromium 156…)" or "the command line (Deno 2.9.6)". */
export function runHost(environment: Environment): string {
  const browser = pageBrowser(environment);
  return browser === null ? `the command line (Deno ${environment.deno})` : `a browser page (${browser})`;
}
