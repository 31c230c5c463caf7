/**
 * The 1×1 convolutions of a MobileFaceNet forward at batch 1 (its layer shapes, 56×56 down to 7×7), each timed alone
 * at 1 and at 2 WASM threads: how much the second thread gives when a map has few GEMM row blocks (issue 17, GEMM
 * column parts). Prints one Markdown row per shape: ms per call at 1 and 2 threads (median of 7 rounds of 20 calls,
 * after 20 untimed), GFLOP/s at 1 thread and the 2-thread speed-up.
 *
 * `deno run -A benchmarks/gemm_parts_bench.ts`
 * @module
 */
import { WasmBackend } from "../src/backends/wasm/backend.ts";
import { Rng } from "../src/core/rng.ts";
import { conv2d } from "../src/ops/mod.ts";
import { cpuModel } from "../src/report/environment.ts";
import { median, randomTensor } from "./_sampling.ts";

/** [map size, input channels, output channels] of MobileFaceNet's 1×1 convolutions. */
const SHAPES: readonly [number, number, number][] = [
  [56, 64, 128],
  [28, 128, 64],
  [28, 64, 128],
  [28, 64, 256],
  [14, 256, 128],
  [14, 128, 256],
  [14, 128, 512],
  [7, 512, 128],
  [7, 128, 256],
  [7, 256, 128],
];
const CALLS = 20, ROUNDS = 7;

const rng = new Rng(1, "gemm-parts-bench");
const backends = [await WasmBackend.create({ threads: 1 }), await WasmBackend.create({ threads: 2 })];
console.log(`CPU: ${await cpuModel() ?? "unknown"}; 1×1 convolutions at batch 1, ms per call (median of ${ROUNDS})`);
console.log("| map | channels | 1 thread ms | GFLOP/s | 2 threads ms | speed-up |");
console.log("|---|---|---|---|---|---|");
try {
  for (const [size, c, o] of SHAPES) {
    const ms = backends.map((backend) => {
      const x = randomTensor(rng, backend, [1, size, size, c]);
      const w = randomTensor(rng, backend, [1, 1, c, o]);
      const call = () => conv2d(x, w).dispose();
      for (let i = 0; i < CALLS; i++) call();
      const rounds = Array.from({ length: ROUNDS }, () => {
        const start = performance.now();
        for (let i = 0; i < CALLS; i++) call();
        return (performance.now() - start) / CALLS;
      });
      x.dispose();
      w.dispose();
      return median(rounds);
    });
    const gflop = (2 * size * size * c * o) / 1e9;
    console.log(
      `| ${size}×${size} | ${c} → ${o} | ${ms[0].toFixed(3)} | ${(gflop / (ms[0] / 1000)).toFixed(1)} | ` +
        `${ms[1].toFixed(3)} | ${(ms[0] / ms[1]).toFixed(2)}× |`,
    );
  }
} finally {
  for (const backend of backends) backend.destroy();
}
