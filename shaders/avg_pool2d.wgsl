// avg_pool2d: y[N,OH,OW,C] = window sum of x / divisor (PyTorch count_include_pad and ceil-mode rules).
// Bindings: 0 params (_pool.wgsl), 1 x, 2 y. One invocation computes one output element.
//!include _pool.wgsl
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

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
  var s = 0.0;
  for (var iy = win.x; iy < win.y; iy++) {
    for (var ix = win.z; ix < win.w; ix++) {
      s += x[((b * pu(2u) + u32(iy)) * pu(3u) + u32(ix)) * c + ch];
    }
  }
  y[i] = s / divisor(oy, ox);
}
