// matmul: C[M, N] = op(A) · op(B) for 2-D operands (one group of the GEMM in _matmul.wgsl).
//!include _matmul.wgsl
