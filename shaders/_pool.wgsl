// Pooling windows (PyTorch rules) on NHWC. Params: PoolShaderParams (P.geom a PoolGeom, P.total the elements of the
// dispatch). window(oy, ox) = (y0, y1, x0, x1) clipped to the image; pad_area is the
// window area clipped to the padded image (the count_include_pad divisor). out_range lists the outputs whose
// window covers an input coordinate along one axis.
//
// The entry point `main` is shared: one invocation per element of an NHWC map (P.total elements; the output of a
// forward op, the input of a gradient). pool_map_size() (that map's height and width) comes from _pool_forward.wgsl or
// _pool_grad.wgsl; the op's shader defines pool_element(i, b, y, x, ch), which computes element i at batch b, row y,
// column x, channel ch.
//!include _per_element.wgsl
//!include _params_pool_shader_params.wgsl

fn element_count() -> u32 {
  return P.total;
}

fn element(i: u32) {
  let size = pool_map_size();
  let at = nhwc_coords(i, size.x, size.y);
  pool_element(i, at.x, at.y, at.z, at.w);
}

// (b, y, x, ch) of flat index i of an NHWC map of height h and width w (C from the geometry).
fn nhwc_coords(i: u32, h: u32, w: u32) -> vec4<u32> {
  let c = P.geom.c;
  return vec4<u32>(i / (c * w * h), (i / (c * w)) % h, (i / c) % w, i % c);
}

fn window(oy: u32, ox: u32) -> vec4<i32> {
  let ys = i32(oy * P.geom.sh) - P.geom.ph;
  let xs = i32(ox * P.geom.sw) - P.geom.pw;
  let ye = min(ys + i32(P.geom.kh), i32(P.geom.h));
  let xe = min(xs + i32(P.geom.kw), i32(P.geom.w));
  return vec4<i32>(max(ys, 0), ye, max(xs, 0), xe);
}

fn pad_area(oy: u32, ox: u32) -> f32 {
  let ys = i32(oy * P.geom.sh) - P.geom.ph;
  let xs = i32(ox * P.geom.sw) - P.geom.pw;
  let ye = min(ys + i32(P.geom.kh), i32(P.geom.h) + P.geom.ph);
  let xe = min(xs + i32(P.geom.kw), i32(P.geom.w) + P.geom.pw);
  return f32((ye - ys) * (xe - xs));
}

fn divisor(oy: u32, ox: u32) -> f32 {
  if (P.geom.include_pad != 0u) {
    return pad_area(oy, ox);
  }
  let win = window(oy, ox);
  return f32((win.y - win.x) * (win.w - win.z));
}

// Outputs o (inclusive range) with o·stride - pad <= i < o·stride - pad + kernel, o < limit.
fn out_range(i: u32, kernel: u32, stride: u32, pad: u32, limit: u32) -> vec2<i32> {
  let t = i32(i + pad) - i32(kernel) + 1;
  let lo = select(0, (t + i32(stride) - 1) / i32(stride), t > 0);
  let hi = min(i32((i + pad) / stride), i32(limit) - 1);
  return vec2<i32>(lo, hi);
}
