// conv2d_grad_input: dx[N,H,W,C] from dy[N,OH,OW,O] and w[KH,KW,Cg,O]. Bindings: 0 params (_conv.wgsl), 1 dy, 2 w,
// 3 dx. main: GEMM per group [N·H·W, KH·KW·Og] × [KH·KW·Og, Cg] (dy under each tap × transposed filter), tiled,
// 4×4 outputs per invocation. depthwise (Cg = Og = 1, entry points in _depthwise.wgsl): one invocation computes
// one dx element over its taps; depthwise4 (also C % 4 = 0): 4 adjacent channels at once through vec4 loads.
//!include _gemm.wgsl
//!include _depthwise.wgsl
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;

fn gemm_m() -> u32 {
  return P.geom.n * P.geom.h * P.geom.w;
}

fn gemm_n() -> u32 {
  return P.geom.cg;
}

fn gemm_k() -> u32 {
  return P.geom.kh * P.geom.kw * P.geom.og;
}

// Output coordinate that reads input coordinate `i` through tap `k` along one axis, or -1 if none.
fn out_coord(i: u32, k: u32, stride: u32, pad: u32, dil: u32, limit: u32) -> i32 {
  let t = i32(i + pad) - i32(k * dil);
  if (t < 0 || u32(t) % stride != 0u) {
    return -1;
  }
  let o = u32(t) / stride;
  return select(-1, i32(o), o < limit);
}

// The output pixel (flat over N·OH·OW) that reads input pixel `pix` (flat over N·H·W) through tap (ky, kx), or -1.
fn dy_pixel(pix: u32, ky: u32, kx: u32) -> i32 {
  let ix = pix % P.geom.w;
  let iy = (pix / P.geom.w) % P.geom.h;
  let b = pix / (P.geom.w * P.geom.h);
  let oy = out_coord(iy, ky, P.geom.sh, u32(P.geom.ph), P.geom.dh, P.geom.oh);
  let ox = out_coord(ix, kx, P.geom.sw, u32(P.geom.pw), P.geom.dw, P.geom.ow);
  if (oy < 0 || ox < 0) {
    return -1;
  }
  return i32((b * P.geom.oh + u32(oy)) * P.geom.ow + u32(ox));
}

// dy at the output pixel that reads input pixel `pix` through tap (ky, kx), channel ch; 0 if none.
fn dy_at(pix: u32, ky: u32, kx: u32, ch: u32) -> f32 {
  let o = dy_pixel(pix, ky, kx);
  if (o < 0) {
    return 0.0;
  }
  return dy[u32(o) * P.geom.o + ch];
}

fn load_a(row: u32, k: u32, g: u32) -> f32 {
  let oc = k % P.geom.og;
  let tap = k / P.geom.og;
  return dy_at(row, tap / P.geom.kw, tap % P.geom.kw, g * P.geom.og + oc);
}

// B(k = (ky, kx, oc), col = ci) = w[ky, kx, ci, g·Og + oc].
fn load_b(k: u32, col: u32, g: u32) -> f32 {
  let oc = k % P.geom.og;
  let tap = k / P.geom.og;
  return w[(tap * P.geom.cg + col) * P.geom.o + g * P.geom.og + oc];
}

fn store_c(row: u32, col: u32, g: u32, v: f32) {
  dx[row * P.geom.c + g * P.geom.cg + col] = v;
}

fn depthwise_map() -> vec2<u32> {
  return vec2<u32>(P.geom.h, P.geom.w);
}

fn depthwise_element(i: u32, at: DepthwiseSite) {
  var acc = 0.0;
  for (var ky = 0u; ky < P.geom.kh; ky++) {
    for (var kx = 0u; kx < P.geom.kw; kx++) {
      acc += dy_at(at.pix, ky, kx, at.lane) * w[depthwise_tap(ky, kx, at.lane, P.geom.c)];
    }
  }
  dx[i] = acc;
}

// Vector views of the same bindings, used only by depthwise4 (C is a multiple of 4 there).
@group(0) @binding(1) var<storage, read> dy4: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> w4: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> dx4: array<vec4<f32>>;

fn depthwise_quad(i: u32, at: DepthwiseSite) {
  let quads = P.geom.c / 4u;
  var acc = vec4<f32>(0.0);
  for (var ky = 0u; ky < P.geom.kh; ky++) {
    for (var kx = 0u; kx < P.geom.kw; kx++) {
      let o = dy_pixel(at.pix, ky, kx);
      if (o >= 0) {
        acc += dy4[u32(o) * quads + at.lane] * w4[depthwise_tap(ky, kx, at.lane, quads)];
      }
    }
  }
  dx4[i] = acc;
}
