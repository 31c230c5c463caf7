/**
 * The backends every shared test runs on, with their parity tolerances, and how tests on them are registered.
 *
 * Each registered backend is tested (CPU backends at 1 and 2 threads). Whether a backend can be created here (WebGPU
 * needs an adapter) is probed once per test module, when it is imported, so a test on a missing backend is
 * registered as **ignored** and Deno's summary counts it so. Under CI=true the missing backend fails the run through
 * the one test of {@link registerAvailabilityTests}, never silently.
 * @module
 */
import type { Backend } from "../../src/core/backend.ts";
import { backendNames, createBackend } from "../../src/backends/registry.ts";
import { isCi } from "./ci.ts";

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

/** The WebGPU configuration (also the one of the WebGPU backend's own tests). */
export const WEBGPU_CASE: BackendCase = { label: "webgpu", name: "webgpu", tolerance: 2e-4 };

/** The configurations under test; FACEBENCH_TEST_BACKENDS (comma list of labels) narrows them. */
export function backendCases(): BackendCase[] {
  const all: BackendCase[] = [];
  for (const name of backendNames()) {
    if (name === "reference") continue;
    if (name === "wasm") {
      all.push({ label: "wasm/1t", name, threads: 1, tolerance: 1e-4 });
      all.push({ label: "wasm/2t", name, threads: 2, tolerance: 1e-4 });
    } else if (name === "webgpu") {
      all.push(WEBGPU_CASE);
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
const unavailable = new Map<string, string | null>();

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
 * Tries to create the backend of `c` (kept for the tests) and remembers why it failed; resolves to that reason,
 * or null when the backend works here. Call it at module top level before registering tests on `c`.
 */
export async function probeBackend(c: BackendCase): Promise<string | null> {
  if (!unavailable.has(c.label)) {
    unavailable.set(c.label, await backendFor(c).then(() => null, (error: Error) => error.message));
  }
  return unavailable.get(c.label)!;
}

/** Why the backend of `c` cannot run here (null when it can); `c` must have been probed. */
export function unavailableReason(c: BackendCase): string | null {
  const reason = unavailable.get(c.label);
  if (reason === undefined) throw new Error(`backend ${c.label} was not probed before its tests were registered`);
  return reason;
}

/**
 * Registers the test `name` on the backend of `c` (probed beforehand): it runs `fn` with the backend, or is
 * registered as ignored when the backend cannot be created here (CI=true included: the availability test fails).
 */
export function backendTest(c: BackendCase, name: string, fn: (backend: Backend) => Promise<void>): void {
  Deno.test({
    name,
    ignore: unavailableReason(c) !== null,
    sanitizeOps: false,
    sanitizeResources: false,
    fn: async () => await fn(await backendFor(c)),
  });
}

/**
 * Probes `cases` and registers one test per backend that says whether it can run here: it passes when the backend
 * is created, fails under CI=true when it cannot (with the whole reason), and elsewhere is ignored with the
 * reason's first sentence in its name.
 */
export async function registerAvailabilityTests(cases: readonly BackendCase[]): Promise<void> {
  for (const c of cases) {
    const reason = await probeBackend(c);
    const firstSentence = reason?.split(". ")[0];
    Deno.test({
      name: `backend ${c.label} is available${
        reason === null ? "" : ` (NOT AVAILABLE, its tests are ignored: ${firstSentence})`
      }`,
      ignore: reason !== null && !isCi(),
      sanitizeOps: false,
      sanitizeResources: false,
      fn: () => {
        if (reason !== null) throw new Error(`${c.label}: ${reason} (CI=true requires every backend)`);
      },
    });
  }
}

await Promise.all(backendCases().map(probeBackend));
