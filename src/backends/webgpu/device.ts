/**
 * Adapter and device setup: requests the adapter's real limits (not the WebGPU defaults) and reads its info.
 * @module
 */

/** What the adapter says about itself, for reports. */
export interface AdapterDetails {
  /** GPU vendor (PCI id or name, as the driver reports it). */
  vendor: string;
  /** GPU architecture family. */
  architecture: string;
  /** Human-readable adapter name, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)". */
  description: string;
  /** True for a software (CPU) adapter such as Mesa llvmpipe. */
  isFallbackAdapter: boolean;
}

/** An opened device with the facts about its adapter. */
export interface GpuDevice {
  /** The logical device. */
  device: GPUDevice;
  /** Adapter info, read field by field. */
  details: AdapterDetails;
}

const HELP = "WebGPU needs a GPU driver or Mesa's software rasterizer: on Debian/Ubuntu install " +
  "`mesa-vulkan-drivers libegl-mesa0 libgl1-mesa-dri` (Vulkan/lavapipe, the default) or set " +
  "DENO_WEBGPU_BACKEND=gl to use Mesa's GL driver; or choose another backend with --backend wasm|reference";

/** The limits worth raising to the adapter's maximum: big storage buffers, many bindings, big workgroups. */
const RAISED_LIMITS = [
  "maxStorageBufferBindingSize",
  "maxBufferSize",
  "maxStorageBuffersPerShaderStage",
  "maxComputeWorkgroupStorageSize",
  "maxComputeInvocationsPerWorkgroup",
  "maxComputeWorkgroupSizeX",
  "maxComputeWorkgroupSizeY",
  "maxComputeWorkgroupsPerDimension",
] as const;

/** Reads the adapter info getters one by one (the object itself serialises to `{}`). */
function readDetails(adapter: GPUAdapter): AdapterDetails {
  const info = adapter.info;
  return {
    vendor: String(info.vendor ?? ""),
    architecture: String(info.architecture ?? ""),
    description: String(info.description ?? ""),
    isFallbackAdapter: Boolean((info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter),
  };
}

/** Opens the default adapter and a device with its real limits; throws a message saying why and what to install. */
export async function openDevice(): Promise<GpuDevice> {
  const gpu = (globalThis.navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) throw new Error(`webgpu: navigator.gpu is not available in this runtime. ${HELP}`);
  const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  if (!adapter) throw new Error(`webgpu: no GPU adapter found (navigator.gpu.requestAdapter() returned null). ${HELP}`);
  const requiredLimits: Record<string, number> = {};
  for (const name of RAISED_LIMITS) requiredLimits[name] = adapter.limits[name];
  const details = readDetails(adapter);
  try {
    return { device: await adapter.requestDevice({ requiredLimits }), details };
  } catch (error) {
    throw new Error(`webgpu: requestDevice failed on adapter "${details.description}": ${(error as Error).message}`);
  }
}
