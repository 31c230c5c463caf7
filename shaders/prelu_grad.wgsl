// prelu_grad: over x[M, C]. Bindings: 0 params {M, C}, 1 dy, 2 x, 3 alpha (read); 4 dx, 5 dalpha: f32[C].
// main: one invocation computes one dx element. alpha_grad: one workgroup per channel, dalpha = Σ_{x≤0} x·dy by a
// fixed-order tree reduction.
//!include _per_element.wgsl
//!include _tree.wgsl
//!include _params_channel_shader_params.wgsl
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> alpha: array<f32>;
@group(0) @binding(4) var<storage, read_write> dx: array<f32>;
@group(0) @binding(5) var<storage, read_write> dalpha: array<f32>;

fn element_count() -> u32 {
  return P.n * P.c;
}

fn element(i: u32) {
  dx[i] = select(alpha[i % P.c] * dy[i], dy[i], x[i] > 0.0);
}

@compute @workgroup_size(256)
fn alpha_grad(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
              @builtin(local_invocation_index) li: u32) {
  let ch = group_id(wid, nwg);
  let c = P.c;
  var s = 0.0;
  for (var r = li; r < P.n; r += WG) {
    let v = x[r * c + ch];
    if (!(v > 0.0)) {
      s += v * dy[r * c + ch];
    }
  }
  let total = tree_sum(li, s);
  if (li == 0u) {
    dalpha[ch] = total;
  }
}
