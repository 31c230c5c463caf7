// max_pool2d: y[N,OH,OW,C] = window max of x[N,H,W,C]; argmax (i32) = iy·W + ix of the first maximum in window
// order (a NaN wins first). Bindings: 0 params (_pool.wgsl), 1 x, 2 y, 3 argmax: i32. One invocation computes one
// output element.
//!include _pool.wgsl
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> argmax: array<i32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let i = flat_id(wid, nwg, li, 256u);
  if (i >= pu(0u)) {
    return;
  }
  let c = pu(4u);
  let at_out = nhwc_coords(i, pu(5u), pu(6u));
  let b = at_out.x;
  let oy = at_out.y;
  let ox = at_out.z;
  let ch = at_out.w;
  let win = window(oy, ox);
  var best = neg_inf();
  var at = -1;
  for (var iy = win.x; iy < win.y; iy++) {
    for (var ix = win.z; ix < win.w; ix++) {
      let v = x[((b * pu(2u) + u32(iy)) * pu(3u) + u32(ix)) * c + ch];
      if (v > best || (at < 0 && is_nan(v))) {
        best = v;
        at = iy * pi(3u) + ix;
      }
    }
  }
  y[i] = best;
  argmax[i] = at;
}
