/** Bad shapes and dtypes raise errors that name the op, the argument and the expected vs actual shape. */
import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import {
  add,
  batchNorm,
  concat,
  conv2d,
  matmul,
  maxPool2d,
  ones,
  prelu,
  reshape,
  slice,
  softmaxCrossEntropy,
  tensor,
  zeros,
} from "../../src/ops/mod.ts";

const b = new ReferenceBackend();

const cases: [string, () => unknown, RegExp][] = [
  [
    "matmul K mismatch",
    () => matmul(ones(b, [2, 3]), ones(b, [4, 5])),
    /matmul: argument "b" expected 3 along its K axis.*\[4, 5\]/,
  ],
  [
    "matmul rank",
    () => matmul(ones(b, [2, 3, 1]), ones(b, [3, 5])),
    /matmul: argument "a" expected rank 2 \(\[M, K\]\), got shape \[2, 3, 1\]/,
  ],
  [
    "conv2d channels",
    () => conv2d(ones(b, [1, 5, 5, 3]), ones(b, [3, 3, 4, 8])),
    /conv2d: argument "w" expected shape \[3, 3, 3, 8\].*got \[3, 3, 4, 8\]/,
  ],
  [
    "conv2d layout",
    () => conv2d(ones(b, [5, 5, 3]), ones(b, [3, 3, 3, 8])),
    /conv2d: argument "x" expected rank 4 \(NHWC\)/,
  ],
  [
    "conv2d groups",
    () => conv2d(ones(b, [1, 5, 5, 3]), ones(b, [3, 3, 1, 4]), { groups: 3 }),
    /conv2d: argument "groups" 3 must divide/,
  ],
  [
    "conv2d too small",
    () => conv2d(ones(b, [1, 2, 2, 1]), ones(b, [3, 3, 1, 1])),
    /conv2d: argument "x" input size 2 is too small/,
  ],
  [
    "broadcast",
    () => add(ones(b, [2, 3]), ones(b, [4])),
    /add: argument "b" cannot broadcast shape \[4\] with \[2, 3\]/,
  ],
  ["dtype", () => add(ones(b, [2]), ones(b, [2], "i32")), /add: argument "b" expected dtype f32, got i32/],
  [
    "labels dtype",
    () => softmaxCrossEntropy(ones(b, [2, 3]), ones(b, [2])),
    /softmax_cross_entropy: argument "labels" expected dtype i32/,
  ],
  [
    "labels shape",
    () => softmaxCrossEntropy(ones(b, [2, 3]), zeros(b, [3], "i32")),
    /argument "labels" expected shape \[2\], got \[3\]/,
  ],
  [
    "label range",
    () => softmaxCrossEntropy(ones(b, [2, 3]), tensor(b, [0, 5], [2], "i32")),
    /holds 5, expected a class in \[0, 3\)/,
  ],
  [
    "batch_norm gamma",
    () => batchNorm(ones(b, [2, 4]), ones(b, [3]), ones(b, [4]), ones(b, [4]), ones(b, [4]), { training: true }),
    /batch_norm: argument "gamma" expected shape \[4\], got \[3\]/,
  ],
  ["prelu alpha", () => prelu(ones(b, [2, 4]), ones(b, [2])), /prelu: argument "alpha" expected shape \[4\]/],
  [
    "reshape size",
    () => reshape(ones(b, [2, 3]), [4, 2]),
    /reshape: argument "shape" \[4, 2\] has 8 elements, input \[2, 3\] has 6/,
  ],
  [
    "slice window",
    () => slice(ones(b, [2, 3]), [1, 1], [2, 2]),
    /slice: argument "begin\/size" window begin \[1, 1\] size \[2, 2\] does not fit input \[2, 3\]/,
  ],
  [
    "concat shapes",
    () => concat([ones(b, [2, 3]), ones(b, [2, 4])], 0),
    /concat: argument "inputs\[1\]" expected f32 \[2, 3\] except along axis 0/,
  ],
  [
    "pool padding",
    () => maxPool2d(ones(b, [1, 4, 4, 1]), { kernel: 2, padding: 2 }),
    /max_pool2d: argument "padding" must be at most half the kernel/,
  ],
  [
    "tensor data length",
    () => tensor(b, [1, 2, 3], [2, 2]),
    /tensor: argument "data" has 3 values, shape \[2, 2\] needs 4/,
  ],
];

for (const [name, run, pattern] of cases) {
  Deno.test(`errors: ${name}`, () => assert.throws(run, pattern));
}

Deno.test("errors: using a disposed tensor names it", () => {
  const t = ones(b, [2]);
  t.dispose();
  assert.throws(() => add(t, t), /add: argument "input 0" was disposed before use/);
});
