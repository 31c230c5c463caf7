// conv2d: y[N,OH,OW,O] = x[N,H,W,C] ⊛ w[KH,KW,C/groups,O]. Bindings: 0 params (_conv.wgsl), 1 x, 2 w, 3 y.
// main: implicit GEMM per group [N·OH·OW, KH·KW·Cg] × [KH·KW·Cg, Og], tiled (_gemm.wgsl), 4×4 outputs per
// invocation. depthwise (Cg = Og = 1): one invocation computes one output element over its KH×KW taps;
// depthwise4 (also C % 4 = 0): 4 adjacent channels at once through vec4 loads.
//!include _gemm.wgsl
//!include _conv.wgsl
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;

fn gemm_m() -> u32 {
  return P.geom.n * P.geom.oh * P.geom.ow;
}

fn gemm_n() -> u32 {
  return P.geom.og;
}

fn gemm_k() -> u32 {
  return P.geom.kh * P.geom.kw * P.geom.cg;
}

// A(row = output pixel, k = (ky, kx, ci)): the input value under that tap, 0 in the padding.
fn load_a(row: u32, k: u32, g: u32) -> f32 {
  let ox = row % P.geom.ow;
  let oy = (row / P.geom.ow) % P.geom.oh;
  let b = row / (P.geom.ow * P.geom.oh);
  let ci = k % P.geom.cg;
  let tap = k / P.geom.cg;
  let iy = in_y(oy, tap / P.geom.kw);
  let ix = in_x(ox, tap % P.geom.kw);
  if (!inside(iy, ix)) {
    return 0.0;
  }
  return x[x_offset(b, iy, ix, g * P.geom.cg + ci)];
}

// B(k, col = output channel in the group) = w[ky, kx, ci, g·Og + col]; HWIO makes the row index k itself.
fn load_b(k: u32, col: u32, g: u32) -> f32 {
  return w[k * P.geom.o + g * P.geom.og + col];
}

fn store_c(row: u32, col: u32, g: u32, v: f32) {
  y[row * P.geom.o + g * P.geom.og + col] = v;
}

@compute @workgroup_size(256)
fn depthwise(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
             @builtin(local_invocation_index) li: u32) {
  let i = flat_id(wid, nwg, li, 256u);
  let c = P.geom.o;
  if (i >= P.geom.n * P.geom.oh * P.geom.ow * c) {
    return;
  }
  let ch = i % c;
  let pix = i / c;
  let ox = pix % P.geom.ow;
  let oy = (pix / P.geom.ow) % P.geom.oh;
  let b = pix / (P.geom.ow * P.geom.oh);
  var acc = 0.0;
  for (var ky = 0u; ky < P.geom.kh; ky++) {
    let iy = in_y(oy, ky);
    for (var kx = 0u; kx < P.geom.kw; kx++) {
      let ix = in_x(ox, kx);
      if (inside(iy, ix)) {
        acc += x[x_offset(b, iy, ix, ch)] * w[(ky * P.geom.kw + kx) * c + ch];
      }
    }
  }
  y[i] = acc;
}

// Vector views of the same bindings, used only by depthwise4 (C is a multiple of 4 there).
@group(0) @binding(1) var<storage, read> x4: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> w4: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> y4: array<vec4<f32>>;

@compute @workgroup_size(256)
fn depthwise4(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
             @builtin(local_invocation_index) li: u32) {
  let i = flat_id(wid, nwg, li, 256u);
  let quads = P.geom.o / 4u;
  if (i >= P.geom.n * P.geom.oh * P.geom.ow * quads) {
    return;
  }
  let q = i % quads;
  let pix = i / quads;
  let ox = pix % P.geom.ow;
  let oy = (pix / P.geom.ow) % P.geom.oh;
  let b = pix / (P.geom.ow * P.geom.oh);
  var acc = vec4<f32>(0.0);
  for (var ky = 0u; ky < P.geom.kh; ky++) {
    let iy = in_y(oy, ky);
    for (var kx = 0u; kx < P.geom.kw; kx++) {
      let ix = in_x(ox, kx);
      if (inside(iy, ix)) {
        acc += x4[x_offset(b, iy, ix, 0u) / 4u + q] * w4[(ky * P.geom.kw + kx) * quads + q];
      }
    }
  }
  y4[i] = acc;
}
