/**
 * The recording backend computes what its inner backend computes, records kernel calls (op, attributes, the op
 * layer's tensors as views) only inside `record`, and refuses nested recordings.
 */
import assert from "node:assert";
import { RecordingBackend } from "../../../src/backends/recording/backend.ts";
import { ReferenceBackend } from "../../../src/backends/reference/backend.ts";
import { add, relu, tensor } from "../../../src/ops/mod.ts";

Deno.test("recording backend: records the calls made inside record(), with tensors by identity", async () => {
  const backend = new RecordingBackend(new ReferenceBackend());
  const a = tensor(backend, [1, -2, 3], [3]);
  const b = tensor(backend, [0.5, 0.5, -4], [3]);
  const outside = add(a, b);
  const { result, calls } = backend.record(() => {
    const sum = add(a, b);
    return { sum, out: relu(sum) };
  });
  assert.deepStrictEqual(calls.map((c) => c.op), ["add", "relu"]);
  assert.strictEqual(calls[0].inputs[0], a);
  assert.strictEqual(calls[0].outputs[0], result.sum);
  assert.strictEqual(calls[1].inputs[0], result.sum);
  assert.strictEqual(calls[1].outputs[0], result.out);
  assert.deepStrictEqual(await result.out.toArray(), [1.5, 0, 0]);
  assert.deepStrictEqual(await outside.toArray(), [1.5, -1.5, -1]);
  assert.throws(() => backend.record(() => backend.record(() => 0)), /already recording/);
  assert.deepStrictEqual(backend.record(() => 0).calls, []);
});
