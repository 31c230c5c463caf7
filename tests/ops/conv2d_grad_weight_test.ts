import { conv2dAttrs, conv2dGradWeight } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

// A backward kernel: no grad rule of its own; see conv2d_grad_input_test.ts.
testOp("conv2d_grad_weight", [
  {
    name: "stride 2, padding 1",
    inputs: [{ shape: [1, 7, 6, 2] }, { shape: [1, 4, 3, 3] }],
    run: ([x, dy]) => conv2dGradWeight(x, dy, [3, 3, 2, 3], conv2dAttrs({ stride: 2, padding: 1 })),
  },
  {
    name: "groups 2, dilation 2",
    inputs: [{ shape: [1, 6, 6, 4] }, { shape: [1, 4, 4, 6] }],
    run: ([x, dy]) => conv2dGradWeight(x, dy, [3, 3, 2, 6], conv2dAttrs({ padding: 1, dilation: 2, groups: 2 })),
  },
  {
    // 1×1 on the wasm backend: each 512-row chunk's dy is packed once (two K blocks) for the filter's row blocks;
    // 544 rows (a 32-row second chunk), 37 output channels (more than the 5 input channels, a partial 8-column panel).
    name: "1x1, two row chunks, more output than input channels",
    inputs: [{ shape: [2, 17, 16, 5] }, { shape: [2, 17, 16, 37] }],
    run: ([x, dy]) => conv2dGradWeight(x, dy, [1, 1, 5, 37], conv2dAttrs({})),
  },
  // 3×3 stride-1 filter gradients with at least 8×8 maps and 32 tiles run as Winograd on the wasm backend: partial 2×2 tiles,
  // channel counts that are not multiples of 4, several tile chunks (2·9·8 = 144 tiles), asymmetric padding.
  {
    name: "3x3 stride 1, 17x16 map, odd channels",
    inputs: [{ shape: [2, 17, 16, 5] }, { shape: [2, 17, 16, 7] }],
    run: ([x, dy]) => conv2dGradWeight(x, dy, [3, 3, 5, 7], conv2dAttrs({ padding: 1 })),
  },
  {
    name: "3x3 stride 1, asymmetric padding",
    inputs: [{ shape: [2, 10, 10, 9] }, { shape: [2, 8, 12, 6] }],
    run: ([x, dy]) => conv2dGradWeight(x, dy, [3, 3, 9, 6], conv2dAttrs({ padding: [0, 2] })),
  },
  // With 64 or more channels on both sides, as Winograd F(4×4, 3×3): partial 4×4 tiles, two 64-tile chunks
  // (3·5·5 = 75 tiles).
  {
    name: "F(4x4) 3x3 stride 1, 19x18 map, 65 and 66 channels",
    inputs: [{ shape: [3, 19, 18, 65] }, { shape: [3, 19, 18, 66] }],
    run: ([x, dy]) => conv2dGradWeight(x, dy, [3, 3, 65, 66], conv2dAttrs({ padding: 1 })),
  },
  {
    name: "F(4x4) 3x3 stride 1, asymmetric padding",
    inputs: [{ shape: [4, 10, 12, 64] }, { shape: [4, 8, 14, 68] }],
    run: ([x, dy]) => conv2dGradWeight(x, dy, [3, 3, 64, 68], conv2dAttrs({ padding: [0, 2] })),
  },
], { gradient: false });
