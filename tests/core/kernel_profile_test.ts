import assert from "node:assert";
import { convolutionDetail, convolutionLayerDetail, KernelProfile } from "../../src/core/kernel_profile.ts";
import type { KernelTable } from "../../src/core/kernels.ts";
import { WasmBackend } from "../../src/backends/wasm/backend.ts";
import { scope } from "../../src/core/scope.ts";
import { conv2d, tensor } from "../../src/ops/mod.ts";

const view = (shape: number[]) => ({ shape });
const attrs = (groups: number, stride = 1) => ({
  strides: [stride, stride],
  padding: [1, 1],
  dilations: [1, 1],
  groups,
});

/** A kernel table with working stubs of the three convolution kernels and relu, and a clock that ticks 1 ms per reading. */
function profiled(detail?: typeof convolutionDetail) {
  let clock = 0;
  const profile = new KernelProfile(() => clock++, detail);
  const table = {
    conv2d: () => {},
    conv2d_grad_input: () => {},
    conv2d_grad_weight: () => {},
    relu: () => {},
  } as unknown as KernelTable<number>;
  return { profile, kernels: profile.wrap(table) as unknown as Record<string, (...args: unknown[]) => void> };
}

Deno.test("kernel profile: one timing per op by default, counting calls and clock time", () => {
  const { profile, kernels } = profiled();
  kernels.conv2d([view([1, 8, 8, 4]), view([3, 3, 4, 4])], [], attrs(1));
  kernels.conv2d([view([1, 8, 8, 4]), view([1, 1, 4, 4])], [], attrs(1));
  kernels.relu([], [], {});
  assert.deepEqual(profile.timings(), [
    { kernel: "conv2d", calls: 2, milliseconds: 2 },
    { kernel: "relu", calls: 1, milliseconds: 1 },
  ]);
  profile.reset();
  assert.deepEqual(profile.timings(), []);
});

Deno.test("kernel profile: convolutionDetail splits convolutions by filter, grouping and stride", () => {
  const { profile, kernels } = profiled(convolutionDetail);
  kernels.conv2d([view([1, 8, 8, 4]), view([3, 3, 4, 4])], [], attrs(1));
  kernels.conv2d([view([1, 8, 8, 4]), view([1, 1, 4, 6])], [], attrs(1));
  kernels.conv2d([view([1, 8, 8, 6]), view([3, 3, 1, 6])], [], attrs(6, 2));
  kernels.conv2d([view([1, 8, 8, 6]), view([3, 3, 3, 6])], [], attrs(2));
  kernels.conv2d_grad_weight([view([1, 8, 8, 4]), view([1, 8, 8, 4])], [], {
    ...attrs(1),
    filterShape: [1, 1, 4, 4],
  });
  kernels.relu([], [], {});
  assert.deepEqual(profile.timings().map((t) => t.kernel).sort(), [
    "conv2d 1×1",
    "conv2d 3×3",
    "conv2d 3×3 2 groups",
    "conv2d 3×3 depthwise s2",
    "conv2d_grad_weight 1×1",
    "relu",
  ]);
});

Deno.test("kernel profile: convolutionLayerDetail names the forward layer of every convolution pass", () => {
  const { profile, kernels } = profiled(convolutionLayerDetail);
  const [x, w, y] = [view([2, 8, 8, 4]), view([3, 3, 4, 6]), view([2, 4, 4, 6])];
  kernels.conv2d([x, w], [y], attrs(1, 2));
  kernels.conv2d_grad_input([y, w], [x], attrs(1, 2));
  kernels.conv2d_grad_weight([x, y], [w], { ...attrs(1, 2), filterShape: [3, 3, 4, 6] });
  kernels.relu([], [], {});
  assert.deepEqual(profile.timings().map((t) => t.kernel).sort(), [
    "conv2d 3×3 s2 4×4 4→6",
    "conv2d_grad_input 3×3 s2 4×4 4→6",
    "conv2d_grad_weight 3×3 s2 4×4 4→6",
    "relu",
  ]);
});

Deno.test("kernel profile: phases are counted apart from kernels, most time first, and reset with them", () => {
  const { profile, kernels } = profiled();
  kernels.relu([], [], {});
  profile.recordPhase("sum_partials", 1);
  profile.recordPhase("winograd_filter", 2);
  profile.recordPhase("sum_partials", 3);
  assert.deepEqual(profile.phaseTimings(), [
    { kernel: "sum_partials", calls: 2, milliseconds: 4 },
    { kernel: "winograd_filter", calls: 1, milliseconds: 2 },
  ]);
  assert.deepEqual(profile.timings(), [{ kernel: "relu", calls: 1, milliseconds: 1 }]);
  profile.reset();
  assert.deepEqual(profile.phaseTimings(), []);
});

Deno.test("kernel profile: the wasm backend records the module exports its kernels run as phases", async () => {
  const profile = new KernelProfile();
  const backend = await WasmBackend.create({ threads: 1, profile });
  try {
    // A 3×3 stride-1 convolution with 64 tiles of 2×2: the filter transform, then the Winograd tiles.
    const x = tensor(backend, new Float32Array(2 * 8 * 8 * 3).fill(1), [2, 8, 8, 3]);
    const w = tensor(backend, new Float32Array(3 * 3 * 3 * 5).fill(1), [3, 3, 3, 5]);
    scope(() => void conv2d(x, w, { padding: 1 }));
    assert.deepEqual(profile.timings().map((t) => [t.kernel, t.calls]), [["conv2d", 1]]);
    assert.deepEqual(profile.phaseTimings().map((t) => [t.kernel, t.calls]).sort(), [
      ["conv2d_winograd", 1],
      ["winograd_filter", 1],
    ]);
  } finally {
    backend.destroy();
  }
});
