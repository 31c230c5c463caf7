// max_pool2d_grad: dx[N,H,W,C] = Σ dy over the outputs whose argmax is this pixel, added in output order.
// Bindings: 0 params (_pool.wgsl, sizes of dx and dy), 1 dy (_pool_grad.wgsl), 2 argmax: i32, 3 dx.
// One invocation computes one dx element.
//!include _pool_grad.wgsl
@group(0) @binding(2) var<storage, read> argmax: array<i32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;

fn pool_element(i: u32, b: u32, iy: u32, ix: u32, ch: u32) {
  let here = i32(iy * P.geom.w + ix);
  let r = covering(iy, ix);
  var acc = 0.0;
  for (var oy = r.x; oy <= r.y; oy++) {
    for (var ox = r.z; ox <= r.w; ox++) {
      let o = dy_offset(b, oy, ox, ch);
      if (argmax[o] == here) {
        acc += dy[o];
      }
    }
  }
  dx[i] = acc;
}
