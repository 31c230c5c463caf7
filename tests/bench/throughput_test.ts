import assert from "node:assert";
import { measureThroughput } from "../../src/bench/throughput.ts";

Deno.test("measureThroughput: warm-up untimed, sync inside the timing, images per second", async () => {
  let clock = 0;
  const events: string[] = [];
  const backend = {
    sync: () => {
      clock += 50; // queued device work finishes at the sync
      events.push("sync");
      return Promise.resolve();
    },
    memory: () => ({ liveBytes: 10, peakBytes: 4096 }),
  };
  const step = () => {
    clock += 100;
    events.push("step");
  };
  const r = await measureThroughput(backend, step, { warmupSteps: 2, timedSteps: 4, batchSize: 8, now: () => clock });
  assert.deepStrictEqual(events, ["step", "step", "sync", "step", "step", "step", "step", "sync"]);
  assert.strictEqual(r.seconds, 0.45); // 4 × 100 ms + the final 50 ms sync
  assert.strictEqual(r.imagesPerSecond, 32 / 0.45);
  assert.strictEqual(r.peakBytes, 4096);
  await assert.rejects(measureThroughput(backend, step, { warmupSteps: 0, timedSteps: 0, batchSize: 1 }), /timedSteps/);
});
