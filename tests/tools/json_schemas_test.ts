import assert from "node:assert";
import { JSON_SCHEMAS, jsonSchemaText } from "../../tools/json_schemas.ts";

for (const name of Object.keys(JSON_SCHEMAS)) {
  Deno.test(`fixtures/schemas/${name} is up to date (regenerate: deno run -A tools/json_schemas.ts)`, async () => {
    const committed = await Deno.readTextFile(new URL(`../../fixtures/schemas/${name}`, import.meta.url));
    assert.strictEqual(committed, jsonSchemaText(name));
  });
}
