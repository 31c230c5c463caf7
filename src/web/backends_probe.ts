/**
 * What a page's browser offers the benchmark: WebGPU with its adapter's description when `navigator.gpu` gives
 * an adapter, and WASM with the threads it may use (its shared memory needs `crossOriginIsolated`, which the
 * server's COOP/COEP headers give).
 * @module
 */

/** One backend as the page lists it. */
export interface OfferedBackend {
  /** registry name */
  name: "wasm" | "webgpu";
  /** whether the page can run it */
  available: boolean;
  /** one line about it (adapter, threads, or why it is missing) */
  detail: string;
  /** threads the WASM backend may use (WebGPU: 1) */
  threads: number;
}

/** The WebGPU entry: the adapter's vendor/architecture/device/description, or why there is none. */
async function webgpuOffer(): Promise<OfferedBackend> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return { name: "webgpu", available: false, detail: "navigator.gpu is missing", threads: 1 };
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) return { name: "webgpu", available: false, detail: "no WebGPU adapter", threads: 1 };
  const info = adapter.info;
  const words = [info.vendor, info.architecture, info.device, info.description].filter((w) => w);
  return { name: "webgpu", available: true, detail: words.join(" / ") || "adapter without a description", threads: 1 };
}

/**
 * The WASM entry: the kernels share one `WebAssembly.Memory({shared:true})`, which needs `crossOriginIsolated`;
 * then `hardwareConcurrency` threads (capped at `maxThreads`).
 */
function wasmOffer(maxThreads: number): OfferedBackend {
  if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== true) {
    return { name: "wasm", available: false, detail: "not crossOriginIsolated: no shared memory", threads: 1 };
  }
  const threads = Math.max(1, Math.min(navigator.hardwareConcurrency, maxThreads));
  const detail = `SIMD128, crossOriginIsolated: ${threads} thread(s) of ${navigator.hardwareConcurrency} logical cores`;
  return { name: "wasm", available: true, detail, threads };
}

/** The backends this browser offers, WASM first. */
export async function offeredBackends(maxThreads: number): Promise<OfferedBackend[]> {
  return [wasmOffer(maxThreads), await webgpuOffer()];
}
