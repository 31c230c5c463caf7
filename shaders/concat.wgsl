// concat: copies one input into its window of the output; dispatched once per input.
// Bindings: 0 params {n, rank, shape, src/dst strides, bases}, 1 src, 2 dst (32-bit words of any dtype).
// One invocation copies one element. (dst strides: the output's; dstBase: start·stride of the axis)
//!include _copy.wgsl
