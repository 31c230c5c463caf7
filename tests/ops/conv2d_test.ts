import { conv2d } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("conv2d", [
  {
    name: "3x3 same",
    inputs: [{ shape: [2, 5, 5, 3] }, { shape: [3, 3, 3, 4] }],
    run: ([x, w]) => conv2d(x, w, { padding: 1 }),
  },
  {
    name: "stride 2, odd size",
    inputs: [{ shape: [1, 7, 6, 2] }, { shape: [3, 3, 2, 3] }],
    run: ([x, w]) => conv2d(x, w, { stride: 2, padding: 1 }),
  },
  {
    name: "dilation 2, 2x3 kernel",
    inputs: [{ shape: [1, 7, 7, 2] }, { shape: [2, 3, 2, 2] }],
    run: ([x, w]) => conv2d(x, w, { dilation: 2, padding: [1, 2] }),
  },
  {
    name: "groups 2",
    inputs: [{ shape: [1, 4, 4, 4] }, { shape: [3, 3, 2, 6] }],
    run: ([x, w]) => conv2d(x, w, { padding: 1, groups: 2 }),
  },
  {
    name: "depthwise stride 2",
    inputs: [{ shape: [2, 5, 5, 3] }, { shape: [3, 3, 1, 3] }],
    run: ([x, w]) => conv2d(x, w, { stride: 2, padding: 1, groups: 3 }),
  },
  // 3×3 stride-1 convolutions of at least 8×8 outputs and 32 output tiles run as Winograd F(2×2, 3×3) on the wasm
  // backend: odd map sizes (partial 2×2 tiles), channel counts that are not multiples of 4, several tile blocks,
  // asymmetric padding.
  {
    name: "3x3 stride 1, 17x16 map, odd channels",
    inputs: [{ shape: [2, 17, 16, 5] }, { shape: [3, 3, 5, 6] }],
    run: ([x, w]) => conv2d(x, w, { padding: 1 }),
  },
  {
    name: "3x3 stride 1, asymmetric padding",
    inputs: [{ shape: [2, 10, 10, 8] }, { shape: [3, 3, 8, 9] }],
    run: ([x, w]) => conv2d(x, w, { padding: [0, 2] }),
  },
  {
    // 23 channels: a 16-channel register block, a 4-channel vector and 3 scalar channels in each depthwise kernel.
    name: "depthwise 3x3 stride 2, 23 channels, odd map",
    inputs: [{ shape: [2, 9, 7, 23] }, { shape: [3, 3, 1, 23] }],
    run: ([x, w]) => conv2d(x, w, { stride: 2, padding: 1, groups: 23 }),
  },
  {
    // 3×3 stride 1 on an 11-wide map: on the wasm backend interior pixels go four at a time (two groups, then one
    // pixel alone) and the border pixels one by one; 19 channels: two 8-channel blocks of the filter gradient's
    // three-column path, the rest by the 16-channel path, vector and scalar tails in the forward and input gradient.
    name: "depthwise 3x3 stride 1, 19 channels, 11-wide map",
    inputs: [{ shape: [2, 6, 11, 19] }, { shape: [3, 3, 1, 19] }],
    run: ([x, w]) => conv2d(x, w, { padding: 1, groups: 19 }),
  },
  {
    // Row dilation 2 (the three-column paths step two source rows per filter row) and padding 2 (border pixels with
    // one or two valid filter columns; output 12 wide, 4-pixel groups from column 2).
    name: "depthwise 3x3 stride 1, row dilation 2, padding 2",
    inputs: [{ shape: [1, 7, 10, 9] }, { shape: [3, 3, 1, 9] }],
    run: ([x, w]) => conv2d(x, w, { padding: 2, dilation: [2, 1], groups: 9 }),
  },
  {
    // 7x7 taps with padding 1: between 25 and 49 valid taps per pixel, added in more than one group of 25.
    name: "depthwise 7x7, 20 channels, taps in groups",
    inputs: [{ shape: [1, 8, 7, 20] }, { shape: [7, 7, 1, 20] }],
    run: ([x, w]) => conv2d(x, w, { padding: 1, groups: 20 }),
  },
  { name: "1x1", inputs: [{ shape: [2, 3, 3, 4] }, { shape: [1, 1, 4, 5] }], run: ([x, w]) => conv2d(x, w) },
]);

// With 64 or more input and output channels those convolutions run as Winograd F(4×4, 3×3) on the wasm backend:
// 19×18 maps (4×4 tiles cut in both directions), channel counts that are not multiples of 4, three images (75 tiles:
// several 32-tile tasks, the last one partial), asymmetric padding. Outputs only (here and in the column-part cases
// below): the gradients of these shapes are compared in conv2d_grad_input_test.ts and conv2d_grad_weight_test.ts,
// and a finite-difference check of inputs this large would take minutes.
testOp("conv2d", [
  {
    name: "F(4x4) 3x3 stride 1, 19x18 map, 65 to 66 channels",
    inputs: [{ shape: [3, 19, 18, 65] }, { shape: [3, 3, 65, 66] }],
    run: ([x, w]) => conv2d(x, w, { padding: 1 }),
  },
  {
    name: "F(4x4) 3x3 stride 1, asymmetric padding, 64 to 68 channels",
    inputs: [{ shape: [4, 10, 12, 64] }, { shape: [3, 3, 64, 68] }],
    run: ([x, w]) => conv2d(x, w, { padding: [0, 2] }),
  },
  // Small maps at batch 1 have fewer GEMM row blocks than threads want: on the wasm backend at 2 threads each row
  // block is cut into column parts (80-column parts across the 512-column panel boundary; 40-column parts of an
  // im2col GEMM, the last one partial).
  {
    name: "1x1 at batch 1, 4x4 map, 40 to 600 channels (GEMM column parts)",
    inputs: [{ shape: [1, 4, 4, 40] }, { shape: [1, 1, 40, 600] }],
    run: ([x, w]) => conv2d(x, w),
  },
  {
    name: "3x3 stride 2 at batch 1, 9x9 map, 20 to 70 channels (GEMM column parts)",
    inputs: [{ shape: [1, 9, 9, 20] }, { shape: [3, 3, 20, 70] }],
    run: ([x, w]) => conv2d(x, w, { stride: 2, padding: 1 }),
  },
], { gradient: false });
