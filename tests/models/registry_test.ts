/** The generic registry: naming rules, duplicates, option parsing with readable errors, glob/tag filters. */
import assert from "node:assert";
import { z } from "zod";
import { createRegistry } from "../../src/models/mod.ts";

function sample() {
  const r = createRegistry<{ base: number }, number>("widget");
  const schema = z.object({ size: z.number().int().positive().default(3) }).strict();
  r.register({ name: "small_a", schema, create: (o, ctx) => o.size + ctx.base, tags: ["a"], description: "A" });
  r.register({ name: "big_b", schema, create: (o) => o.size * 10, tags: ["b", "a"], description: "B" });
  return r;
}

Deno.test("registry: create fills defaults and validates options with the field named", () => {
  const r = sample();
  assert.strictEqual(r.get("small_a").create({}, { base: 1 }), 4);
  assert.strictEqual(r.get("big_b").create({ size: 5 }, { base: 0 }), 50);
  assert.deepStrictEqual(r.get("small_a").parse(undefined), { size: 3 });
  assert.throws(
    () => r.get("small_a").create({ size: -1 }, { base: 0 }),
    /widget "small_a": invalid options\n {2}size: .*\(got -1\)/,
  );
  assert.throws(() => r.get("small_a").create({ colour: 1 }, { base: 0 }), /colour/);
});

Deno.test("registry: duplicate and malformed names are refused; unknown names list the known ones", () => {
  const r = sample();
  const schema = z.object({});
  assert.throws(() => r.register({ name: "small_a", schema, create: () => 0, tags: [], description: "" }), /already/);
  assert.throws(
    () => r.register({ name: "Bad-Name", schema, create: () => 0, tags: [], description: "" }),
    /snake_case/,
  );
  assert.throws(() => r.get("nope"), /Unknown widget "nope": expected one of small_a, big_b/);
});

Deno.test("registry: list filters by glob or tag, schemas() covers every entry", () => {
  const r = sample();
  assert.deepStrictEqual(r.list().map((e) => e.name), ["small_a", "big_b"]);
  assert.deepStrictEqual(r.list("*_b").map((e) => e.name), ["big_b"]);
  assert.deepStrictEqual(r.list("a").map((e) => e.name), ["small_a", "big_b"]);
  assert.deepStrictEqual(r.list("s?all_*").map((e) => e.name), ["small_a"]);
  assert.deepStrictEqual(Object.keys(r.schemas()), ["small_a", "big_b"]);
});
