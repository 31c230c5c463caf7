// upsample_bilinear2d: y[N,OH,OW,C] = w0h·(w0w·x00 + w1w·x01) + w1h·(w0w·x10 + w1w·x11) over the 2×2 taps of each
// output pixel (PyTorch's source coordinates, _resize.wgsl). Bindings: 0 params, 1 x, 2 y.
// One invocation computes one output element (_per_element.wgsl).
//!include _resize.wgsl
//!include _per_element.wgsl
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

fn element_count() -> u32 {
  return P.total;
}

fn element(i: u32) {
  let g = P.geom;
  let ch = i % g.c;
  let ox = (i / g.c) % g.ow;
  let oy = (i / (g.c * g.ow)) % g.oh;
  let b = i / (g.c * g.ow * g.oh);
  let r = tap(oy, g.h, g.oh);
  let k = tap(ox, g.w, g.ow);
  let row0 = (b * g.h + r.i0) * g.w;
  let row1 = (b * g.h + r.i1) * g.w;
  let top = k.w0 * x[(row0 + k.i0) * g.c + ch] + k.w1 * x[(row0 + k.i1) * g.c + ch];
  let bottom = k.w0 * x[(row1 + k.i0) * g.c + ch] + k.w1 * x[(row1 + k.i1) * g.c + ch];
  y[i] = r.w0 * top + r.w1 * bottom;
}
