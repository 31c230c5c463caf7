#!/bin/sh
# Builds wasm-simd/kernels.wasm (deterministic: no relaxed SIMD) and wasm-simd/kernels_fast.wasm (relaxed
# multiply-add in the GEMM and depthwise kernels) from the C sources, reproducibly (the same bytes on every
# machine with clang-19).
# --no-wasm-opt: clang-19 would otherwise run a wasm-opt found on PATH, and Debian's binaryen cannot parse relaxed
# SIMD (and its version would change the bytes).
set -eu
cd "$(dirname "$0")"
CFLAGS="--target=wasm32 --no-wasm-opt -O3 -msimd128 -matomics -mbulk-memory -nostdlib -ffreestanding -fno-builtin \
  -ffile-prefix-map=$PWD=. -Wall -Wextra -Werror"
LDFLAGS="-Wl,--no-entry -Wl,--import-memory -Wl,--shared-memory -Wl,--max-memory=4294967296 \
  -Wl,--export=__stack_pointer -Wl,--export=__heap_base -Wl,--strip-all"
# shellcheck disable=SC2086
clang-19 $CFLAGS $LDFLAGS -o kernels.wasm ./*.c
# shellcheck disable=SC2086
clang-19 $CFLAGS -mrelaxed-simd -DFACEBENCH_FAST $LDFLAGS -o kernels_fast.wasm ./*.c
echo "built $(pwd)/kernels.wasm ($(wc -c < kernels.wasm) bytes), kernels_fast.wasm ($(wc -c < kernels_fast.wasm) bytes)"
