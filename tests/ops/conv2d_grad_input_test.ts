import { conv2dAttrs, conv2dGradInput } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

// A backward kernel: no grad rule of its own; its values are checked through conv2d's gradient check,
// against PyTorch in golden_test.ts, and here for backend parity.
testOp("conv2d_grad_input", [
  {
    name: "stride 2, padding 1",
    inputs: [{ shape: [1, 4, 3, 3] }, { shape: [3, 3, 2, 3] }],
    run: ([dy, w]) => conv2dGradInput(dy, w, [1, 7, 6, 2], conv2dAttrs({ stride: 2, padding: 1 })),
  },
  {
    name: "depthwise",
    inputs: [{ shape: [2, 5, 5, 4] }, { shape: [3, 3, 1, 4] }],
    run: ([dy, w]) => conv2dGradInput(dy, w, [2, 5, 5, 4], conv2dAttrs({ padding: 1, groups: 4 })),
  },
  // 1×1, stride 1, no padding: on the wasm backend the GEMM writes dx directly (no col2im); odd sizes give partial
  // row and column tiles, and a 1×1 stride-2 one still goes through col2im.
  {
    name: "1x1 stride 1, 13 to 70 channels",
    inputs: [{ shape: [3, 7, 5, 70] }, { shape: [1, 1, 13, 70] }],
    run: ([dy, w]) => conv2dGradInput(dy, w, [3, 7, 5, 13], conv2dAttrs({})),
  },
  {
    name: "1x1 stride 2",
    inputs: [{ shape: [2, 4, 3, 6] }, { shape: [1, 1, 5, 6] }],
    run: ([dy, w]) => conv2dGradInput(dy, w, [2, 7, 6, 5], conv2dAttrs({ stride: 2 })),
  },
  // At batch 1 on a 5×5 map the im2col GEMM has one row block: on the wasm backend at 2 threads it is cut into five
  // 40-column parts of the 180 filter-tap columns, the last one partial.
  {
    name: "3x3 stride 2 at batch 1, 70 to 20 channels (GEMM column parts)",
    inputs: [{ shape: [1, 5, 5, 70] }, { shape: [3, 3, 20, 70] }],
    run: ([dy, w]) => conv2dGradInput(dy, w, [1, 9, 9, 20], conv2dAttrs({ stride: 2, padding: 1 })),
  },
  // 3×3 stride-1 input gradients with at least 8×8 maps and 32 tiles run as Winograd convolutions on the wasm backend.
  {
    name: "3x3 stride 1, 9x10 map, odd channels",
    inputs: [{ shape: [2, 9, 10, 7] }, { shape: [3, 3, 5, 7] }],
    run: ([dy, w]) => conv2dGradInput(dy, w, [2, 9, 10, 5], conv2dAttrs({ padding: 1 })),
  },
  {
    name: "3x3 stride 1, asymmetric padding",
    inputs: [{ shape: [2, 8, 12, 6] }, { shape: [3, 3, 9, 6] }],
    run: ([dy, w]) => conv2dGradInput(dy, w, [2, 10, 10, 9], conv2dAttrs({ padding: [0, 2] })),
  },
  // With 64 or more channels on both sides, as Winograd F(4×4, 3×3): partial 4×4 tiles, several 32-tile tasks.
  {
    name: "F(4x4) 3x3 stride 1, 19x18 map, 66 to 65 channels",
    inputs: [{ shape: [3, 19, 18, 66] }, { shape: [3, 3, 65, 66] }],
    run: ([dy, w]) => conv2dGradInput(dy, w, [3, 19, 18, 65], conv2dAttrs({ padding: 1 })),
  },
  {
    name: "F(4x4) 3x3 stride 1, asymmetric padding",
    inputs: [{ shape: [4, 8, 14, 68] }, { shape: [3, 3, 64, 68] }],
    run: ([dy, w]) => conv2dGradInput(dy, w, [4, 10, 12, 64], conv2dAttrs({ padding: [0, 2] })),
  },
], { gradient: false });
