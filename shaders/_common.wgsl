// Helpers shared by every kernel: flat_id maps a (possibly 2-D) grid of workgroups to a linear index; NaN-aware
// max. A shader's uniform parameters (binding 0, `P`) come from its generated _params_*.wgsl include.
// Linear workgroup index of a grid spread over x and y.
fn group_id(wid: vec3<u32>, nwg: vec3<u32>) -> u32 {
  return wid.y * nwg.x + wid.x;
}

// Linear invocation index for workgroups of `size` invocations.
fn flat_id(wid: vec3<u32>, nwg: vec3<u32>, li: u32, size: u32) -> u32 {
  return group_id(wid, nwg) * size + li;
}

fn is_nan(v: f32) -> bool {
  return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u;
}

// The bit patterns go through a `let`, so the bitcast is not a constant expression: Tint (Chromium's WGSL
// compiler) rejects a constant NaN or infinity ("value nan cannot be represented as 'f32'"); naga accepts both.
fn nan_f32() -> f32 {
  let quiet_nan = 0x7fc00000u;
  return bitcast<f32>(quiet_nan);
}

fn neg_inf() -> f32 {
  let negative_infinity = 0xff800000u;
  return bitcast<f32>(negative_infinity);
}

// max that propagates NaN (like the reference's `x > m || isNaN(x)`).
fn max_nan(a: f32, b: f32) -> f32 {
  if (is_nan(a) || is_nan(b)) {
    return nan_f32();
  }
  return max(a, b);
}
