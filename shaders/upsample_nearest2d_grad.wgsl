// upsample_nearest2d_grad: dx[N,H,W,C] = the sum of dy[N, H·sh, W·sw, C] over each sh×sw block, in row-major block
// order (a sum pool: geometry h, w of dy; oh, ow of dx; kernel = stride = scale).
// Bindings: 0 params (_pool.wgsl), 1 dy, 2 dx. One invocation computes one dx element.
//!include _pool.wgsl
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;

fn pool_map_size() -> vec2<u32> {
  return vec2<u32>(P.geom.oh, P.geom.ow);
}

fn pool_element(i: u32, b: u32, oy: u32, ox: u32, ch: u32) {
  let c = P.geom.c;
  let win = window(oy, ox);
  var s = 0.0;
  for (var iy = win.x; iy < win.y; iy++) {
    for (var ix = win.z; ix < win.w; ix++) {
      s += dy[((b * P.geom.h + u32(iy)) * P.geom.w + u32(ix)) * c + ch];
    }
  }
  dx[i] = s;
}
