// The standard normal CDF in f32 for the gelu and normal_cdf shaders (WGSL has no erf): with z = x / √2,
// erfc(|z|) ≈ t·(a1 + t·(a2 + t·(a3 + t·(a4 + t·a5))))·exp(−z²), t = 1 / (1 + p·|z|) (Abramowitz & Stegun 7.1.26,
// absolute error ≤ 1.5e-7 in erf; measured in Φ: 7.0e-8 in float64, 2.6e-7 with float32 arithmetic as in numpy), and
// Φ = erfc(|z|)/2 below 0, 1 − erfc(|z|)/2 above.
fn normal_cdf_f32(x: f32) -> f32 {
  let az = abs(x) * 0.70710678;
  let t = 1.0 / (1.0 + 0.3275911 * az);
  let poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  let tail = 0.5 * poly * exp(-az * az);
  return select(tail, 1.0 - tail, x > 0.0);
}
