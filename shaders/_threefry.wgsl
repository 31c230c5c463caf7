// Threefry-2x32-20 block function, bit-identical to src/core/rng.ts: encrypts counter (c0, c1) under key (k0, k1).
fn rotl32(x: u32, r: u32) -> u32 {
  return (x << r) | (x >> (32u - r));
}

fn threefry2x32(k0: u32, k1: u32, c0: u32, c1: u32) -> vec2<u32> {
  var ks = array<u32, 3>(k0, k1, 0x1bd11bdau ^ k0 ^ k1);
  var rot = array<u32, 8>(13u, 15u, 26u, 6u, 17u, 29u, 16u, 24u);
  var x0 = c0 + k0;
  var x1 = c1 + k1;
  for (var r = 0u; r < 20u; r++) {
    x0 += x1;
    x1 = rotl32(x1, rot[r % 8u]) ^ x0;
    if (r % 4u == 3u) {
      let inj = (r + 1u) / 4u;
      x0 += ks[inj % 3u];
      x1 += ks[(inj + 1u) % 3u] + inj;
    }
  }
  return vec2<u32>(x0, x1);
}
