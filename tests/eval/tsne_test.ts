import assert from "node:assert";
import { Rng } from "../../src/core/rng.ts";
import {
  conditionalProbabilities,
  jointProbabilities,
  klDivergence,
  PERPLEXITY_TOLERANCE,
  squaredDistances,
  tsne,
  TSNE_MAX_POINTS,
  tsneGradient,
} from "../../src/eval/tsne.ts";

/** `clusters` × `perCluster` points in `dim` dimensions: centres with std `spread`, points with std 1 around them. */
function gaussianClusters(clusters: number, perCluster: number, dim: number, spread: number, seed: number) {
  const rng = new Rng(seed, "test/clusters");
  const centres = Array.from({ length: clusters }, () => Array.from({ length: dim }, () => rng.normal(0, spread)));
  const n = clusters * perCluster;
  const data = new Float32Array(n * dim), labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = Math.floor(i / perCluster);
    for (let k = 0; k < dim; k++) data[i * dim + k] = centres[labels[i]][k] + rng.normal();
  }
  return { data, labels, n, dim };
}

/** Leave-one-out k-nearest-neighbour accuracy (majority vote, ties to the smaller label) in a 2-D map. */
function knnAccuracy(Y: Float64Array, labels: Int32Array, k: number): number {
  const n = labels.length;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const nearest = Array.from({ length: n }, (_, j) => j).filter((j) => j !== i)
      .sort((a, b) =>
        (Y[2 * a] - Y[2 * i]) ** 2 + (Y[2 * a + 1] - Y[2 * i + 1]) ** 2 -
        ((Y[2 * b] - Y[2 * i]) ** 2 + (Y[2 * b + 1] - Y[2 * i + 1]) ** 2)
      ).slice(0, k);
    const votes = new Map<number, number>();
    for (const j of nearest) votes.set(labels[j], (votes.get(labels[j]) ?? 0) + 1);
    const best = [...votes].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
    if (best === labels[i]) correct++;
  }
  return correct / n;
}

Deno.test("tsne: the same seed gives bit-identical output, another seed a different map", () => {
  const { data, n, dim } = gaussianClusters(3, 15, 8, 5, 1);
  const a = tsne(data, n, dim, { seed: 7, iterations: 300 });
  const b = tsne(data, n, dim, { seed: 7, iterations: 300 });
  const c = tsne(data, n, dim, { seed: 8, iterations: 300 });
  assert.deepStrictEqual(new Uint8Array(a.embedding.buffer), new Uint8Array(b.embedding.buffer));
  assert.strictEqual(a.kl, b.kl);
  assert.notDeepStrictEqual(new Uint8Array(a.embedding.buffer), new Uint8Array(c.embedding.buffer));
});

Deno.test("tsneGradient matches central finite differences of klDivergence", () => {
  const { data, n, dim } = gaussianClusters(2, 4, 3, 2, 2);
  const P = jointProbabilities(conditionalProbabilities(squaredDistances(data, n, dim), n, 2), n);
  const rng = new Rng(3, "test/map");
  const Y = Float64Array.from({ length: 2 * n }, () => rng.normal());
  const grad = tsneGradient(P, Y);
  const h = 1e-5;
  for (let k = 0; k < Y.length; k++) {
    const plus = Y.slice(), minus = Y.slice();
    plus[k] += h;
    minus[k] -= h;
    const numeric = (klDivergence(P, plus) - klDivergence(P, minus)) / (2 * h);
    assert.ok(
      Math.abs(numeric - grad[k]) <= 1e-7 + 1e-6 * Math.abs(numeric),
      `coordinate ${k}: analytic ${grad[k]}, finite differences ${numeric}`,
    );
  }
});

Deno.test("perplexity calibration: each row's entropy is log(perplexity), rows sum to 1, P is symmetric", () => {
  const { data, n, dim } = gaussianClusters(4, 25, 16, 4, 4);
  for (const perplexity of [5, 30]) {
    const conditional = conditionalProbabilities(squaredDistances(data, n, dim), n, perplexity);
    for (let i = 0; i < n; i++) {
      let entropy = 0, sum = 0;
      for (let j = 0; j < n; j++) {
        const p = conditional[i * n + j];
        sum += p;
        if (p > 0) entropy -= p * Math.log(p);
      }
      assert.strictEqual(conditional[i * n + i], 0);
      assert.ok(Math.abs(sum - 1) < 1e-12, `row ${i} sums to ${sum}`);
      assert.ok(
        Math.abs(entropy - Math.log(perplexity)) <= PERPLEXITY_TOLERANCE + 1e-12,
        `perplexity ${perplexity}, row ${i}: entropy ${entropy}, expected ${Math.log(perplexity)}`,
      );
    }
    const P = jointProbabilities(conditional, n);
    assert.ok(Math.abs(P.reduce((s, p) => s + p, 0) - 1) < 1e-12);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) assert.strictEqual(P[i * n + j], P[j * n + i]);
  }
  assert.strictEqual(tsne(new Float64Array([0, 1, 3, 7]), 4, 1, { iterations: 1 }).perplexity, 1);
});

Deno.test("tsne separates 6 Gaussian clusters in 32-D: 5-NN accuracy >= 0.95 and the KL decreases", () => {
  const { data, labels, n, dim } = gaussianClusters(6, 40, 32, 3, 5);
  const result = tsne(data, n, dim, { seed: 1 });
  assert.strictEqual(result.embedding.length, 2 * n);
  assert.strictEqual(result.learningRate, 50);
  const accuracy = knnAccuracy(result.embedding, labels, 5);
  assert.ok(accuracy >= 0.95, `5-NN accuracy ${accuracy}`);
  const trace = result.klTrace;
  assert.deepStrictEqual(trace.map((t) => t.iteration), Array.from({ length: 20 }, (_, k) => 50 * (k + 1)));
  assert.strictEqual(result.kl, trace[trace.length - 1].kl);
  const afterExaggeration = trace.find((t) => t.iteration === 300)!.kl;
  assert.ok(result.kl < afterExaggeration && result.kl < trace[0].kl, JSON.stringify(trace));
  const initial = tsne(data, n, dim, { seed: 1, iterations: 1 }).kl;
  assert.ok(result.kl < initial / 2, `KL ${result.kl} after 1,000 iterations, ${initial} after 1`);
});

Deno.test("tsne rejects bad input with a clear error", () => {
  assert.throws(() => tsne(new Float32Array(3), 1, 3), /at least 2 points, got n = 1/);
  assert.throws(() => tsne(new Float32Array([0, 1, NaN, 2]), 2, 2), /point 1, coordinate 0 is NaN/);
  assert.throws(() => tsne(new Float32Array(5), 2, 3), /data has 5 values, expected n × dim = 2 × 3 = 6/);
  const many = TSNE_MAX_POINTS + 1;
  assert.throws(() => tsne(new Float32Array(many), many, 1), /3001 points exceed the exact method's limit of 3000/);
  assert.throws(() => tsne(new Float32Array(4), 2, 2, { perplexity: 0 }), /perplexity must be a positive number/);
  assert.throws(() => tsne(new Float32Array(4), 2, 2, { iterations: 1.5 }), /iterations must be a positive integer/);
  assert.throws(() => klDivergence(new Float64Array(4), new Float64Array(6)), /expected n × n and n × 2/);
});
