// Pooling gradients (avg_pool2d_grad, max_pool2d_grad): one invocation per dx element (_pool.wgsl's `main` over the
// input map), a gather over the outputs whose windows cover it, in output order (no atomics, a fixed order).
// Binding 1 dy; the including shader declares the rest.
//!include _pool.wgsl
@group(0) @binding(1) var<storage, read> dy: array<f32>;

fn pool_map_size() -> vec2<u32> {
  return vec2<u32>(P.geom.h, P.geom.w);
}

// The outputs whose windows cover input pixel (iy, ix): rows x..y and columns z..w, inclusive (empty when y < x or
// w < z).
fn covering(iy: u32, ix: u32) -> vec4<i32> {
  let ry = out_range(iy, P.geom.kh, P.geom.sh, u32(P.geom.ph), P.geom.oh);
  let rx = out_range(ix, P.geom.kw, P.geom.sw, u32(P.geom.pw), P.geom.ow);
  return vec4<i32>(ry, rx);
}

// Flat index of output (b, oy, ox, ch) in dy.
fn dy_offset(b: u32, oy: i32, ox: i32, ch: u32) -> u32 {
  return ((b * P.geom.oh + u32(oy)) * P.geom.ow + u32(ox)) * P.geom.c + ch;
}
