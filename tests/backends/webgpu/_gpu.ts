/**
 * Helpers of the WebGPU backend tests: the shared backend (probed on import; without an adapter the tests are
 * registered as ignored, and under CI=true the availability test fails, see tests/_util/backends.ts), seeded random
 * tensors, and parity-plus-determinism checks against the reference backend.
 * @module
 */
import assert from "node:assert";
import type { Backend } from "../../../src/core/backend.ts";
import { ReferenceBackend } from "../../../src/backends/reference/backend.ts";
import type { WebGpuBackend } from "../../../src/backends/webgpu/backend.ts";
import { hashString, Rng } from "../../../src/core/rng.ts";
import { scope } from "../../../src/core/scope.ts";
import type { Tensor } from "../../../src/core/tensor.ts";
import { tensor } from "../../../src/ops/mod.ts";
import { backendTest, probeBackend, WEBGPU_CASE } from "../../_util/backends.ts";
import { relativeError } from "../../_util/op_case.ts";

await probeBackend(WEBGPU_CASE);

/** Registers a test that runs on the WebGPU backend (ignored when there is no adapter). */
export function gpuTest(name: string, fn: (gpu: WebGpuBackend) => Promise<void>): void {
  backendTest(WEBGPU_CASE, `webgpu: ${name}`, (gpu) => fn(gpu as WebGpuBackend));
}

/** Host data of one input: a shape with seeded uniform values in `range` (integers in [lo, hi) for i32). */
export interface HostInput {
  /** dimensions */
  shape: number[];
  /** element type (default f32) */
  dtype?: "f32" | "i32";
  /** value range (default [−1, 1]) */
  range?: [number, number];
}

/** The computation under test: inputs created on `backend` → tensors to compare. */
export type Run = (inputs: Tensor[], backend: Backend) => Tensor[];

/** Seeded host values for the inputs of the check `name`. */
function hostValues(name: string, inputs: readonly HostInput[]): Float64Array[] {
  const rng = new Rng(hashString(name), "webgpu-test");
  return inputs.map((spec) => {
    const [lo, hi] = spec.range ?? [-1, 1];
    const n = spec.shape.reduce((a, b) => a * b, 1);
    return Float64Array.from({ length: n }, () => spec.dtype === "i32" ? lo + rng.int(hi - lo) : rng.uniform(lo, hi));
  });
}

/** Runs `run` on `backend` with the host inputs and reads every output (and every input, for in-place ops). */
async function evaluate(
  backend: Backend,
  inputs: readonly HostInput[],
  host: readonly Float64Array[],
  run: Run,
): Promise<number[][]> {
  const ts = inputs.map((spec, i) => tensor(backend, host[i], spec.shape, spec.dtype));
  const outs = scope(() => run(ts, backend));
  const values = await Promise.all([...outs, ...ts].map((t) => t.toArray()));
  for (const t of [...outs, ...ts]) t.dispose();
  return values;
}

const reference = new ReferenceBackend();

/**
 * Checks that `run` on WebGPU matches the f32 reference backend within `tolerance` (relative to max(1, |ref|)),
 * for every output and every input after the run (in-place updates), and that a second WebGPU run is
 * bit-identical to the first.
 */
export async function checkParity(
  gpu: WebGpuBackend,
  name: string,
  inputs: readonly HostInput[],
  run: Run,
  tolerance = 2e-4,
): Promise<void> {
  const host = hostValues(name, inputs);
  const want = await evaluate(reference, inputs, host, run);
  const first = await evaluate(gpu, inputs, host, run);
  const second = await evaluate(gpu, inputs, host, run);
  want.forEach((w, k) => {
    const err = relativeError(first[k], w);
    assert.ok(err <= tolerance, `${name}: tensor ${k} differs from the reference by ${err} (tolerance ${tolerance})`);
    assert.deepStrictEqual(
      Float32Array.from(second[k]),
      Float32Array.from(first[k]),
      `${name}: tensor ${k} differs between two identical runs`,
    );
  });
}
