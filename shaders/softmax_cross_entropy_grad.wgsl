// softmax_cross_entropy_grad: dlogits[n, j] = dloss[n]·(probs[n, j] − target), target = (1−s)·[j = label] + s/C.
// Bindings: 0 params {N, C, smoothing: f32}, 1 dloss, 2 probs, 3 labels: i32 (read), 4 dlogits.
// One invocation computes one element; a label outside [0, C) gives NaN.
//!include _per_element.wgsl
//!include _params_softmax_xent_shader_params.wgsl
@group(0) @binding(1) var<storage, read> dloss: array<f32>;
@group(0) @binding(2) var<storage, read> probs: array<f32>;
@group(0) @binding(3) var<storage, read> labels: array<i32>;
@group(0) @binding(4) var<storage, read_write> dx: array<f32>;

fn element_count() -> u32 {
  return P.n * P.c;
}

fn element(i: u32) {
  let c = P.c;
  let n = i / c;
  let j = i % c;
  let label = labels[n];
  let eps = P.smoothing;
  var goal = eps / f32(c);
  if (i32(j) == label) {
    goal += 1.0 - eps;
  }
  let valid = label >= 0 && u32(label) < c;
  dx[i] = select(nan_f32(), dloss[n] * (probs[i] - goal), valid);
}
