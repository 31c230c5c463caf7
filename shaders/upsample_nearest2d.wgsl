// upsample_nearest2d: NHWC nearest-neighbour upsampling by integer [sh, sw]: y[b, y, x, ch] ← x[b, y/sh, x/sw, ch].
// Bindings: 0 params {n, rank, shape, src/dst strides, bases}, 1 src, 2 dst (32-bit words of any dtype).
// One invocation copies one element. (shape [N, H, sh, W, sw, C], src strides [H·W·C, W·C, 0, C, 0, 1])
//!include _copy.wgsl
