import assert from "node:assert";
import { createSwitch } from "../../src/core/switch.ts";

Deno.test("createSwitch: off() nests, returns fn's value and restores the switch after a throw", () => {
  const s = createSwitch();
  assert.strictEqual(s.isOn(), true);
  const inner = s.off(() => s.off(() => s.isOn()));
  assert.strictEqual(inner, false);
  assert.strictEqual(s.isOn(), true);
  assert.throws(() =>
    s.off(() => {
      throw new Error("boom");
    }), /boom/);
  assert.strictEqual(s.isOn(), true);
  assert.strictEqual(createSwitch().off(() => 7), 7);
});
