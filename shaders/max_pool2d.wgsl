// max_pool2d: y[N,OH,OW,C] = window max of x[N,H,W,C]; argmax (i32) = iy·W + ix of the first maximum in window
// order (a NaN wins first). Bindings: 0 params (_pool.wgsl), 1 x, 2 y (_pool_forward.wgsl), 3 argmax: i32. One
// invocation computes one output element.
//!include _pool_forward.wgsl
@group(0) @binding(3) var<storage, read_write> argmax: array<i32>;

fn pool_element(i: u32, b: u32, oy: u32, ox: u32, ch: u32) {
  let win = window(oy, ox);
  var best = neg_inf();
  var at = -1;
  for (var iy = win.x; iy < win.y; iy++) {
    for (var ix = win.z; ix < win.w; ix++) {
      let v = x_at(b, iy, ix, ch);
      if (v > best || (at < 0 && is_nan(v))) {
        best = v;
        at = iy * i32(P.geom.w) + ix;
      }
    }
  }
  y[i] = best;
  argmax[i] = at;
}
