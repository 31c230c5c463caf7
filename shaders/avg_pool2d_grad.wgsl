// avg_pool2d_grad: dx[N,H,W,C] = Σ dy / divisor over the windows covering this pixel, in output order.
// Bindings: 0 params (_pool.wgsl, sizes of dx and dy), 1 dy (_pool_grad.wgsl), 2 dx.
// One invocation computes one dx element.
//!include _pool_grad.wgsl
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;

fn pool_element(i: u32, b: u32, iy: u32, ix: u32, ch: u32) {
  let r = covering(iy, ix);
  var acc = 0.0;
  for (var oy = r.x; oy <= r.y; oy++) {
    for (var ox = r.z; ox <= r.w; ox++) {
      acc += dy[dy_offset(b, oy, ox, ch)] / divisor(u32(oy), u32(ox));
    }
  }
  dx[i] = acc;
}
