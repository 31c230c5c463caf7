// broadcast_to: right-aligned NumPy broadcast of the input to the output shape.
// Bindings: 0 params {n, rank, shape, src/dst strides, bases}, 1 src, 2 dst (32-bit words of any dtype).
// One invocation copies one element. (src strides: 0 on broadcast axes)
//!include _copy.wgsl
