import assert from "node:assert";
import { collectEnvironment } from "../../src/report/environment.ts";
import { environmentSchema } from "../../src/report/schema.ts";

Deno.test("collectEnvironment: Deno version, cores and the git commit (when run in a checkout); valid for the schema", async () => {
  const dataset = { id: "synthface-ci", hash: "0".repeat(64), trainImages: 1, trainIdentities: 1, evalPairs: 10 };
  const env = await collectEnvironment([{ name: "reference", threads: 1, details: {} }], dataset);
  environmentSchema.parse(env);
  assert.strictEqual(env.deno, Deno.version.deno);
  assert.strictEqual(env.cpu.cores, navigator.hardwareConcurrency);
  const inCheckout = (() => {
    try {
      return Boolean(Deno.statSync(new URL("../../.git", import.meta.url)));
    } catch {
      return false;
    }
  })();
  if (inCheckout) {
    assert.match(env.gitCommit ?? "", /^[0-9a-f]{40}$/);
    assert.strictEqual(typeof env.gitDirty, "boolean");
  } else {
    assert.deepStrictEqual([env.gitCommit, env.gitDirty], [null, null]);
  }
  assert.deepStrictEqual(env.dataset, dataset);
});
