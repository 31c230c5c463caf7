// adamw_update: in place (PyTorch AdamW) with the host-derived scalars decay_factor = 1 - lr·wd,
// step_size = lr / (1 - β1^t), bias_correction2_sqrt = √(1 - β2^t): p = p·decay_factor; m = β1·m + (1 - β1)·g;
// v = β2·v + (1 - β2)·g²; p -= step_size · m / (√v / bias_correction2_sqrt + eps). Bindings: 0 params, 1 grad
// (read), 2 param, 3 exp_avg (m), 4 exp_avg_sq (v), all updated in place. One invocation updates one element.
//!include _per_element.wgsl
//!include _params_adamw_shader_params.wgsl
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> param: array<f32>;
@group(0) @binding(3) var<storage, read_write> exp_avg: array<f32>;
@group(0) @binding(4) var<storage, read_write> exp_avg_sq: array<f32>;

fn element_count() -> u32 {
  return P.n;
}

fn element(i: u32) {
  let g = grad[i];
  let decayed = param[i] * P.decay_factor;
  let m = P.beta1 * exp_avg[i] + (1.0 - P.beta1) * g;
  let v = P.beta2 * exp_avg_sq[i] + (1.0 - P.beta2) * g * g;
  exp_avg[i] = m;
  exp_avg_sq[i] = v;
  param[i] = decayed - P.step_size * m / (sqrt(v) / P.bias_correction2_sqrt + P.eps);
}
