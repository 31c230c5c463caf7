/**
 * Child process of kill_resume_test.ts: trains a tiny MobileFaceNet + ArcFace on 32×32 random faces with the real
 * loader, checkpointing every 2 iterations into the directory given as argument, resuming from it when present.
 * Prints "resumed N", "step N" after each iteration and "hash H" at the end.
 */
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { directoryStore } from "../../src/cli/directory_store.ts";
import { Rng } from "../../src/core/rng.ts";
import { loaderFor, type LoaderState } from "../../src/data/loader.ts";
import { backbones, heads } from "../../src/models/registry.ts";
import "../../src/models/backbones/mod.ts";
import "../../src/models/heads/mod.ts";
import { Trainer } from "../../src/train/trainer.ts";

const [dir] = Deno.args;
const backend = new ReferenceBackend();
const seed = 11;
const data = new Rng(seed, "faces");
const set = {
  images: Uint8Array.from({ length: 16 * 32 * 32 * 3 }, () => data.int(256)),
  labels: Int32Array.from({ length: 16 }, (_, i) => i % 4),
  count: 16,
  height: 32,
  width: 32,
  numClasses: 4,
};
const dropout = new Rng(seed, "dropout");
const ctx = { backend, rng: new Rng(seed, "init"), dropoutRng: dropout };
const backbone = backbones.get("mobilefacenet_tiny").create({ inputSize: 32, embeddingSize: 32 }, ctx);
const head = heads.get("arcface").create({ embeddingSize: 32, numClasses: 4 }, ctx);
const store = directoryStore(dir);
const start = (await Trainer.savedDataPosition(store)) as LoaderState | null;
const loader = loaderFor(set, 4, seed, { prefetch: "none", ...(start ? { start } : {}) });
const trainer = new Trainer({
  backend,
  backbone,
  head,
  data: loader,
  streams: [dropout],
  store,
  config: {
    steps: 10,
    schedule: { kind: "multistep", lr: 0.05, warmupSteps: 2, milestones: [6], gamma: 0.1 },
    optimizer: { momentum: 0.9, nesterov: false, weightDecay: 5e-4 },
    clipGradNorm: null,
    loss: { kind: "cross_entropy", smoothing: 0.1 },
    evalEvery: 1000,
    checkpointEvery: 2,
  },
  onStep: (step) => console.log(`step ${step}`),
});
if (await trainer.resume()) console.log(`resumed ${trainer.step}`);
const result = await trainer.run();
console.log(`hash ${result.weightHash}`);
loader.close();
