/**
 * The backends every shared test runs on, with their parity tolerances.
 *
 * Each registered backend is tested (CPU backends at 1 and 2 threads). A backend that cannot be created (e.g.
 * WebGPU without an adapter) is reported loudly; under CI=true that is a test failure, never a silent skip.
 */
import type { Backend } from "../../src/backends/backend.ts";
import { backendNames, createBackend } from "../../src/backends/registry.ts";

/** One backend configuration under test. */
export interface BackendCase {
  /** label used in test names, e.g. "wasm/2t" */
  label: string;
  /** backend name for the registry */
  name: string;
  /** thread count passed to the factory */
  threads?: number;
  /** parity tolerance: max |got − ref| / max(1, max |ref|) */
  tolerance: number;
}

/** The configurations under test; FACEBENCH_TEST_BACKENDS (comma list of labels) narrows them. */
export function backendCases(): BackendCase[] {
  const all: BackendCase[] = [];
  for (const name of backendNames()) {
    if (name === "reference") continue;
    if (name === "wasm") {
      all.push({ label: "wasm/1t", name, threads: 1, tolerance: 1e-4 });
      all.push({ label: "wasm/2t", name, threads: 2, tolerance: 1e-4 });
    } else {
      all.push({ label: name, name, tolerance: 2e-4 });
    }
  }
  const filter = Deno.env.get("FACEBENCH_TEST_BACKENDS");
  if (!filter) return all;
  const wanted = filter.split(",").map((s) => s.trim());
  return all.filter((c) => wanted.includes(c.label) || wanted.includes(c.name));
}

const cache = new Map<string, Promise<Backend>>();

/** The backend for a case, created once per test process. */
export function backendFor(c: BackendCase): Promise<Backend> {
  let p = cache.get(c.label);
  if (!p) {
    p = createBackend(c.name, { threads: c.threads });
    cache.set(c.label, p);
  }
  return p;
}

/**
 * Creates the backend or explains loudly why it is missing: throws under CI=true, returns null otherwise
 * (the caller then records the test as not run on that backend, with the reason printed).
 */
export async function backendOrReport(c: BackendCase): Promise<Backend | null> {
  try {
    return await backendFor(c);
  } catch (error) {
    const message = `BACKEND UNAVAILABLE: ${c.label}: ${(error as Error).message}`;
    if (Deno.env.get("CI") === "true") throw new Error(`${message} (CI requires every backend)`);
    console.error(`\n!!! ${message}\n!!! Tests on ${c.label} did NOT run on this machine.\n`);
    return null;
  }
}
