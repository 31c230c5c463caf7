/**
 * WebGPU kernel benchmarks: GEMM 512 and 1024, 3×3 convolution 64→64 at 56×56 batch 8, and depthwise 3×3 at 56×56
 * (64 channels, batch 8). Each iteration encodes the kernel and waits for the device (`sync`), so GPU time is
 * inside the measurement; at the end a table prints GFLOP/s per entry together with the adapter description.
 * Run: `deno bench -A benchmarks/webgpu_bench.ts`. Without an adapter the file registers nothing and says why
 * (under CI=true it fails instead).
 */
import type { Backend } from "../src/core/backend.ts";
import { createBackend } from "../src/backends/registry.ts";
import { Rng } from "../src/core/rng.ts";
import { scope } from "../src/core/scope.ts";
import type { Tensor } from "../src/core/tensor.ts";
import { conv2d, matmul, tensor } from "../src/ops/mod.ts";

/** One benchmark entry: its work in floating-point operations and the kernel call it times. */
interface Entry {
  name: string;
  flop: number;
  run: () => void;
}

function random(backend: Backend, shape: number[], rng: Rng): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tensor(backend, Float32Array.from({ length: size }, () => rng.uniform(-1, 1)), shape);
}

function entries(gpu: Backend): Entry[] {
  const rng = new Rng(1, "webgpu-bench");
  const list: Entry[] = [];
  for (const n of [512, 1024]) {
    const a = random(gpu, [n, n], rng);
    const b = random(gpu, [n, n], rng);
    list.push({ name: `matmul ${n}×${n}×${n}`, flop: 2 * n ** 3, run: () => scope(() => void matmul(a, b)) });
  }
  const x = random(gpu, [8, 56, 56, 64], rng);
  const w = random(gpu, [3, 3, 64, 64], rng);
  const dw = random(gpu, [3, 3, 1, 64], rng);
  const pixels = 8 * 56 * 56;
  list.push({
    name: "conv2d 3×3 64→64 56×56 b8",
    flop: 2 * pixels * 9 * 64 * 64,
    run: () => scope(() => void conv2d(x, w, { padding: 1 })),
  });
  list.push({
    name: "depthwise conv2d 3×3 ×64 56×56 b8",
    flop: 2 * pixels * 9 * 64,
    run: () => scope(() => void conv2d(x, dw, { padding: 1, groups: 64 })),
  });
  return list;
}

async function open(): Promise<Backend | null> {
  try {
    return await createBackend("webgpu");
  } catch (error) {
    if (Deno.env.get("CI") === "true") throw error;
    console.error(`webgpu_bench: no WebGPU benchmarks on this machine: ${(error as Error).message}`);
    return null;
  }
}

const gpu = await open();
if (gpu) {
  const description = String(gpu.info().details.description);
  const measured = entries(gpu).map((e) => ({ ...e, samples: [] as number[] }));
  for (const e of measured) {
    Deno.bench({ name: `webgpu: ${e.name}`, group: "webgpu", n: 5, warmup: 1 }, async (b) => {
      b.start();
      const t0 = performance.now();
      e.run();
      await gpu.sync();
      e.samples.push(performance.now() - t0);
      b.end();
    });
  }
  globalThis.addEventListener("unload", () => {
    console.log(`\nWebGPU GFLOP/s on ${description} (best iteration):`);
    for (const e of measured.filter((m) => m.samples.length > 0)) {
      const best = Math.min(...e.samples);
      console.log(
        `  ${e.name.padEnd(36)} ${best.toFixed(1).padStart(8)} ms  ${(e.flop / best / 1e6).toFixed(2)} GFLOP/s`,
      );
    }
  });
}
