/** The sidecar is bound to its hashed tensor file: an edited step or sampler position is rejected on load. */
import assert from "node:assert";
import { loadCheckpoint, saveCheckpoint } from "../../src/train/checkpoint.ts";
import { checkpointName, readLatest } from "../../src/train/latest.ts";
import { memoryStore } from "./_memory_store.ts";

async function savedStore() {
  const store = memoryStore();
  await saveCheckpoint(store, "step-6", {
    step: 6,
    schedule: { kind: "multistep", lr: 0.05, warmupSteps: 2, milestones: [6], gamma: 0.1 },
    optimizer: { momentum: 0.9, nesterov: false, weightDecay: 5e-4 },
    rng: [{ seed: 11, stream: "dropout", counter: 96 }],
    sampler: { epoch: 1, batch: 2 },
  }, [{ name: "w", shape: [2], data: new Float32Array([1, 2]) }]);
  return store;
}

function editSidecar(store: ReturnType<typeof memoryStore>, edit: (sidecar: Record<string, unknown>) => void): void {
  const sidecar = JSON.parse(new TextDecoder().decode(store.files.get("step-6.json")!));
  edit(sidecar);
  store.files.set("step-6.json", new TextEncoder().encode(JSON.stringify(sidecar)));
}

Deno.test("checkpoint: a sidecar whose step was edited (6 → 50) is rejected against the tensor file's metadata", async () => {
  const store = await savedStore();
  assert.strictEqual((await loadCheckpoint(store, "step-6")).state.step, 6);
  editSidecar(store, (s) => (s.step = 50));
  await assert.rejects(
    loadCheckpoint(store, "step-6"),
    /checkpoint step-6.json: step 50 does not match step 6 recorded in step-6.safetensors/,
  );
});

Deno.test("checkpoint: an edited or garbage sampler position is rejected, not trained on", async () => {
  for (const sampler of [{ epoch: 1, batch: 3 }, { epoch: "x", batch: -1 }]) {
    const store = await savedStore();
    editSidecar(store, (s) => (s.sampler = sampler));
    await assert.rejects(
      loadCheckpoint(store, "step-6"),
      /checkpoint step-6.json: state \(sampler, RNG, schedule, …\) does not match the SHA-256 recorded in step-6.safetensors/,
    );
  }
});

Deno.test("latest: names newest first; an empty or malformed pointer is an error, a missing one a fresh run", async () => {
  const store = memoryStore();
  assert.deepStrictEqual(await readLatest(store), []);
  store.files.set("latest", new TextEncoder().encode(`${checkpointName(6)}\n${checkpointName(4)}\n`));
  assert.deepStrictEqual(await readLatest(store), ["step-00000006", "step-00000004"]);
  store.files.set("latest", new TextEncoder().encode(" \n"));
  await assert.rejects(readLatest(store), /checkpoint latest: is empty/);
  store.files.set("latest", new TextEncoder().encode("step-6; rm -rf\n"));
  await assert.rejects(readLatest(store), /checkpoint latest: line "step-6; rm -rf" is not a checkpoint name/);
});
