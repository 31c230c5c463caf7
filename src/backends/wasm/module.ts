/**
 * Loading the kernel module (`wasm-simd/kernels.wasm`) and instantiating it on a shared memory, the same way on
 * the main thread and in every worker.
 * @module
 */
import { resourceUrl } from "../../core/resources.ts";

/** A kernel export: runs tasks [t0, t1) of the call described by the parameter block at `params`. */
export type KernelFn = (params: number, t0: number, t1: number, scratch: number) => void;

/**
 * Kernel build: "deterministic" (plain SIMD128, bit-identical on every CPU) or "fast" (relaxed multiply-add in
 * the GEMM and depthwise kernels: fused where V8 emits an FMA instruction — x86-64 with FMA3, arm64 — and a multiply
 * then an add elsewhere; `WasmRuntime.multiplyAddFused` says which).
 */
export type SimdMode = "deterministic" | "fast";

/** Compiles the committed kernel module of `mode`. */
export async function compileKernels(mode: SimdMode): Promise<WebAssembly.Module> {
  const file = mode === "fast" ? "kernels_fast.wasm" : "kernels.wasm";
  const url = new URL(file, resourceUrl("wasm-kernels-dir", new URL("../../../wasm-simd/", import.meta.url)));
  const response = await fetch(url);
  if (!response.ok) throw new Error(`wasm backend: cannot load ${url.href}: HTTP ${response.status}`);
  return WebAssembly.compile(await response.arrayBuffer());
}

/** Bytes of one WebAssembly memory page. */
export const PAGE_BYTES = 65536;
/** Pages of the largest linear memory a 32-bit module can address (4 GiB). */
export const MAX_MEMORY_PAGES = 65536;

/** A shared linear memory for the kernels (grows on demand up to 4 GiB). */
export function createMemory(initialBytes: number): WebAssembly.Memory {
  return new WebAssembly.Memory({
    initial: Math.ceil(initialBytes / PAGE_BYTES),
    maximum: MAX_MEMORY_PAGES,
    shared: true,
  });
}

/** Instantiates the module on `memory`, with the host math functions the kernels import. */
export function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): WebAssembly.Instance {
  const env = {
    memory,
    exp: Math.exp,
    log: Math.log,
    tanh: Math.tanh,
    sin: Math.sin,
    cos: Math.cos,
    acos: Math.acos,
    pow: Math.pow,
  };
  return new WebAssembly.Instance(module, { env });
}

/** Function exports that describe the build rather than run tasks: blocking constants, the multiply-add probe. */
const BUILD_INFO_EXPORTS = new Set(["blocking", "multiply_add_fused"]);

/** The kernel exports of an instance, indexed in the module's export order (the same on every thread). */
export function kernelFunctions(module: WebAssembly.Module, instance: WebAssembly.Instance): Map<string, KernelFn> {
  const fns = new Map<string, KernelFn>();
  for (const e of WebAssembly.Module.exports(module)) {
    if (e.kind === "function" && !BUILD_INFO_EXPORTS.has(e.name)) fns.set(e.name, instance.exports[e.name] as KernelFn);
  }
  return fns;
}

/** Gives an instance its own C stack: the `stackBytes` below `top`. */
export function setStack(instance: WebAssembly.Instance, top: number): void {
  (instance.exports.__stack_pointer as WebAssembly.Global).value = top;
}
