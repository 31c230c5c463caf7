// conv2d_grad_input: dx[N,H,W,C] from dy[N,OH,OW,O] and w[KH,KW,Cg,O]. Bindings: 0 params (_conv.wgsl), 1 dy, 2 w,
// 3 dx. main: GEMM per group [N·H·W, KH·KW·Og] × [KH·KW·Og, Cg] (dy under each tap × transposed filter), tiled,
// 4×4 outputs per invocation. depthwise (Cg = Og = 1): one invocation computes one dx element over its taps;
// depthwise4 (also C % 4 = 0): 4 adjacent channels at once through vec4 loads.
//!include _gemm.wgsl
//!include _conv.wgsl
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;

fn gemm_m() -> u32 {
  return pu(0u) * pu(1u) * pu(2u);
}

fn gemm_n() -> u32 {
  return pu(9u);
}

fn gemm_k() -> u32 {
  return pu(7u) * pu(8u) * pu(10u);
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

// dy at the output pixel that reads input pixel `pix` (flat over N·H·W) through tap (ky, kx), channel ch; 0 if none.
fn dy_at(pix: u32, ky: u32, kx: u32, ch: u32) -> f32 {
  let ix = pix % pu(2u);
  let iy = (pix / pu(2u)) % pu(1u);
  let b = pix / (pu(2u) * pu(1u));
  let oy = out_coord(iy, ky, pu(11u), pu(13u), pu(15u), pu(4u));
  let ox = out_coord(ix, kx, pu(12u), pu(14u), pu(16u), pu(5u));
  if (oy < 0 || ox < 0) {
    return 0.0;
  }
  return dy[((b * pu(4u) + u32(oy)) * pu(5u) + u32(ox)) * pu(6u) + ch];
}

fn load_a(row: u32, k: u32, g: u32) -> f32 {
  let oc = k % pu(10u);
  let tap = k / pu(10u);
  return dy_at(row, tap / pu(8u), tap % pu(8u), g * pu(10u) + oc);
}

// B(k = (ky, kx, oc), col = ci) = w[ky, kx, ci, g·Og + oc].
fn load_b(k: u32, col: u32, g: u32) -> f32 {
  let oc = k % pu(10u);
  let tap = k / pu(10u);
  return w[(tap * pu(9u) + col) * pu(6u) + g * pu(10u) + oc];
}

fn store_c(row: u32, col: u32, g: u32, v: f32) {
  dx[row * pu(3u) + g * pu(9u) + col] = v;
}

@compute @workgroup_size(256)
fn depthwise(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
             @builtin(local_invocation_index) li: u32) {
  let i = flat_id(wid, nwg, li, 256u);
  let c = pu(3u);
  if (i >= pu(0u) * pu(1u) * pu(2u) * c) {
    return;
  }
  let ch = i % c;
  let pix = i / c;
  var acc = 0.0;
  for (var ky = 0u; ky < pu(7u); ky++) {
    for (var kx = 0u; kx < pu(8u); kx++) {
      acc += dy_at(pix, ky, kx, ch) * w[(ky * pu(8u) + kx) * c + ch];
    }
  }
  dx[i] = acc;
}

// Vector views of the same bindings, used only by depthwise4 (C is a multiple of 4 there).
@group(0) @binding(1) var<storage, read> dy4: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> w4: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> dx4: array<vec4<f32>>;

@compute @workgroup_size(256)
fn depthwise4(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
              @builtin(local_invocation_index) li: u32) {
  let i = flat_id(wid, nwg, li, 256u);
  let quads = pu(3u) / 4u;
  if (i >= pu(0u) * pu(1u) * pu(2u) * quads) {
    return;
  }
  let q = i % quads;
  let pix = i / quads;
  let ix = pix % pu(2u);
  let iy = (pix / pu(2u)) % pu(1u);
  let b = pix / (pu(2u) * pu(1u));
  var acc = vec4<f32>(0.0);
  for (var ky = 0u; ky < pu(7u); ky++) {
    let oy = out_coord(iy, ky, pu(11u), pu(13u), pu(15u), pu(4u));
    for (var kx = 0u; kx < pu(8u); kx++) {
      let ox = out_coord(ix, kx, pu(12u), pu(14u), pu(16u), pu(5u));
      if (oy >= 0 && ox >= 0) {
        acc += dy4[((b * pu(4u) + u32(oy)) * pu(5u) + u32(ox)) * quads + q] * w4[(ky * pu(8u) + kx) * quads + q];
      }
    }
  }
  dx4[i] = acc;
}
