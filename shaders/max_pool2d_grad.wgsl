// max_pool2d_grad: dx[N,H,W,C] = Σ dy over the outputs whose argmax is this pixel, added in output order (a gather,
// so no atomics and a fixed order). Bindings: 0 params (_pool.wgsl, sizes of dx and dy), 1 dy, 2 argmax: i32, 3 dx.
// One invocation computes one dx element.
//!include _pool.wgsl
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> argmax: array<i32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;

fn pool_map_size() -> vec2<u32> {
  return vec2<u32>(P.geom.h, P.geom.w);
}

fn pool_element(i: u32, b: u32, iy: u32, ix: u32, ch: u32) {
  let c = P.geom.c;
  let here = i32(iy * P.geom.w + ix);
  let ry = out_range(iy, P.geom.kh, P.geom.sh, u32(P.geom.ph), P.geom.oh);
  let rx = out_range(ix, P.geom.kw, P.geom.sw, u32(P.geom.pw), P.geom.ow);
  var acc = 0.0;
  for (var oy = ry.x; oy <= ry.y; oy++) {
    for (var ox = rx.x; ox <= rx.y; ox++) {
      let o = ((b * P.geom.oh + u32(oy)) * P.geom.ow + u32(ox)) * c + ch;
      if (argmax[o] == here) {
        acc += dy[o];
      }
    }
  }
  dx[i] = acc;
}
