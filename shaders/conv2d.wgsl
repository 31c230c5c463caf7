// conv2d: y[N,OH,OW,O] = x[N,H,W,C] ⊛ w[KH,KW,C/groups,O]. Bindings: 0 params (_conv.wgsl), 1 x, 2 w, 3 y.
// main: implicit GEMM per group [N·OH·OW, KH·KW·Cg] × [KH·KW·Cg, Og], tiled (_gemm.wgsl), 4×4 outputs per
// invocation. depthwise (Cg = Og = 1, entry points in _depthwise.wgsl): one invocation computes one output element
// over its KH×KW taps; depthwise4 (also C % 4 = 0): 4 adjacent channels at once through vec4 loads.
//!include _gemm.wgsl
//!include _depthwise.wgsl
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

fn depthwise_map() -> vec2<u32> {
  return vec2<u32>(P.geom.oh, P.geom.ow);
}

// Input pixel (flat over N·H·W) under filter tap (ky, kx) of output site `at`, or -1 in the padding.
fn depthwise_source(at: DepthwiseSite, ky: u32, kx: u32) -> i32 {
  let iy = in_y(at.y, ky);
  let ix = in_x(at.x, kx);
  if (!inside(iy, ix)) {
    return -1;
  }
  return i32((at.b * P.geom.h + u32(iy)) * P.geom.w + u32(ix));
}

fn depthwise_element(i: u32, at: DepthwiseSite) {
  let c = P.geom.c;
  var acc = 0.0;
  for (var ky = 0u; ky < P.geom.kh; ky++) {
    for (var kx = 0u; kx < P.geom.kw; kx++) {
      let src = depthwise_source(at, ky, kx);
      if (src >= 0) {
        acc += x[u32(src) * c + at.lane] * w[depthwise_tap(ky, kx, at.lane, c)];
      }
    }
  }
  y[i] = acc;
}

// Vector views of the same bindings, used only by depthwise4 (C is a multiple of 4 there).
@group(0) @binding(1) var<storage, read> x4: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> w4: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> y4: array<vec4<f32>>;

fn depthwise_quad(i: u32, at: DepthwiseSite) {
  let quads = P.geom.c / 4u;
  var acc = vec4<f32>(0.0);
  for (var ky = 0u; ky < P.geom.kh; ky++) {
    for (var kx = 0u; kx < P.geom.kw; kx++) {
      let src = depthwise_source(at, ky, kx);
      if (src >= 0) {
        acc += x4[u32(src) * quads + at.lane] * w4[depthwise_tap(ky, kx, at.lane, quads)];
      }
    }
  }
  y4[i] = acc;
}
