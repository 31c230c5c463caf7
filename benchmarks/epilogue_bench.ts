/**
 * Epilogue fusion on the wasm backend, at 1 and 2 threads: (a) the element-wise epilogue of a conv output
 * of 8×56×56×64 — inference batch_norm + prelu, against the fused path as eval mode runs it (the BN fold, six
 * [C]-sized ops, then `channel_affine_prelu`) and against the fused op alone; (b) the eval-mode forward (embedding
 * extraction) of MobileFaceNet (batch 16) and IR-50 (batch 8) at 112×112, unfused against fused; (c) training mode:
 * forward + backward of the same BN → PReLU pair as batch_norm then prelu against `batch_norm_prelu`, and of
 * MobileFaceNet (batch 16; forward, loss Σy, backward: a training step without the optimizer), unfused against fused.
 *
 * `deno run -A benchmarks/epilogue_bench.ts [--rounds N]` alternates the variants round by round (the order flips
 * every round; this machine is noisy) and prints medians: per round, 100 ms of untimed runs and then three timed
 * runs of each element-wise variant, and one timed forward of each model variant. `deno bench -A
 * benchmarks/epilogue_bench.ts` runs the same work as Deno benchmarks (unfused = each group's baseline).
 */
import type { Backend } from "../src/core/backend.ts";
import { interleave, once, randomTensor, type Variant } from "./_sampling.ts";
import { WasmBackend } from "../src/backends/wasm/backend.ts";
import { Rng } from "../src/core/rng.ts";
import { scope } from "../src/core/scope.ts";
import { noGrad } from "../src/core/tape.ts";
import type { Tensor } from "../src/core/tensor.ts";
import { backbones } from "../src/models/mod.ts";
import { BatchNorm, PReLU, Sequential, unfused } from "../src/nn/mod.ts";
import { backward } from "../src/ops/backward.ts";
import { channelAffinePrelu, reduceSum } from "../src/ops/mod.ts";
import { type ParameterEntry, zeroGradients } from "../src/train/optimizer.ts";

const THREADS = [1, 2];
/** Untimed milliseconds of element-wise runs before each variant's timed runs. */
const WARM_MS = 100;
/** Timed element-wise runs per variant per round. */
const TIMED = 3;
/** The conv output of the element-wise case (NHWC). */
const MAP = [8, 56, 56, 64];
/** Eval-mode forward cases: backbone preset and batch. */
const MODELS = [{ model: "mobilefacenet", batch: 16 }, { model: "ir_50", batch: 8 }];
/** Training-mode forward + backward cases. */
const TRAIN_MODELS = [{ model: "mobilefacenet", batch: 16 }];

const rng = new Rng(1, "epilogue-bench");

/** The three element-wise variants over one conv output, on `backend`. */
function epilogueVariants(backend: Backend): Variant[] {
  const c = MAP[3];
  const ctx = { backend, rng: new Rng(1, "init") };
  const bn = new BatchNorm(ctx, { channels: c });
  const act = new PReLU(ctx, c);
  const chain = new Sequential([bn, act]).eval();
  const state = new Map<string, Tensor>([
    ["0.weight", randomTensor(rng, backend, [c], 0.5, 1.5)],
    ["0.bias", randomTensor(rng, backend, [c])],
    ["0.running_mean", randomTensor(rng, backend, [c])],
    ["0.running_var", randomTensor(rng, backend, [c], 0.5, 2)],
    ["1.weight", randomTensor(rng, backend, [c], 0, 0.5)],
  ]);
  chain.load(state);
  const x = randomTensor(rng, backend, MAP);
  const { scale, shift } = noGrad(() => bn.inferenceAffine());
  return [
    { label: "batch_norm + prelu", run: once(() => unfused(() => chain.forward(x))) },
    { label: "fused (fold + channel_affine_prelu)", run: once(() => chain.forward(x)) },
    { label: "channel_affine_prelu alone", run: once(() => channelAffinePrelu(x, scale, shift, act.alpha)) },
  ];
}

/** A variant's run in training mode: forward, the loss Σ y, backward; the gradients of `params` are then freed. */
function withBackward(params: readonly ParameterEntry[], fn: () => Tensor): () => void {
  return () => {
    scope(() => backward(reduceSum(fn())));
    zeroGradients(params);
  };
}

/** The training-mode BN → PReLU pair over one conv output: the two ops against `batch_norm_prelu`. */
function trainingPairVariants(backend: Backend): Variant[] {
  const c = MAP[3];
  const ctx = { backend, rng: new Rng(1, "init") };
  const chain = new Sequential([new BatchNorm(ctx, { channels: c }), new PReLU(ctx, c)]);
  const x = randomTensor(rng, backend, MAP);
  x.requiresGrad = true;
  const params = [...chain.parameters(), { path: "x", tensor: x, decay: false }];
  return [
    { label: "batch_norm + prelu", run: withBackward(params, () => unfused(() => chain.forward(x))) },
    { label: "batch_norm_prelu", run: withBackward(params, () => chain.forward(x)) },
  ];
}

/**
 * Unfused and fused runs of a backbone preset on `backend`: the eval-mode forward, or (`train`) the training-mode
 * forward + backward.
 */
