/**
 * WASM-SIMD kernels against onnxruntime-web's WASM backend, in the same process: SGEMM 256/512/1024 and the
 * IR-50 / MobileFaceNet conv shapes (3×3 64→64 at 56×56, 1×1 128→256 at 14×14, depthwise 3×3 128ch at 28×28,
 * batch 8), at 1 and 2 threads; plus training steps (forward + backward + SGD) of MobileFaceNet (batch 16), IR-50
 * (batch 8) and ViT-T (batch 8, drop-path and patch masking on, as its preset trains) at 112×112.
 *
 * `deno bench -A benchmarks/kernels_bench.ts` runs them as Deno benchmarks (onnxruntime-web is each group's
 * baseline, so Deno prints the ratio). `deno run -A benchmarks/kernels_bench.ts --table [--rounds N] [--train]
 * [--fast] [--only TEXT]` interleaves the two engines round by round (this machine is noisy) and prints median
 * GFLOP/s and the ratio; --train adds img/s of the training steps next to PyTorch CPU's, measured in the same run by
 * tools/torch_train_bench.py, the two engines alternating step by step (`--peer-isa native,avx2` measures PyTorch
 * with its CPU's instruction sets, capped at AVX2, or both in turn: columns per setting, and the instruction sets
 * PyTorch reported under the table); --fast runs the relaxed-SIMD build; --only keeps the kernel cases whose name
 * contains TEXT; `--models a,b` keeps those training steps (default all);
 * `--winograd 2x2|off` runs the wasm backend without F(4×4, 3×3) / without Winograd convolutions (default "auto").
 * onnxruntime-web runs in workers (ort_worker.ts), one per thread count, because its thread pool is global.
 */
import type { Backend } from "../src/core/backend.ts";
import { benchArgs, count, oneOf, someOf } from "./_args.ts";
import { median, randomTensor } from "./_sampling.ts";
import { WasmBackend } from "../src/backends/wasm/backend.ts";
import { WINOGRAD_CHOICES } from "../src/backends/wasm/kernels/linalg.ts";
import { Rng } from "../src/core/rng.ts";
import { cpuModel } from "../src/report/environment.ts";
import { scope } from "../src/core/scope.ts";
import { backward } from "../src/ops/backward.ts";
import { backbones } from "../src/models/mod.ts";
import { conv2d, linear, matmul, reduceMean, softmaxCrossEntropy, tensor } from "../src/ops/mod.ts";
import { Sgd } from "../src/train/optimizer.ts";
import { convModel, convOutputSize, type ConvShape, matmulModel } from "../tools/onnx_models.ts";
import { OrtWorker } from "./_ort_runner.ts";
import { PEER_ISAS, type PeerIsa, printPeerIsas, pytorchRates } from "./_torch_peer.ts";

/** One kernel benchmark: its FLOPs, a wasm run and the ONNX model of the same computation. */
interface Case {
  name: string;
  flops: number;
  onnx: Uint8Array;
  /** ONNX input shape (NCHW for convs) */
  onnxInput: number[];
  /** runs the computation once on the wasm backend */
  prepare: (backend: Backend) => () => void;
}

const THREADS = [1, 2];
/** Untimed milliseconds of runs at the start of each burst. */
const WARM_MS = 100;
/** Timed runs per engine per round. */
const TIMED = 3;
/** Idle milliseconds before each burst. */
const IDLE_MS = 500;
const rng = new Rng(1, "kernels-bench");

function gemmCase(n: number): Case {
  return {
    name: `sgemm ${n}`,
    flops: 2 * n ** 3,
    onnx: matmulModel(n, n, n),
    onnxInput: [n, n],
    prepare: (backend) => {
      const a = randomTensor(rng, backend, [n, n]);
      const b = randomTensor(rng, backend, [n, n]);
      return () => matmul(a, b).dispose();
    },
  };
}

function convCase(name: string, s: ConvShape): Case {
  const out = convOutputSize(s);
  return {
    name,
    flops: 2 * s.n * out * out * s.o * (s.c / s.groups) * s.k * s.k,
    onnx: convModel(s),
    onnxInput: [s.n, s.c, s.size, s.size],
    prepare: (backend) => {
      const x = randomTensor(rng, backend, [s.n, s.size, s.size, s.c]);
      const w = randomTensor(rng, backend, [s.k, s.k, s.c / s.groups, s.o]);
      return () => conv2d(x, w, { stride: s.stride, padding: s.pad, groups: s.groups }).dispose();
    },
  };
}

