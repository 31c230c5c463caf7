import assert from "node:assert";
import { sha256Hex, Sha256Stream } from "../../src/core/sha256.ts";
import { Rng } from "../../src/core/rng.ts";

Deno.test("Sha256Stream: FIPS 180-4 test vectors (empty, 'abc', the 448-bit message)", () => {
  const hex = (text: string) => new Sha256Stream().update(new TextEncoder().encode(text)).hex();
  assert.strictEqual(hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert.strictEqual(hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert.strictEqual(
    hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
  );
});

Deno.test("Sha256Stream: any chunking of odd-sized messages equals WebCrypto's digest of the whole", async () => {
  const rng = new Rng(7, "sha256");
  for (const size of [1, 55, 56, 63, 64, 65, 119, 120, 1000, 70_001]) {
    const bytes = Uint8Array.from({ length: size }, () => rng.uint32() & 0xff);
    const stream = new Sha256Stream();
    for (let at = 0; at < size;) {
      const take = 1 + (rng.uint32() % 97);
      stream.update(bytes.subarray(at, at + take));
      at += take;
    }
    assert.strictEqual(stream.hex(), await sha256Hex(bytes), `size ${size}`);
  }
});
