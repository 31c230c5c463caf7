/**
 * Whether tests run under CI semantics (CI=true), where nothing may be skipped: a missing backend, browser or data
 * set fails the run.
 * @module
 */

/** True under CI=true. */
export function isCi(): boolean {
  return Deno.env.get("CI") === "true";
}
