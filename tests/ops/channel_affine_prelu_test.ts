import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { WasmBackend } from "../../src/backends/wasm/backend.ts";
import { hashString, Rng } from "../../src/core/rng.ts";
import { channelAffinePrelu, ones, tensor } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

const SLOPES: [number, number] = [0, 0.5];

testOp("channel_affine_prelu", [
  {
    name: "NHWC, C = 5, PReLU",
    inputs: [{ shape: [2, 3, 3, 5] }, { shape: [5], range: [-1.5, 1.5] }, { shape: [5] }, {
      shape: [5],
      range: SLOPES,
    }],
    run: ([x, s, b, a]) => channelAffinePrelu(x, s, b, a),
  },
  {
    name: "[N, C], C = 7, no PReLU",
    inputs: [{ shape: [3, 7] }, { shape: [7], range: [-1.5, 1.5] }, { shape: [7] }],
    run: ([x, s, b]) => channelAffinePrelu(x, s, b),
  },
  {
    name: "NHWC, C = 13, PReLU",
    inputs: [{ shape: [2, 2, 3, 13] }, { shape: [13], range: [0.5, 1.5] }, { shape: [13] }, {
      shape: [13],
      range: SLOPES,
    }],
    run: ([x, s, b, a]) => channelAffinePrelu(x, s, b, a),
  },
  {
    name: "[C] alone, C = 6, PReLU",
    inputs: [{ shape: [6] }, { shape: [6] }, { shape: [6] }, { shape: [6], range: SLOPES }],
    run: ([x, s, b, a]) => channelAffinePrelu(x, s, b, a),
  },
]);

// Large enough to run multi-threaded on the wasm backend (forward parity only: a finite-difference check would
// take minutes at this size).
testOp("channel_affine_prelu", [
  {
    name: "multi-threaded, C = 67, PReLU",
    inputs: [{ shape: [4, 16, 16, 67] }, { shape: [67] }, { shape: [67] }, { shape: [67], range: SLOPES }],
    run: ([x, s, b, a]) => channelAffinePrelu(x, s, b, a),
  },
  {
    name: "multi-threaded, C = 64, no PReLU",
    inputs: [{ shape: [4, 16, 16, 64] }, { shape: [64] }, { shape: [64] }],
    run: ([x, s, b]) => channelAffinePrelu(x, s, b),
  },
], { gradient: false });

const ref = new ReferenceBackend();

Deno.test("channel_affine_prelu: hand-computed values", async () => {
  const x = tensor(ref, [1, -2, 0.5, 3, -1, -4], [3, 2]);
  const scale = tensor(ref, [2, -1], [2]);
  const shift = tensor(ref, [-1, 0.5], [2]);
  const alpha = tensor(ref, [0.25, 0.5], [2]);
  // z = [1, 2.5, 0, -2.5, -3, 4.5]
  assert.deepStrictEqual(await channelAffinePrelu(x, scale, shift).toArray(), [1, 2.5, 0, -2.5, -3, 4.5]);
  assert.deepStrictEqual(await channelAffinePrelu(x, scale, shift, alpha).toArray(), [1, 2.5, 0, -1.25, -0.75, 4.5]);
});

const bad: [string, () => unknown, RegExp][] = [
  [
    "scale shape",
    () => channelAffinePrelu(ones(ref, [2, 4]), ones(ref, [3]), ones(ref, [4])),
    /channel_affine_prelu: argument "scale" expected shape \[4\] \(channels of x\), got \[3\]/,
  ],
  [
    "shift rank",
    () => channelAffinePrelu(ones(ref, [2, 4]), ones(ref, [4]), ones(ref, [1, 4])),
    /channel_affine_prelu: argument "shift" expected shape \[4\] \(channels of x\), got \[1, 4\]/,
  ],
  [
    "alpha shape",
    () => channelAffinePrelu(ones(ref, [2, 3, 5]), ones(ref, [5]), ones(ref, [5]), ones(ref, [3])),
    /channel_affine_prelu: argument "alpha" expected shape \[5\] \(channels of x\), got \[3\]/,
  ],
  [
    "dtype",
    () => channelAffinePrelu(ones(ref, [2, 4]), ones(ref, [4], "i32"), ones(ref, [4])),
    /channel_affine_prelu: argument "scale" expected dtype f32, got i32/,
  ],
  [
    "scalar x",
    () => channelAffinePrelu(ones(ref, []), ones(ref, [1]), ones(ref, [1])),
    /channel_affine_prelu: argument "x" expected rank ≥ 1/,
  ],
];

for (const [name, run, pattern] of bad) {
  Deno.test(`channel_affine_prelu: bad input is named (${name})`, () => assert.throws(run, pattern));
}

Deno.test({
  name: "channel_affine_prelu: wasm results are bit-identical at 1 and 2 threads",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const rng = new Rng(hashString("channel_affine_prelu/threads"), "test-inputs");
    const c = 61;
    const host = (n: number) => Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
    const data = [host(8 * 24 * 24 * c), host(c), host(c), host(c)];
    const results: Float32Array[][] = [];
    for (const threads of [1, 2]) {
      const backend = await WasmBackend.create({ threads });
      try {
        const [x, s, b, a] = data.map((d, i) => tensor(backend, d, i === 0 ? [8, 24, 24, c] : [c]));
        results.push([
          Float32Array.from(await channelAffinePrelu(x, s, b, a).read()),
          Float32Array.from(await channelAffinePrelu(x, s, b).read()),
        ]);
      } finally {
        backend.destroy();
      }
    }
    results[0].forEach((values, k) => assert.deepStrictEqual(results[1][k], values, `result ${k} differs`));
  },
});
