import assert from "node:assert";
import { RunOverview } from "../../src/bench/run_progress.ts";

Deno.test("run overview: cells done, time spent and an ETA from the trained cells only", () => {
  let now = 0;
  const overview = new RunOverview(4, () => now);
  now = 1000;
  assert.strictEqual(overview.finished(null), "  overall: 1/4 cells done, 0:01 elapsed, ETA --:--");
  now = 61_000;
  assert.strictEqual(overview.finished(60), "  overall: 2/4 cells done, 1:01 elapsed, ETA 2:00");
  now = 181_000;
  assert.strictEqual(overview.finished(120), "  overall: 3/4 cells done, 3:01 elapsed, ETA 1:30");
  now = 200_000;
  assert.strictEqual(overview.finished(19), "  overall: 4/4 cells done, 3:20 elapsed, ETA 0:00");
});