const CASES: Case[] = [
  gemmCase(256),
  gemmCase(512),
  gemmCase(1024),
  convCase("conv 3x3 64→64 56x56 b8", { n: 8, c: 64, size: 56, o: 64, k: 3, stride: 1, pad: 1, groups: 1 }),
  convCase("conv 1x1 128→256 14x14 b8", { n: 8, c: 128, size: 14, o: 256, k: 1, stride: 1, pad: 0, groups: 1 }),
  convCase("depthwise 3x3 128ch 28x28 b8", { n: 8, c: 128, size: 28, o: 128, k: 3, stride: 1, pad: 1, groups: 128 }),
];

/** Training-step benchmarks: backbone preset and batch. */
const TRAIN = [
  { model: "mobilefacenet", batch: 16 },
  { model: "ir_50", batch: 8 },
  { model: "vit_t", batch: 8 },
];

/** A training step of `model` on `backend`: backbone → 100-class linear → softmax-CE → backward → SGD. */
function trainingStep(backend: Backend, model: string, batch: number): () => void {
  const init = new Rng(1, "init");
  const net = backbones.get(model).create({}, { backend, rng: init });
  const fc = tensor(backend, Float32Array.from({ length: 100 * 512 }, () => init.uniform(-0.05, 0.05)), [100, 512]);
  fc.requiresGrad = true;
  const opt = new Sgd([...net.parameters(), { path: "fc", tensor: fc, decay: true }], {
    momentum: 0.9,
  });
  const x = randomTensor(rng, backend, [batch, 112, 112, 3]);
  const labels = tensor(backend, Int32Array.from({ length: batch }, (_, i) => i % 100), [batch], "i32");
  return () =>
    scope(() => {
      backward(reduceMean(softmaxCrossEntropy(linear(net.forward(x), fc), labels)));
      opt.step(0.1);
      opt.zeroGrad();
    });
}

/** An {@link OrtWorker} that keeps the case it loaded last. */
class OrtRunner extends OrtWorker {
  #loaded: Case | null = null;

  /** Loads the case's model unless it is loaded already (the previous session is dropped). */
  async loadCase(c: Case): Promise<void> {
    if (this.#loaded === c) return;
    this.#loaded = c;
    const size = c.onnxInput.reduce((a, b) => a * b, 1);
    await this.load(c.onnx, Float32Array.from({ length: size }, () => rng.uniform(-1, 1)), c.onnxInput);
  }
}

const backends = new Map<number, WasmBackend>();
const ortRunners = new Map<number, OrtRunner>();
/** Command-line options (all optional; `deno bench` passes none). */
const ARGS = benchArgs(
  {
    table: { type: "boolean", default: false },
    rounds: { type: "string", default: "15" },
    train: { type: "boolean", default: false },
    fast: { type: "boolean", default: false },
    only: { type: "string", default: "" },
    models: { type: "string" },
    winograd: { type: "string", default: "auto" },
    "peer-isa": { type: "string", default: "native" },
  },
  "Usage: deno run -A benchmarks/kernels_bench.ts --table [--rounds N] [--train] [--fast] [--only TEXT]\n" +
    "         [--models mobilefacenet,ir_50,vit_t] [--winograd auto|2x2|off] [--peer-isa native,avx2]\n" +
    "       deno bench -A benchmarks/kernels_bench.ts   (Deno benchmarks, onnxruntime-web as each group's baseline)",
);
/** The wasm kernel build under test: `--fast` selects relaxed SIMD. */
const MODE = ARGS.fast ? "fast" : "deterministic";
/** `--only TEXT` keeps the kernel cases whose name contains TEXT (table mode). */
const ONLY = ARGS.only;
/** `--winograd CHOICE`: the wasm backend's 3×3 convolution algorithms (default "auto"). */
const WINOGRAD = oneOf(ARGS.winograd, "--winograd", WINOGRAD_CHOICES);
for (const t of THREADS) {
  backends.set(t, await WasmBackend.create({ threads: t, mode: MODE, winograd: WINOGRAD }));
  ortRunners.set(t, new OrtRunner(t));
}

/** Lets the other engine's threads stop spinning. */
function idle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, IDLE_MS));
}

