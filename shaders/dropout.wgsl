// dropout: element i keeps when Threefry(key, offset + i) word 0 >> 8 ≥ threshold (= ceil(p·2^24), i.e. unit ≥ p);
// mask = keep ? scale : 0, y = x·mask. Bindings: 0 params {n, key0, key1, offsetLo, offsetHi, threshold,
// scale: f32}, 1 x, 2 y, 3 mask. One invocation computes one element.
//!include _per_element.wgsl
//!include _threefry.wgsl
//!include _params_dropout_shader_params.wgsl
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> mask: array<f32>;

fn element_count() -> u32 {
  return P.n;
}

fn element(i: u32) {
  let lo = P.offset_lo + i;
  let hi = P.offset_hi + select(0u, 1u, lo < i);
  let bits = threefry2x32(P.key0, P.key1, lo, hi).x;
  let m = select(0.0, P.scale, (bits >> 8u) >= P.threshold);
  mask[i] = m;
  y[i] = x[i] * m;
}
