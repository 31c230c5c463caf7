import assert from "node:assert";
import { join } from "node:path";
import { directoryStore } from "../../src/train/directory_store.ts";
import { loadCheckpoint, saveCheckpoint } from "../../src/train/checkpoint.ts";

Deno.test("directoryStore: checkpoints round-trip through files; a truncated file is a clean error", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const store = directoryStore(join(dir, "ckpt"));
    const state = {
      step: 3,
      schedule: { kind: "cosine" as const, lr: 0.1, totalSteps: 10 },
      optimizer: { momentum: 0.9, nesterov: true, weightDecay: 5e-4 },
      rng: [],
      sampler: null,
    };
    await saveCheckpoint(store, "last", state, [{ name: "w", shape: [2], data: new Float32Array([1, 2]) }]);
    const loaded = await loadCheckpoint(store, "last");
    assert.strictEqual(loaded.state.step, 3);
    assert.deepStrictEqual(Array.from(loaded.tensors.get("w")!.data), [1, 2]);
    const file = join(dir, "ckpt", "last.safetensors");
    await Deno.truncate(file, 20);
    await assert.rejects(loadCheckpoint(store, "last"), /checkpoint last.safetensors: SHA-256/);
    await assert.rejects(store.read("gone"), /cannot read .*ckpt\/gone/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
