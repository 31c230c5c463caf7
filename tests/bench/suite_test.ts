import assert from "node:assert";
import { loadSuite, rowKeysOf, suiteNames, suiteSchema } from "../../src/bench/suite.ts";
import { loadPreset } from "../../src/bench/presets.ts";
import { main } from "../../src/cli/bench.ts";
import { findingsSchema } from "../../src/report/claims.ts";
import { writeReport } from "../../src/report/write.ts";
import { syntheticReport } from "../report/_fixture.ts";

const claim = { id: "a", statement: "s", source: "x", part: "quick", better: "raw_pixels", worse: "raw_pixels" };

Deno.test("suites: the committed suites load, and every claim names rows its part will have", async () => {
  const names = await suiteNames();
  assert.ok(names.includes("findings"));
  for (const name of names) {
    const { suite, parts } = await loadSuite(name);
    assert.deepStrictEqual(parts.map((p) => p.name), suite.parts);
    for (const c of suite.claims) {
      const keys = rowKeysOf(parts[suite.parts.indexOf(c.part)]);
      assert.ok(keys.has(c.better) && keys.has(c.worse), `${name}: ${c.id}`);
    }
  }
});

Deno.test("suites: the row keys of a preset are its cells (with stages) and its reference rows", async () => {
  const keys = rowKeysOf(await loadPreset("findings-transfer"));
  assert.deepStrictEqual([...keys].sort(), [
    "mobilefacenet_tiny/softmax",
    "mobilefacenet_tiny/softmax@finetuned",
    "mobilefacenet_tiny/softmax@pretrained",
    "raw_pixels",
    "untrained:mobilefacenet_tiny",
  ]);
});

Deno.test("suites: bad suite files are refused with the field named", async () => {
  const bad = (json: unknown) =>
    suiteSchema.safeParse(json).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  const base = { name: "s", description: "", parts: ["quick"] };
  assert.deepStrictEqual(bad({ ...base, claims: [claim] }), ["claims.0.worse: a row cannot be compared with itself"]);
  assert.deepStrictEqual(bad({ ...base, claims: [{ ...claim, worse: "untrained:ir_tiny", part: "orl" }] }), [
    "claims.0.part: orl is not one of the parts",
  ]);
  assert.deepStrictEqual(bad({ ...base, claims: [{ ...claim, worse: "x" }, { ...claim, worse: "y" }] }), [
    "claims.1.id: duplicate id a",
  ]);
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/typo.json`;
    await Deno.writeTextFile(path, JSON.stringify({ ...base, claims: [{ ...claim, worse: "ir_tiny/arcfce" }] }));
    await assert.rejects(loadSuite(path), /typo.json: claims.0.worse: preset quick has no row "ir_tiny\/arcfce"/);
    await assert.rejects(loadSuite("no-such-suite"), /cannot read suite .*no-such-suite.json.*\(suites: .*findings/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("suites: filters and shards are refused for a suite; claims needs a suite and reports (exit 2)", async () => {
  assert.strictEqual(await main(["--preset", "findings", "--shard", "1/2"]), 2);
  assert.strictEqual(await main(["--preset", "findings", "--heads", "arcface"]), 2);
  assert.strictEqual(await main(["claims", "findings"]), 2);
});

Deno.test("suites: `bench claims` tests a suite's claims on saved reports and writes findings.{json,md}", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const part = await writeReport(`${dir}/run`, syntheticReport());
    const suitePath = `${dir}/suite.json`;
    const learned = { ...claim, id: "learned", better: "mobilefacenet_tiny/arcface" };
    await Deno.writeTextFile(
      suitePath,
      JSON.stringify({ name: "mini", description: "d", parts: ["quick"], claims: [learned] }),
    );
    assert.strictEqual(await main(["claims", suitePath, part.json, "--out", `${dir}/out`]), 0);
    const [folder] = [...Deno.readDirSync(`${dir}/out`)];
    assert.match(folder.name, /^mini-claims-/);
    const findings = findingsSchema.parse(
      JSON.parse(await Deno.readTextFile(`${dir}/out/${folder.name}/findings.json`)),
    );
    assert.deepStrictEqual(findings.parts[0], {
      preset: "quick",
      runId: syntheticReport().run.id,
      report: "../../run/report.json",
      seeds: [1337],
    });
    assert.strictEqual(findings.claims[0].verdict, "reproduced");
    assert.strictEqual(await main(["claims", suitePath, part.json, part.json, "--out", `${dir}/out`]), 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "suites: --preset SUITE runs its parts, gates each against DIR/<part>.json and writes the findings",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      const suitePath = `${dir}/gate-suite.json`;
      const learned = {
        ...claim,
        id: "learned",
        part: "ci-gate",
        better: "mobilefacenet_tiny/arcface",
        worse: "untrained:mobilefacenet_tiny",
      };
      await Deno.writeTextFile(
        suitePath,
        JSON.stringify({ name: "gate-suite", description: "d", parts: ["ci-gate"], claims: [learned] }),
      );
      const baselines = new URL("../../fixtures/baselines", import.meta.url).pathname;
      assert.strictEqual(await main(["--preset", suitePath, "--out", `${dir}/out`, "--check", baselines]), 0);
      const [run] = [...Deno.readDirSync(`${dir}/out`)];
      assert.match(run.name, /^gate-suite-/);
      const findings = findingsSchema.parse(
        JSON.parse(await Deno.readTextFile(`${dir}/out/${run.name}/findings.json`)),
      );
      assert.strictEqual(findings.parts[0].preset, "ci-gate");
      const part = await Deno.readTextFile(`${dir}/out/${run.name}/${findings.parts[0].report}`);
      assert.strictEqual(JSON.parse(part).run.id, findings.parts[0].runId);
      assert.deepStrictEqual(findings.claims.map((c) => c.id), ["learned"]);
      assert.ok(["reproduced", "not significant", "reversed"].includes(findings.claims[0].verdict));
      assert.match(await Deno.readTextFile(`${dir}/out/${run.name}/findings.md`), /claims reproduced/);
      assert.strictEqual(await main(["--preset", suitePath, "--out", `${dir}/out`, "--check", dir]), 2);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
