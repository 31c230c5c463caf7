// Bilinear resizing taps on NHWC with PyTorch's source coordinates. Params: ResizeShaderParams (P.geom a ResizeGeom:
// input n, h, w, c; output oh, ow; align_corners; P.total the elements of the dispatch). tap(o, size, out) gives the
// two input coordinates of output coordinate o along an axis of `size` resized to `out`, and their weights.
//!include _common.wgsl
//!include _params_resize_shader_params.wgsl

struct Tap {
  i0: u32,
  i1: u32,
  w0: f32,
  w1: f32,
}

// Source o·(size − 1)/(out − 1) with align_corners, else (o + ½)·size/out − ½ clamped at 0.
fn tap(o: u32, size: u32, out: u32) -> Tap {
  var src = 0.0;
  if (P.geom.align_corners != 0u) {
    if (out > 1u) {
      src = f32(o) * (f32(size - 1u) / f32(out - 1u));
    }
  } else {
    src = max((f32(size) / f32(out)) * (f32(o) + 0.5) - 0.5, 0.0);
  }
  let i0 = u32(src);
  let w1 = min(src - f32(i0), 1.0);
  return Tap(i0, select(i0, i0 + 1u, i0 + 1u < size), 1.0 - w1, w1);
}
