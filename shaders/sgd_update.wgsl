// sgd_update: in place (PyTorch SGD), g = grad + wd·p; v = momentum·v + g; step = nesterov ? g + momentum·v : v;
// p -= lr·step. Bindings: 0 params {n, nesterov, lr: f32, momentum: f32, weightDecay: f32}, 1 grad (read),
// 2 param, 3 velocity (both updated in place). One invocation updates one element.
//!include _per_element.wgsl
//!include _params_sgd_shader_params.wgsl
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> param: array<f32>;
@group(0) @binding(3) var<storage, read_write> velocity: array<f32>;

fn element_count() -> u32 {
  return P.n;
}

fn element(i: u32) {
  let momentum = P.momentum;
  let g = grad[i] + P.weight_decay * param[i];
  let v = momentum * velocity[i] + g;
  velocity[i] = v;
  let step = select(v, g + momentum * v, P.nesterov != 0u);
  param[i] = param[i] - P.lr * step;
}