function modelVariants(backend: Backend, model: string, batch: number, mode: "eval" | "train"): Variant[] {
  const net = backbones.get(model).create({}, { backend, rng: new Rng(1, "init") }).train(mode === "train");
  const x = randomTensor(rng, backend, [batch, net.inputSize, net.inputSize, 3]);
  const run = mode === "train" ? (fn: () => Tensor) => withBackward(net.parameters(), fn) : once;
  return [
    { label: "unfused", run: run(() => unfused(() => net.forward(x))) },
    { label: "fused", run: run(() => net.forward(x)) },
  ];
}

const backends = new Map<number, WasmBackend>();
for (const t of THREADS) backends.set(t, await WasmBackend.create({ threads: t }));

/** Prints the unfused and fused throughput of each model case at each thread count, as a Markdown table. */
function printModelTable(
  title: string,
  cases: readonly { model: string; batch: number }[],
  mode: "eval" | "train",
  rounds: number,
): void {
  console.log(`\n| ${title} | threads | unfused img/s | fused img/s | speedup |`);
  console.log(`|---|---|---|---|---|`);
  for (const { model, batch } of cases) {
    for (const t of THREADS) {
      const [plain, fused] = interleave(modelVariants(backends.get(t)!, model, batch, mode), rounds, 0, 1);
      const ips = (ms: number) => (batch / ms * 1000).toFixed(2);
      console.log(`| ${model} b${batch} | ${t} | ${ips(plain)} | ${ips(fused)} | ${(plain / fused).toFixed(3)}× |`);
    }
  }
}

if (import.meta.main) {
  const at = Deno.args.indexOf("--rounds");
  const rounds = at >= 0 ? Number(Deno.args[at + 1]) : 7;
  const bytes = 2 * 4 * MAP.reduce((a, b) => a * b, 1);
  console.log(`wasm backend ${JSON.stringify(backends.get(1)!.info().details)}, ${rounds} rounds, medians`);
  console.log(`\n| epilogue of ${MAP.join("×")} | threads | ms | GB/s (x in + y out) | vs batch_norm + prelu |`);
  console.log(`|---|---|---|---|---|`);
  for (const t of THREADS) {
    const variants = epilogueVariants(backends.get(t)!);
    const ms = interleave(variants, 3 * rounds, WARM_MS, TIMED);
    variants.forEach((v, i) => {
      const speedup = (ms[0] / ms[i]).toFixed(2);
      console.log(`| ${v.label} | ${t} | ${ms[i].toFixed(2)} | ${(bytes / ms[i] / 1e6).toFixed(1)} | ${speedup}× |`);
    });
  }
  printModelTable("eval forward", MODELS, "eval", rounds);
  const pairBytes = 4 * 4 * MAP.reduce((a, b) => a * b, 1);
  console.log(
    `\n| training BN → PReLU of ${MAP.join("×")}, forward + backward | threads | ms | vs batch_norm + prelu |`,
  );
  console.log(`|---|---|---|---|`);
  for (const t of THREADS) {
    const variants = trainingPairVariants(backends.get(t)!);
    const ms = interleave(variants, rounds, WARM_MS, TIMED);
    variants.forEach((v, i) =>
      console.log(`| ${v.label} | ${t} | ${ms[i].toFixed(2)} | ${(ms[0] / ms[i]).toFixed(2)}× |`)
    );
  }
  console.log(`(${(pairBytes / 1e6).toFixed(0)} MB is one pass over x, y, dy and dx.)`);
  printModelTable("training forward + backward", TRAIN_MODELS, "train", rounds);
  for (const b of backends.values()) b.destroy();
  Deno.exit(0);
}

for (const t of THREADS) {
  const group = `epilogue ${MAP.join("×")} ${t}t`;
  epilogueVariants(backends.get(t)!).forEach((v, i) =>
    Deno.bench({ name: `wasm ${v.label} ${t}t`, group, baseline: i === 0 }, v.run)
  );
}
for (const { model, batch } of MODELS) {
  for (const t of THREADS) {
    const group = `eval forward ${model} b${batch} ${t}t`;
    modelVariants(backends.get(t)!, model, batch, "eval").forEach((v, i) =>
      Deno.bench({ name: `wasm ${v.label} ${model} b${batch} ${t}t`, group, baseline: i === 0, n: 3, warmup: 1 }, v.run)
    );
  }
}
for (const t of THREADS) {
  const group = `training BN → PReLU ${MAP.join("×")} ${t}t`;
  trainingPairVariants(backends.get(t)!).forEach((v, i) =>
    Deno.bench({ name: `wasm ${v.label} ${t}t`, group, baseline: i === 0 }, v.run)
  );
}
for (const { model, batch } of TRAIN_MODELS) {
  for (const t of THREADS) {
    const group = `training forward + backward ${model} b${batch} ${t}t`;
    modelVariants(backends.get(t)!, model, batch, "train").forEach((v, i) =>
      Deno.bench({ name: `wasm ${v.label} ${model} b${batch} ${t}t`, group, baseline: i === 0, n: 3, warmup: 1 }, v.run)
    );
  }
}
