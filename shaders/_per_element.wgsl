// The entry point of every shader that computes its output element by element, one invocation per element: `main`
// runs element(i) for every i < element_count(). The shader that includes this file defines both functions.
//!include _common.wgsl

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let i = flat_id(wid, nwg, li, 256u);
  if (i < element_count()) {
    element(i);
  }
}
