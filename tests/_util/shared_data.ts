/**
 * Tests that need `<FACEBENCH_SHARED_DATA>` (ORL, MTCNN weights): when it is missing they are skipped with a loud
 * warning on a developer's machine, and run (and fail) in CI, where the data must be present.
 * @module
 */
import { exists, joinPath, sharedDataDir } from "../../src/data/files.ts";
import { isCi } from "./ci.ts";

/** Whether a path below the shared data directory exists; warns loudly (once per path) when it does not. */
export async function sharedDataPresent(relative: string): Promise<boolean> {
  const path = joinPath(sharedDataDir(), relative);
  if (await exists(path)) return true;
  console.warn(
    `\n*** SHARED DATA MISSING: ${path} — tests that need it are SKIPPED here (they fail in CI). ` +
      `Set FACEBENCH_SHARED_DATA to the shared data directory. ***\n`,
  );
  return false;
}

/** `ignore` flag of a test that needs the shared data: skipped when absent, except in CI. */
export function skipWithout(present: boolean): boolean {
  return !present && !isCi();
}
