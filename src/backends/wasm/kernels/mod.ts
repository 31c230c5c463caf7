/**
 * The wasm backend's complete kernel table.
 * @module
 */
import type { KernelTable } from "../../../core/kernels.ts";
import type { Block } from "../allocator.ts";
import type { WasmRuntime } from "../runtime.ts";
import { unaryKernels } from "./elementwise.ts";
import { indexingKernels } from "./indexing.ts";
import { linalgKernels, type WinogradChoice } from "./linalg.ts";
import { normKernels } from "./norm.ts";
import { poolKernels } from "./pool.ts";
import { resizeKernels } from "./resize.ts";
import { softmaxKernels } from "./softmax.ts";
import { stridedKernels } from "./strided.ts";
import { trainingKernels } from "./training.ts";

/** Every kernel of the wasm backend, bound to one runtime; `winograd` picks the 3×3 convolution algorithms. */
export function wasmKernels(rt: WasmRuntime, winograd: WinogradChoice = "auto"): KernelTable<Block> {
  return {
    ...unaryKernels(rt),
    ...stridedKernels(rt),
    ...linalgKernels(rt, winograd),
    ...normKernels(rt),
    ...poolKernels(rt),
    ...resizeKernels(rt),
    ...softmaxKernels(rt),
    ...indexingKernels(rt),
    ...trainingKernels(rt),
  };
}
