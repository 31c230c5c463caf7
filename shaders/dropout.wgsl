// dropout: element i keeps when Threefry(key, offset + i) word 0 >> 8 ≥ threshold (= ceil(p·2^24), i.e. unit ≥ p);
// mask = keep ? scale : 0, y = x·mask. Bindings: 0 params {n, key0, key1, offsetLo, offsetHi, threshold,
// scale: f32}, 1 x, 2 y, 3 mask. One invocation computes one element.
//!include _common.wgsl
//!include _threefry.wgsl
//!include _slots.wgsl
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> mask: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let i = flat_id(wid, nwg, li, 256u);
  if (i >= pu(0u)) {
    return;
  }
  let lo = pu(3u) + i;
  let hi = pu(4u) + select(0u, 1u, lo < i);
  let bits = threefry2x32(pu(1u), pu(2u), lo, hi).x;
  let m = select(0.0, pf(6u), (bits >> 8u) >= pu(5u));
  mask[i] = m;
  y[i] = x[i] * m;
}
