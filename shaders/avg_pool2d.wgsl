// avg_pool2d: y[N,OH,OW,C] = window sum of x / divisor (PyTorch count_include_pad and ceil-mode rules).
// Bindings: 0 params (_pool.wgsl), 1 x, 2 y (_pool_forward.wgsl). One invocation computes one output element.
//!include _pool_forward.wgsl

fn pool_element(i: u32, b: u32, oy: u32, ox: u32, ch: u32) {
  let win = window(oy, ox);
  var s = 0.0;
  for (var iy = win.x; iy < win.y; iy++) {
    for (var ix = win.z; ix < win.w; ix++) {
      s += x_at(b, iy, ix, ch);
    }
  }
  y[i] = s / divisor(oy, ox);
}
