// pow: y = x ** exponent with Math.pow's rules: integer exponents by repeated squaring (any sign of x), others
// through exp2/log2 (NaN for negative x). Bindings: 0 params {n, attr0 exponent}, 1 x: f32[n], 2 y: f32[n].
// One invocation computes one element.
//!include _unary.wgsl
//!include _params_unary_shader_params.wgsl

fn unary(v: f32) -> f32 {
  let e = P.attr0;
  if (e == 0.0) {
    return 1.0;
  }
  if (is_nan(v) || is_nan(e)) {
    return nan_f32();
  }
  if (floor(e) == e && abs(e) <= 1024.0) {
    var base = select(v, 1.0 / v, e < 0.0);
    var k = u32(abs(e));
    var r = 1.0;
    while (k > 0u) {
      if ((k & 1u) == 1u) {
        r *= base;
      }
      base *= base;
      k >>= 1u;
    }
    return r;
  }
  if (v < 0.0) {
    return nan_f32();
  }
  return exp2(e * log2(v));
}
