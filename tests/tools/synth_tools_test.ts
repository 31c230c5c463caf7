import assert from "node:assert";
import { Rng } from "../../src/core/rng.ts";
import { NAMED_REGIONS } from "../../tools/_face_regions.ts";
import { parseOptions } from "../../tools/synth_reliance.ts";
import { type FaceSample, RAW_PIXEL_MASKS, rawPixelVerification } from "../../tools/synth_vs_real.ts";

/** 20 identities × 10 crops whose identity lives only in the hair band (y < 36); the rest is per-image noise. */
function hairOnlySample(): FaceSample {
  const rng = new Rng(5, "test/hair-only");
  const faces = [];
  for (let id = 0; id < 20; id++) {
    const hair = Uint8Array.from({ length: 112 * 36 }, () => rng.uint32() & 255);
    for (let k = 0; k < 10; k++) {
      const rgb = new Uint8Array(112 * 112 * 3);
      for (let p = 0; p < 112 * 112; p++) {
        const v = p < 112 * 36 ? hair[p] : rng.uint32() & 255;
        rgb.fill(v, 3 * p, 3 * p + 3);
      }
      faces.push({ rgb, identity: id, landmarks: [[0, 0], [0, 0], [0, 0], [0, 0], [0, 0]] as never });
    }
  }
  return { name: "hair only", faces };
}

Deno.test("synth_vs_real raw-pixel verification: identity in the hair band is found, and lost when it is greyed", () => {
  const sample = hairOnlySample();
  const whole = rawPixelVerification(sample, null, new Rng(1, "pairs"));
  const greyed = rawPixelVerification(sample, NAMED_REGIONS["hair / forehead (y<36)"], new Rng(1, "pairs"));
  assert.ok(whole.auc > 0.99, `whole crop AUC ${whole.auc}`);
  assert.ok(greyed.auc < 0.7, `hair greyed AUC ${greyed.auc}`);
  assert.equal(RAW_PIXEL_MASKS[0][1], null);
});

Deno.test("synth_reliance options: --backbone and --head name registry entries or fail naming the option", () => {
  const o = parseOptions(["--head", "cosface", "--backbone", "mobilefacenet", "--quick"])!;
  assert.deepEqual([o.head, o.backbone], ["cosface", "mobilefacenet"]);
  assert.equal(parseOptions(["--quick"])!.head, "softmax");
  assert.throws(() => parseOptions(["--head", "arcfacex"]), /--head: Unknown head "arcfacex"/);
  assert.throws(() => parseOptions(["--backbone", "nope"]), /--backbone: Unknown backbone "nope"/);
});
