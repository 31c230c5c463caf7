// Convolution geometry shared by conv2d and its gradients (NHWC activations, HWIO filters): P.geom, a ConvGeom
// (cg = C/groups, og = O/groups), and P.split for _gemm.wgsl. in_y/in_x give the input coordinate of an output coordinate and a filter tap (may be outside).
//!include _common.wgsl
//!include _params_conv_shader_params.wgsl

fn in_y(oy: u32, ky: u32) -> i32 {
  return i32(oy * P.geom.sh + ky * P.geom.dh) - P.geom.ph;
}

fn in_x(ox: u32, kx: u32) -> i32 {
  return i32(ox * P.geom.sw + kx * P.geom.dw) - P.geom.pw;
}

fn inside(iy: i32, ix: i32) -> bool {
  return iy >= 0 && ix >= 0 && u32(iy) < P.geom.h && u32(ix) < P.geom.w;
}

// Flat offset of channel `ch` at input pixel (b, iy, ix), both coordinates inside the image.
fn x_offset(b: u32, iy: i32, ix: i32, ch: u32) -> u32 {
  return ((b * P.geom.h + u32(iy)) * P.geom.w + u32(ix)) * P.geom.c + ch;
}
