// upsample_bilinear2d_grad: dx[N,H,W,C] = Σ over the outputs that tap this pixel of (row weight · column weight · dy),
// a gather in output order (no atomics, fixed order). Output rows are scanned until their first tap passes the pixel
// (taps grow with the output coordinate). Bindings: 0 params (_resize.wgsl, the forward geometry), 1 dy, 2 dx.
// One invocation computes one dx element (_per_element.wgsl).
//!include _resize.wgsl
//!include _per_element.wgsl
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;

// The weight of input coordinate i in tap t (both taps may be the same coordinate at the border).
fn tap_weight(t: Tap, i: u32) -> f32 {
  return select(0.0, t.w0, t.i0 == i) + select(0.0, t.w1, t.i1 == i);
}

fn element_count() -> u32 {
  return P.total;
}

fn element(i: u32) {
  let g = P.geom;
  let ch = i % g.c;
  let ix = (i / g.c) % g.w;
  let iy = (i / (g.c * g.w)) % g.h;
  let b = i / (g.c * g.w * g.h);
  var acc = 0.0;
  for (var oy = 0u; oy < g.oh; oy++) {
    let r = tap(oy, g.h, g.oh);
    if (r.i0 > iy) {
      break;
    }
    if (r.i0 != iy && r.i1 != iy) {
      continue;
    }
    let wy = tap_weight(r, iy);
    for (var ox = 0u; ox < g.ow; ox++) {
      let k = tap(ox, g.w, g.ow);
      if (k.i0 > ix) {
        break;
      }
      if (k.i0 != ix && k.i1 != ix) {
        continue;
      }
      acc += wy * tap_weight(k, ix) * dy[((b * g.oh + oy) * g.ow + ox) * g.c + ch];
    }
  }
  dx[i] = acc;
}
