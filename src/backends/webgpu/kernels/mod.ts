/**
 * The WebGPU backend's complete kernel table, one WGSL shader per op (`shaders/<op>.wgsl`).
 * @module
 */
import type { GpuRuntime } from "../runtime.ts";
import type { GpuTable } from "./common.ts";
import { elementwiseKernels } from "./elementwise.ts";
import { indexingKernels } from "./indexing.ts";
import { linalgKernels } from "./linalg.ts";
import { movementKernels } from "./movement.ts";
import { normKernels } from "./norm.ts";
import { poolKernels } from "./pool.ts";
import { reduceKernels } from "./reduce.ts";
import { resizeKernels } from "./resize.ts";
import { softmaxKernels } from "./softmax.ts";
import { trainingKernels } from "./training.ts";

/** Every kernel, encoding its dispatches on `rt`. */
export function webgpuKernels(rt: GpuRuntime): GpuTable {
  return {
    ...elementwiseKernels(rt),
    ...reduceKernels(rt),
    ...linalgKernels(rt),
    ...normKernels(rt),
    ...poolKernels(rt),
    ...resizeKernels(rt),
    ...softmaxKernels(rt),
    ...movementKernels(rt),
    ...indexingKernels(rt),
    ...trainingKernels(rt),
  };
}
