/**
 * What RepVGG's re-parameterisation buys at inference on the wasm backend: the eval-mode forward (embedding
 * extraction) of `repvgg_a0` at 112×112 in its training form (3×3 conv + BN, 1×1 conv + BN and identity BN per block)
 * against its deploy form (one 3×3 conv with bias per block, `reparameterizeRepVgg`), at batch 4 and 16, 1 and 2
 * threads. BN running statistics are randomised before folding, so both forms compute the same embeddings.
 *
 * `deno run -A benchmarks/repvgg_reparam.ts [--rounds N]` alternates the two forms round by round (the order flips
 * every round; this machine is shared and noisy) and prints the median img/s of one timed forward per form per round.
 */
import { WasmBackend } from "../src/backends/wasm/backend.ts";
import { Rng } from "../src/core/rng.ts";
import { reparameterizeRepVgg, type RepVggBackbone } from "../src/models/backbones/repvgg.ts";
import { backbones } from "../src/models/mod.ts";
import { interleave, once, randomTensor } from "./_sampling.ts";

const THREADS = [1, 2];
const BATCHES = [4, 16];
const MODEL = "repvgg_a0";

const at = Deno.args.indexOf("--rounds");
const rounds = at >= 0 ? Number(Deno.args[at + 1]) : 5;
const rng = new Rng(1, "repvgg-bench");
console.log(`${MODEL} eval forward on wasm, ${rounds} interleaved rounds, medians`);
console.log(`\n| batch | threads | training form img/s | deploy form img/s | deploy ÷ training |`);
console.log(`|---|---|---|---|---|`);
for (const threads of THREADS) {
  const backend = await WasmBackend.create({ threads });
  const ctx = { backend, rng: new Rng(1, "init") };
  const trainForm = backbones.get(MODEL).create({}, ctx).eval() as RepVggBackbone;
  const state = new Map(
    trainForm.buffers().map((b) => [b.path, randomTensor(rng, backend, [...b.tensor.shape], ...range(b.path))]),
  );
  trainForm.load(state, { strict: false });
  const deployForm = reparameterizeRepVgg(trainForm, ctx);
  for (const batch of BATCHES) {
    const size = trainForm.inputSize;
    const x = randomTensor(rng, backend, [batch, size, size, 3]);
    const [trainMs, deployMs] = interleave(
      [
        { label: "training form", run: once(() => trainForm.forward(x)) },
        { label: "deploy form", run: once(() => deployForm.forward(x)) },
      ],
      rounds,
      0,
      1,
    );
    const ips = (ms: number) => (batch / ms * 1000).toFixed(2);
    console.log(`| ${batch} | ${threads} | ${ips(trainMs)} | ${ips(deployMs)} | ${(trainMs / deployMs).toFixed(2)}× |`);
    x.dispose();
  }
  for (const t of state.values()) t.dispose();
  trainForm.dispose();
  deployForm.dispose();
  backend.destroy();
}

/** Value range of a randomised BN buffer: running variance in [0.5, 2), running mean in [−0.5, 0.5). */
function range(path: string): [number, number] {
  return path.endsWith("running_var") ? [0.5, 2] : [-0.5, 0.5];
}
