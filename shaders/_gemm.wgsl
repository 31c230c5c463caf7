// Tiled GEMM body: C[M, N] = Σ_k A(m, k) · B(k, n) per group. A 16×16 workgroup computes a 64×64 tile, 4×4 outputs
// per invocation, staging 16-deep K slices of A and B in workgroup memory; each output sums k in increasing order.
// main: grid [N/64, M/64, groups], stores through store_c. Split-K, for grids too small to fill a GPU (P.split:
// groups, splits, chunk = K per split, a multiple of 16): main_split (grid z = group·splits + split) writes
// each chunk's tile to `partial` [groups·splits, M, N]; split_sum (one invocation per output) adds the chunks in split
// order and stores through store_c. Both orders are fixed, so results are deterministic. The including shader's
// parameter block has a GemmSplit `split`; the shader defines gemm_m/n/k, load_a, load_b and store_c, binding its
// inputs at 1, 2 and its output at 3; `partial` is 4.
//!include _common.wgsl
const TILE: u32 = 64u;
const TK: u32 = 16u;
var<workgroup> tile_a: array<array<f32, 64>, 16>;
var<workgroup> tile_b: array<array<f32, 64>, 16>;
@group(0) @binding(4) var<storage, read_write> partial: array<f32>;

// The 4×4 block of this invocation, summed over k in [kb, ke).
fn gemm_tile(wid: vec3<u32>, lid: vec3<u32>, li: u32, g: u32, kb: u32, ke: u32) -> array<array<f32, 4>, 4> {
  let m = gemm_m();
  let n = gemm_n();
  let row0 = wid.y * TILE;
  let col0 = wid.x * TILE;
  var acc: array<array<f32, 4>, 4>;
  for (var k0 = kb; k0 < ke; k0 += TK) {
    for (var e = li; e < TK * TILE; e += 256u) {
      let kk = e % TK;
      let mm = e / TK;
      var va = 0.0;
      if (row0 + mm < m && k0 + kk < ke) {
        va = load_a(row0 + mm, k0 + kk, g);
      }
      tile_a[kk][mm] = va;
      let nn = e % TILE;
      let kr = e / TILE;
      var vb = 0.0;
      if (col0 + nn < n && k0 + kr < ke) {
        vb = load_b(k0 + kr, col0 + nn, g);
      }
      tile_b[kr][nn] = vb;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TK; kk++) {
      var av: array<f32, 4>;
      var bv: array<f32, 4>;
      for (var i = 0u; i < 4u; i++) {
        av[i] = tile_a[kk][lid.y + 16u * i];
        bv[i] = tile_b[kk][lid.x + 16u * i];
      }
      for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) {
          acc[i][j] = acc[i][j] + av[i] * bv[j];
        }
      }
    }
    workgroupBarrier();
  }
  return acc;
}

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let acc = gemm_tile(wid, lid, li, wid.z, 0u, gemm_k());
  for (var i = 0u; i < 4u; i++) {
    for (var j = 0u; j < 4u; j++) {
      let r = wid.y * TILE + lid.y + 16u * i;
      let c = wid.x * TILE + lid.x + 16u * j;
      if (r < gemm_m() && c < gemm_n()) {
        store_c(r, c, wid.z, acc[i][j]);
      }
    }
  }
}

@compute @workgroup_size(16, 16)
fn main_split(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
              @builtin(local_invocation_index) li: u32) {
  let splits = P.split.splits;
  let kb = (wid.z % splits) * P.split.chunk;
  let acc = gemm_tile(wid, lid, li, wid.z / splits, kb, min(kb + P.split.chunk, gemm_k()));
  let m = gemm_m();
  let n = gemm_n();
  for (var i = 0u; i < 4u; i++) {
    for (var j = 0u; j < 4u; j++) {
      let r = wid.y * TILE + lid.y + 16u * i;
      let c = wid.x * TILE + lid.x + 16u * j;
      if (r < m && c < n) {
        partial[(wid.z * m + r) * n + c] = acc[i][j];
      }
    }
  }
}

@compute @workgroup_size(256)
fn split_sum(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
             @builtin(local_invocation_index) li: u32) {
  let i = flat_id(wid, nwg, li, 256u);
  let m = gemm_m();
  let n = gemm_n();
  let splits = P.split.splits;
  let per_group = m * n;
  if (i >= per_group * P.split.groups) {
    return;
  }
  let g = i / per_group;
  let e = i % per_group;
  var s = 0.0;
  for (var k = 0u; k < splits; k++) {
    s += partial[(g * splits + k) * per_group + e];
  }
  store_c(e / n, e % n, g, s);
}
