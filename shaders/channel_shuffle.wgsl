// channel_shuffle: NHWC channel shuffle: output channel k·groups + g ← input channel g·(C/groups) + k.
// Bindings: 0 params {n, rank, shape, src/dst strides, bases}, 1 src, 2 dst (32-bit words of any dtype).
// One invocation copies one element. (shape [N·H·W, C/groups, groups], src strides [C, 1, C/groups])
//!include _copy.wgsl
