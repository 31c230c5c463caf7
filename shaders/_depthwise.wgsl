// Depthwise convolution (Cg = Og = 1, so C = O) shared by conv2d and conv2d_grad_input: one invocation per element
// of the NHWC map the shader writes. The entry points live here, as _pool.wgsl's `main` does: `depthwise` computes
// one channel, `depthwise4` (C % 4 = 0) a quad of 4 adjacent channels through vec4 views of the bindings.
//
// The shader that includes this file defines depthwise_map() (height and width of the map it writes) and
// depthwise_element(i, at) / depthwise_quad(i, at), which compute element i at site `at`.
//!include _conv.wgsl

// Where element i sits: its pixel (flat over N × map), that pixel's batch b, row y and column x, and its lane (the
// channel, or the quad of channels for depthwise4).
struct DepthwiseSite {
  pix: u32,
  b: u32,
  y: u32,
  x: u32,
  lane: u32,
}

// Site of flat index i of the map the shader writes, with `lanes` lanes per pixel.
fn depthwise_site(i: u32, lanes: u32) -> DepthwiseSite {
  let size = depthwise_map();
  let pix = i / lanes;
  return DepthwiseSite(pix, pix / (size.x * size.y), (pix / size.y) % size.x, pix % size.y, i % lanes);
}

// Whether flat index i lies inside the map the shader writes, with `lanes` lanes per pixel.
fn depthwise_covers(i: u32, lanes: u32) -> bool {
  let size = depthwise_map();
  return i < P.geom.n * size.x * size.y * lanes;
}

// Flat index of lane `lane` of filter tap (ky, kx) in a depthwise HWIO filter with `lanes` lanes per tap.
fn depthwise_tap(ky: u32, kx: u32, lane: u32, lanes: u32) -> u32 {
  return (ky * P.geom.kw + kx) * lanes + lane;
}

// Each entry point uses only its own views of the bindings (two views of one binding may not meet in one entry).
@compute @workgroup_size(256)
fn depthwise(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
             @builtin(local_invocation_index) li: u32) {
  let i = flat_id(wid, nwg, li, 256u);
  if (depthwise_covers(i, P.geom.c)) {
    depthwise_element(i, depthwise_site(i, P.geom.c));
  }
}

@compute @workgroup_size(256)
fn depthwise4(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
              @builtin(local_invocation_index) li: u32) {
  let i = flat_id(wid, nwg, li, 256u);
  if (depthwise_covers(i, P.geom.c / 4u)) {
    depthwise_quad(i, depthwise_site(i, P.geom.c / 4u));
  }
}
