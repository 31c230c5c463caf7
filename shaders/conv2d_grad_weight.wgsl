// conv2d_grad_weight: dw[KH,KW,Cg,O] from x[N,H,W,C] and dy[N,OH,OW,O]. Bindings: 0 params (_conv.wgsl), 1 x, 2 dy,
// 3 dw. main: GEMM per group [KH·KW·Cg, N·OH·OW] × [N·OH·OW, Og], tiled, 4×4 outputs per invocation, K summed in
// order. depthwise (Cg = Og = 1): one workgroup per filter element, a fixed-order tree reduction over N·OH·OW;
// depthwise4 (also C % 4 = 0): one workgroup per 4 adjacent filter channels, vec4 loads.
//!include _gemm.wgsl
//!include _conv.wgsl
//!include _tree.wgsl
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read_write> dw: array<f32>;

fn gemm_m() -> u32 {
  return P.geom.kh * P.geom.kw * P.geom.cg;
}

fn gemm_n() -> u32 {
  return P.geom.og;
}

fn gemm_k() -> u32 {
  return P.geom.n * P.geom.oh * P.geom.ow;
}

// x under tap (ky, kx) of output pixel `pix` (flat over N·OH·OW), channel ch; 0 in the padding.
fn x_at(pix: u32, ky: u32, kx: u32, ch: u32) -> f32 {
  let ox = pix % P.geom.ow;
  let oy = (pix / P.geom.ow) % P.geom.oh;
  let b = pix / (P.geom.ow * P.geom.oh);
  let iy = in_y(oy, ky);
  let ix = in_x(ox, kx);
  if (!inside(iy, ix)) {
    return 0.0;
  }
  return x[x_offset(b, iy, ix, ch)];
}

// A(row = (ky, kx, ci), k = output pixel).
fn load_a(row: u32, k: u32, g: u32) -> f32 {
  let ci = row % P.geom.cg;
  let tap = row / P.geom.cg;
  return x_at(k, tap / P.geom.kw, tap % P.geom.kw, g * P.geom.cg + ci);
}

fn load_b(k: u32, col: u32, g: u32) -> f32 {
  return dy[k * P.geom.o + g * P.geom.og + col];
}

fn store_c(row: u32, col: u32, g: u32, v: f32) {
  dw[row * P.geom.o + g * P.geom.og + col] = v;
}

@compute @workgroup_size(256)
fn depthwise(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
             @builtin(local_invocation_index) li: u32) {
  let e = group_id(wid, nwg);
  let c = P.geom.o;
  let ch = e % c;
  let tap = e / c;
  let pixels = P.geom.n * P.geom.oh * P.geom.ow;
  var acc = 0.0;
  for (var p = li; p < pixels; p += WG) {
    acc += x_at(p, tap / P.geom.kw, tap % P.geom.kw, ch) * dy[p * c + ch];
  }
  let total = tree_sum(li, acc);
  if (li == 0u) {
    dw[e] = total;
  }
}

// Vector views of the same bindings, used only by depthwise4 (C is a multiple of 4 there).
@group(0) @binding(1) var<storage, read> x4: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> dy4: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> dw4: array<vec4<f32>>;

@compute @workgroup_size(256)
fn depthwise4(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
              @builtin(local_invocation_index) li: u32) {
  let e = group_id(wid, nwg);
  let quads = P.geom.o / 4u;
  let q = e % quads;
  let tap = e / quads;
  let ky = tap / P.geom.kw;
  let kx = tap % P.geom.kw;
  let pixels = P.geom.n * P.geom.oh * P.geom.ow;
  var acc = vec4<f32>(0.0);
  for (var p = li; p < pixels; p += WG) {
    let ox = p % P.geom.ow;
    let oy = (p / P.geom.ow) % P.geom.oh;
    let b = p / (P.geom.ow * P.geom.oh);
    let iy = in_y(oy, ky);
    let ix = in_x(ox, kx);
    if (inside(iy, ix)) {
      acc += x4[x_offset(b, iy, ix, 0u) / 4u + q] * dy4[p * quads + q];
    }
  }
  let total = vec4<f32>(tree_sum(li, acc.x), tree_sum(li, acc.y), tree_sum(li, acc.z), tree_sum(li, acc.w));
  if (li == 0u) {
    dw4[e] = total;
  }
}
