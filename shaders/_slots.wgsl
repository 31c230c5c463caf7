// Positional uniform parameters (binding 0: 64 words; integers as u32 bits, floats as f32 bits), read with
// pu/pi/pf, for the shaders whose family has no named block in src/core/param_blocks.ts yet.
@group(0) @binding(0) var<uniform> P: array<vec4<u32>, 16>;

fn pu(i: u32) -> u32 {
  return P[i / 4u][i % 4u];
}

fn pi(i: u32) -> i32 {
  return bitcast<i32>(P[i / 4u][i % 4u]);
}

fn pf(i: u32) -> f32 {
  return bitcast<f32>(P[i / 4u][i % 4u]);
}
