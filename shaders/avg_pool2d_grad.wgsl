// avg_pool2d_grad: dx[N,H,W,C] = Σ dy / divisor over the windows covering this pixel, in output order (a gather:
// no atomics, fixed order). Bindings: 0 params (_pool.wgsl, sizes of dx and dy), 1 dy, 2 dx.
// One invocation computes one dx element.
//!include _pool.wgsl
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;

fn pool_map_size() -> vec2<u32> {
  return vec2<u32>(pu(2u), pu(3u));
}

fn pool_element(i: u32, b: u32, iy: u32, ix: u32, ch: u32) {
  let c = pu(4u);
  let ry = out_range(iy, pu(7u), pu(9u), pu(11u), pu(5u));
  let rx = out_range(ix, pu(8u), pu(10u), pu(12u), pu(6u));
  var acc = 0.0;
  for (var oy = ry.x; oy <= ry.y; oy++) {
    for (var ox = rx.x; ox <= rx.y; ox++) {
      let o = ((b * pu(5u) + u32(oy)) * pu(6u) + u32(ox)) * c + ch;
      acc += dy[o] / divisor(u32(oy), u32(ox));
    }
  }
  dx[i] = acc;
}
