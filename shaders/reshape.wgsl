// reshape: copies all elements unchanged (new shape, same row-major order).
// Bindings: 0 params {n, rank, shape, src/dst strides, bases}, 1 src, 2 dst (32-bit words of any dtype).
// One invocation copies one element. (rank 1, unit strides)
//!include _copy.wgsl
