// avg_pool2d: y[N,OH,OW,C] = window sum of x / divisor (PyTorch count_include_pad and ceil-mode rules).
// Bindings: 0 params (_pool.wgsl), 1 x, 2 y. One invocation computes one output element.
//!include _pool.wgsl
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

fn pool_map_size() -> vec2<u32> {
  return vec2<u32>(P.geom.oh, P.geom.ow);
}

fn pool_element(i: u32, b: u32, oy: u32, ox: u32, ch: u32) {
  let c = P.geom.c;
  let win = window(oy, ox);
  var s = 0.0;
  for (var iy = win.x; iy < win.y; iy++) {
    for (var ix = win.z; ix < win.w; ix++) {
      s += x[((b * P.geom.h + u32(iy)) * P.geom.w + u32(ix)) * c + ch];
    }
  }
  y[i] = s / divisor(oy, ox);
}
