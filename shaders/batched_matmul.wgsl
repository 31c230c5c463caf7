// batched_matmul: C[g] = op(A[g]) · op(B[g]) for rank-3 operands, batch entry g = the grid group (_matmul.wgsl).
//!include _matmul.wgsl
