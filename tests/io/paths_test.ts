import assert from "node:assert";
import { dirname } from "node:path";
import { joinPath, parentDir } from "../../src/io/paths.ts";

Deno.test("parentDir: agrees with POSIX dirname on absolute, relative, bare, root and trailing-slash paths", () => {
  for (const path of ["/a/b/c.json", "/a/b/", "a/b", "c.json", "/c.json", "/", "./x", "/tmp/x/.cache/web"]) {
    assert.strictEqual(parentDir(path), dirname(path), path);
  }
});

Deno.test("joinPath: single slashes between parts, the first part's leading slash kept", () => {
  assert.strictEqual(joinPath("/tmp/", "/datasets/", "x.u8"), "/tmp/datasets/x.u8");
  assert.strictEqual(joinPath("reports/run", "report.json"), "reports/run/report.json");
});
