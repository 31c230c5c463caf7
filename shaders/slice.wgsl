// slice: copies the window of shape size starting at begin.
// Bindings: 0 params {n, rank, shape, src/dst strides, bases}, 1 src, 2 dst (32-bit words of any dtype).
// One invocation copies one element. (src strides: the input's; srcBase: Σ begin·stride)
//!include _copy.wgsl
