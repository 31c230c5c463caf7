// max_pool2d: y[N,OH,OW,C] = window max of x[N,H,W,C]; argmax (i32) = iy·W + ix of the first maximum in window
// order (a NaN wins first). Bindings: 0 params (_pool.wgsl), 1 x, 2 y, 3 argmax: i32. One invocation computes one
// output element.
//!include _pool.wgsl
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> argmax: array<i32>;

fn pool_map_size() -> vec2<u32> {
  return vec2<u32>(P.geom.oh, P.geom.ow);
}

fn pool_element(i: u32, b: u32, oy: u32, ox: u32, ch: u32) {
  let c = P.geom.c;
  let win = window(oy, ox);
  var best = neg_inf();
  var at = -1;
  for (var iy = win.x; iy < win.y; iy++) {
    for (var ix = win.z; ix < win.w; ix++) {
      let v = x[((b * P.geom.h + u32(iy)) * P.geom.w + u32(ix)) * c + ch];
      if (v > best || (at < 0 && is_nan(v))) {
        best = v;
        at = iy * i32(P.geom.w) + ix;
      }
    }
  }
  y[i] = best;
  argmax[i] = at;
}
