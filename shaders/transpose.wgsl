// transpose: output axis i is input axis perm[i].
// Bindings: 0 params {n, rank, shape, src/dst strides, bases}, 1 src, 2 dst (32-bit words of any dtype).
// One invocation copies one element. (src strides: the input's strides permuted)
//!include _copy.wgsl
