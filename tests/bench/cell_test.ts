import assert from "node:assert";
import { trainedByLoss } from "../../src/bench/cell.ts";

const curve = (losses: number[]) => losses.map((loss, i) => ({ step: i + 1, loss }));

Deno.test("trainedByLoss: the last tenth's mean loss must be at most half the first tenth's", () => {
  assert.strictEqual(trainedByLoss(curve([10, 9, 8, 7, 6, 5, 4, 3, 2, 1])), true); // 1 <= 5
  assert.strictEqual(trainedByLoss(curve([10, 9, 8, 7, 6, 5, 6, 7, 8, 5])), true); // 5 <= 5
  assert.strictEqual(trainedByLoss(curve([10, 9, 8, 7, 6, 5, 6, 7, 8, 5.1])), false);
  assert.strictEqual(trainedByLoss(curve([40, 39.5, 39, 38.7, 38.2, 38])), false, "a margin head that barely moved");
  // 20 points: the windows are two iterations each
  assert.strictEqual(trainedByLoss(curve([8, 4, ...Array(16).fill(5), 3, 3])), true); // 3 <= 3
  assert.strictEqual(trainedByLoss(curve([1])), false, "one iteration cannot show training");
});
