#!/bin/sh
# Builds wasm-simd/kernels.wasm (deterministic: no relaxed SIMD) and wasm-simd/kernels_fast.wasm (relaxed
# multiply-add in the GEMM and depthwise kernels) from the C sources, reproducibly (the same bytes on every
# machine with clang-19 and lld-19).
# Sources are compiled with `clang-19 -c` and linked with `wasm-ld-19` directly: the clang driver would run a
# wasm-opt found on PATH at link time (Debian's binaryen cannot parse relaxed SIMD, and its version would change
# the bytes), and clang 19's `--no-wasm-opt` makes the driver exit 0 without building anything.
set -eu
cd "$(dirname "$0")"
CFLAGS="--target=wasm32 -O3 -msimd128 -matomics -mbulk-memory -nostdlib -ffreestanding -fno-builtin \
  -ffile-prefix-map=$PWD=. -Wall -Wextra -Werror"
LDFLAGS="--no-entry --import-memory --shared-memory --max-memory=4294967296 --export=__stack_pointer \
  --export=__heap_base --strip-all"
OBJ=$(mktemp -d)
trap 'rm -rf "$OBJ"' EXIT

# build OUTPUT EXTRA_CFLAGS: compiles every source into $OBJ/<variant>/ and links OUTPUT.
build() {
  mkdir -p "$OBJ/$1"
  for src in ./*.c; do
    # shellcheck disable=SC2086
    clang-19 $CFLAGS $2 -c -o "$OBJ/$1/$(basename "$src" .c).o" "$src"
  done
  rm -f "$1"
  # shellcheck disable=SC2086
  wasm-ld-19 $LDFLAGS -o "$1" "$OBJ/$1"/*.o
  test -s "$1" || { echo "build.sh: $1 was not produced" >&2; exit 1; }
}

build kernels.wasm ""
build kernels_fast.wasm "-mrelaxed-simd -DFACEBENCH_FAST"
echo "built $(pwd)/kernels.wasm ($(wc -c < kernels.wasm) bytes), kernels_fast.wasm ($(wc -c < kernels_fast.wasm) bytes)"