/** Interleaved medians of every case at every thread count, printed as a table. */
async function table(rounds: number): Promise<void> {
  console.log(`| kernel | threads | wasm GFLOP/s | onnxruntime-web GFLOP/s | ratio |`);
  console.log(`|---|---|---|---|---|`);
  for (const c of CASES.filter((c) => c.name.includes(ONLY))) {
    for (const t of THREADS) {
      const wasm = c.prepare(backends.get(t)!);
      const onnx = ortRunners.get(t)!;
      await onnx.loadCase(c);
      wasm();
      await onnx.run();
      const times: [number[], number[]] = [[], []];
      // Rounds alternate the engines. Before each burst the process idles (onnxruntime-web's threads spin for a
      // while after a run and would take a core from the next one); each burst then runs untimed for WARM_MS (to
      // wake the threads: after idling, this VM needs tens of milliseconds before a second thread runs at full
      // speed) and times TIMED runs.
      for (let r = 0; r < rounds; r++) {
        await idle();
        for (const start = performance.now(); performance.now() - start < WARM_MS;) wasm();
        for (let k = 0; k < TIMED; k++) {
          const start = performance.now();
          wasm();
          times[0].push(performance.now() - start);
        }
        await idle();
        for (const start = performance.now(); performance.now() - start < WARM_MS;) await onnx.run();
        for (let k = 0; k < TIMED; k++) times[1].push(await onnx.run());
      }
      const [w, o] = times.map((ts) => c.flops / median(ts) / 1e6);
      console.log(`| ${c.name} | ${t} | ${w.toFixed(1)} | ${o.toFixed(1)} | ${(w / o).toFixed(2)} |`);
    }
  }
}

/** `--models a,b`: the training steps to run (default all of TRAIN). */
const MODELS = ARGS.models ? someOf(ARGS.models, "--models", TRAIN.map((m) => m.model)) : null;
/** `--peer-isa`: the PyTorch peer's instruction-set settings, each its own pair of columns (default native only). */
const PEER_ISA_LIST = someOf(ARGS["peer-isa"], "--peer-isa", PEER_ISAS);

/**
 * Median img/s of the training steps at every thread count, next to PyTorch CPU's measured in the same run: each
 * round times one PyTorch step per `--peer-isa` setting (a fresh tools/torch_train_bench.py process each: one warm-up
 * step, one timed) and then one wasm step, so both engines see the same load on this shared machine.
 */
function trainTable(rounds: number): void {
  const peerHeads = PEER_ISA_LIST.map((isa) => `PyTorch 1.13 CPU (${isa}) img/s | ratio`);
  console.log(`\n| training step | threads | wasm img/s | ${peerHeads.join(" | ")} |`);
  console.log(`|---|---|---${"|---|---".repeat(PEER_ISA_LIST.length)}|`);
  for (const { model, batch } of TRAIN.filter((m) => !MODELS || MODELS.includes(m.model))) {
    for (const t of THREADS) {
      const step = trainingStep(backends.get(t)!, model, batch);
      step();
      const ours: number[] = [];
      const peers = new Map<PeerIsa, number[]>(PEER_ISA_LIST.map((isa) => [isa, []]));
      for (let r = 0; r < rounds; r++) {
        for (const isa of PEER_ISA_LIST) {
          const rate = pytorchRates(t, 1, [model], { kind: "train" }, isa)?.[model];
          if (rate) peers.get(isa)!.push(rate);
        }
        const start = performance.now();
        step();
        ours.push(batch / (performance.now() - start) * 1000);
      }
      const w = median(ours);
      const cells = PEER_ISA_LIST.map((isa) => {
        const rates = peers.get(isa)!;
        const p = rates.length === rounds ? median(rates) : null;
        return p ? `${p.toFixed(2)} | ${(w / p).toFixed(2)}` : "n/a | n/a";
      });
      console.log(`| ${model} b${batch} | ${t} | ${w.toFixed(2)} | ${cells.join(" | ")} |`);
    }
  }
  printPeerIsas();
}

if (ARGS.table) {
  const rounds = count(ARGS.rounds, "--rounds");
  console.log(`CPU: ${await cpuModel() ?? "unknown"} (${navigator.hardwareConcurrency} logical cores)`);
  console.log(
    `wasm backend: ${JSON.stringify(backends.get(1)!.info().details)}; onnxruntime-web 1.30 WASM EP in workers`,
  );
  await table(rounds);
  if (ARGS.train) trainTable(Math.max(3, Math.floor(rounds / 5)));
  for (const b of backends.values()) b.destroy();
  for (const o of ortRunners.values()) o.close();
  Deno.exit(0);
}

for (const c of CASES) {
  for (const t of THREADS) {
    const group = `${c.name} ${t}t (${(c.flops / 1e9).toFixed(3)} GFLOP)`;
    const onnx = ortRunners.get(t)!;
    Deno.bench({ name: `onnxruntime-web ${c.name} ${t}t`, group, baseline: true }, async () => {
      await onnx.loadCase(c);
      await onnx.run();
    });
    const wasm = c.prepare(backends.get(t)!);
    Deno.bench({ name: `wasm ${c.name} ${t}t`, group }, () => wasm());
  }
}
for (const { model, batch } of TRAIN) {
  for (const t of THREADS) {
    const step = trainingStep(backends.get(t)!, model, batch);
    Deno.bench({ name: `wasm train step ${model} b${batch} ${t}t`, group: "training step", n: 3, warmup: 1 }, step);
  }
}
