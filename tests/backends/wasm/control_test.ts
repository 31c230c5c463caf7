import assert from "node:assert";
import { pollWhile, SPIN_MS } from "../../../src/backends/wasm/control.ts";

Deno.test("wasm control: pollWhile returns the slot's value as soon as the predicate fails for it", () => {
  const ctl = new Int32Array(new SharedArrayBuffer(16));
  Atomics.store(ctl, 2, 5);
  const start = performance.now();
  assert.strictEqual(pollWhile(ctl, 2, (value) => value === 0), 5);
  assert.ok(performance.now() - start < SPIN_MS, "no polling when the value is already past");
});

Deno.test("wasm control: pollWhile gives up after SPIN_MS and returns the unchanged value (the caller then sleeps)", () => {
  const ctl = new Int32Array(new SharedArrayBuffer(16));
  const start = performance.now();
  assert.strictEqual(pollWhile(ctl, 1, (value) => value === 0), 0);
  assert.ok(performance.now() - start >= SPIN_MS * 0.9, "it polled for about SPIN_MS");
});
