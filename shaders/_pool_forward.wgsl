// Forward pooling (avg_pool2d, max_pool2d): one invocation per output element (_pool.wgsl's `main` over the output
// map). Bindings: 1 x, 2 y; x_at reads x at an input pixel of the window.
//!include _pool.wgsl
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

fn pool_map_size() -> vec2<u32> {
  return vec2<u32>(P.geom.oh, P.geom.ow);
}

// x at batch b, input row iy, column ix, channel ch (inside the image).
fn x_at(b: u32, iy: i32, ix: i32, ch: u32) -> f32 {
  return x[((b * P.geom.h + u32(iy)) * P.geom.w + u32(ix)) * P.geom.c + ch];
}
