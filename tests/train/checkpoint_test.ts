import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { tensor } from "../../src/ops/mod.ts";
import { type CheckpointState, loadCheckpoint, restoreTensors, saveCheckpoint } from "../../src/train/checkpoint.ts";
import { readTensors } from "../../src/train/weight_hash.ts";
import { memoryStore } from "./_memory_store.ts";

const state: CheckpointState = {
  step: 120,
  schedule: { kind: "multistep", lr: 0.1, warmupSteps: 10, milestones: [100], gamma: 0.1 },
  optimizer: { momentum: 0.9, nesterov: false, weightDecay: 5e-4 },
  rng: [{ seed: 1337, stream: "data", counter: 4242 }],
  sampler: { epoch: 3, cursor: 17 },
  extra: { adacosScale: 12.5 },
};

const backend = new ReferenceBackend();

Deno.test("checkpoint: save → load round-trips state and tensors; restore writes into live tensors", async () => {
  const store = memoryStore();
  const w = tensor(backend, [1.5, -2.25, 3], [3]);
  const v = tensor(backend, [0.125], [1]);
  await saveCheckpoint(
    store,
    "step-120",
    state,
    await readTensors([{ path: "w", tensor: w }, { path: "v", tensor: v }]),
  );
  assert.deepStrictEqual([...store.files.keys()], ["step-120.safetensors", "step-120.json"]);
  const loaded = await loadCheckpoint(store, "step-120");
  assert.deepStrictEqual(loaded.state, state);
  const w2 = tensor(backend, [0, 0, 0], [3]);
  restoreTensors([{ path: "w", tensor: w2 }], loaded.tensors, "step-120.safetensors");
  assert.deepStrictEqual(await w2.toArray(), [1.5, -2.25, 3]);
  assert.strictEqual(w2.version, 1, "the restore is recorded as a write");
  assert.throws(
    () => restoreTensors([{ path: "v", tensor: w2 }], loaded.tensors, "step-120.safetensors"),
    /checkpoint step-120.safetensors: tensor "v" is f32 \[1\], expected f32 \[3\]/,
  );
  assert.throws(
    () => restoreTensors([{ path: "missing", tensor: w2 }], loaded.tensors, "step-120.safetensors"),
    /tensor "missing" is missing/,
  );
});

Deno.test("checkpoint: truncated, mismatched or invalid files are clean errors naming the file", async () => {
  const store = memoryStore();
  const arrays = [{ name: "w", shape: [2], data: new Float32Array([1, 2]) }];
  await saveCheckpoint(store, "a", state, arrays);
  await saveCheckpoint(store, "b", { ...state, step: 5 }, [{ name: "w", shape: [2], data: new Float32Array([3, 4]) }]);
  const weights = store.files.get("a.safetensors")!;
  store.files.set("a.safetensors", weights.subarray(0, weights.length - 3));
  await assert.rejects(loadCheckpoint(store, "a"), /checkpoint a.safetensors: SHA-256 [0-9a-f]+ does not match/);
  store.files.set("a.safetensors", store.files.get("b.safetensors")!);
  await assert.rejects(loadCheckpoint(store, "a"), /a.safetensors: SHA-256 .* recorded in a.json/);
  const sidecar = JSON.parse(new TextDecoder().decode(store.files.get("b.json")!));
  store.files.set("b.json", new TextEncoder().encode(JSON.stringify({ ...sidecar, step: -1 })));
  await assert.rejects(loadCheckpoint(store, "b"), /checkpoint b.json: field "step": /);
  store.files.set("b.json", store.files.get("b.json")!.subarray(0, 10));
  await assert.rejects(loadCheckpoint(store, "b"), /checkpoint b.json: cannot read sidecar/);
  await assert.rejects(
    loadCheckpoint(store, "nope"),
    /checkpoint nope.json: cannot read sidecar \(no file nope.json\)/,
  );
});
