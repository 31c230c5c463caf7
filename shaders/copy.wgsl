// copy: copies every element unchanged into an output of the same shape (which may be an existing tensor).
// Bindings: 0 params {n, rank, shape, src/dst strides, bases}, 1 src, 2 dst (32-bit words of any dtype).
// One invocation copies one element. (rank 1, unit strides)
//!include _copy.wgsl
