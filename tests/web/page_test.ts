/**
 * The benchmark in a browser page: `deno task serve`'s build and server, driven in Debian's headless Chromium.
 * The page (cross-origin isolated by the server's headers) renders synthface-ci with the data layer's generator,
 * whose pixel hashes must equal the manifest's, and trains the ci-gate preset's MobileFaceNet-tiny × ArcFace cell
 * on the WASM backend: the cell must end with the committed CLI baseline's weight hash, and its `report.json` must
 * be a valid report. Where Chromium (with `--enable-unsafe-webgpu`) exposes a WebGPU adapter, every WGSL shader must
 * compile without messages in Chromium's compiler (Tint); the test says so loudly when there is no adapter.
 * @module
 */
import assert from "node:assert";
import { buildPage, servePage } from "../../src/cli/page_server.ts";
import { parseReport } from "../../src/report/schema.ts";
import type { Cell } from "../../src/report/schema.ts";
import { CHROMIUM, Chromium } from "./_chromium.ts";

const BASELINE = new URL("../../fixtures/baselines/ci-gate.json", import.meta.url);
/** Seconds the page's run may take (rendering synthface-ci, the cell, its evaluation: about a minute here). */
const RUN_TIMEOUT_S = 480;

interface PageState {
  state: string;
  backends: { name: string; available: boolean; detail: string; threads: number }[];
  rows: Cell[];
  checks: { pixels: { split: string; sha256: string; matches: boolean }[] } | null;
  error: string | null;
  shaders: { compiled: number; problems: string[] } | null;
}

/** Whether the page has finished its run and, where WebGPU is offered, its shader compile check. */
function settled(state: PageState | null): boolean {
  if (!state || state.state === "running" || state.state === "idle") return false;
  return state.shaders !== null || !state.backends.some((b) => b.name === "webgpu" && b.available);
}

const hasChromium = await Deno.stat(CHROMIUM).then(() => true, () => false);

Deno.test({
  name: "web page: the ci-gate WASM cell in headless Chromium ends with the CLI baseline's weight hash",
  ignore: !hasChromium,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const outDir = await Deno.makeTempDir({ prefix: "facebench-web-" });
    await buildPage(outDir);
    const server = await servePage(outDir, 0);
    const browser = await Chromium.launch(["--enable-unsafe-webgpu"]);
    try {
      const page = await browser.open(new URL("?backend=wasm&heads=arcface&run=1", server.url).href);
      let state: PageState | null = null;
      const deadline = Date.now() + RUN_TIMEOUT_S * 1000;
      while (Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 2000));
        state = await page.evaluate<PageState | null>("globalThis.facebenchPage ?? null").catch(() => null);
        if (settled(state)) break;
      }
      assert.ok(state, "the page never set globalThis.facebenchPage (did its bundle load?)");
      assert.strictEqual(state.error, null);
      assert.strictEqual(state.state, "done", `the page's run did not finish in ${RUN_TIMEOUT_S} s`);

      const wasm = state.backends.find((b) => b.name === "wasm")!;
      assert.ok(wasm.available && wasm.threads >= 1, `WASM unavailable in the page: ${wasm.detail}`);
      const webgpu = state.backends.find((b) => b.name === "webgpu")!;
      if (!webgpu.available) {
        console.warn(
          `\n!!! WebGPU: headless Chromium exposes NO adapter here (${webgpu.detail}); only WASM was checked\n`,
        );
      } else {
        console.log(`WebGPU adapter in headless Chromium: ${webgpu.detail}`);
        assert.deepStrictEqual(state.shaders!.problems, [], "WGSL compiler messages in Chromium");
        assert.ok(state.shaders!.compiled > 0);
      }

      assert.deepStrictEqual(state.checks!.pixels.map((p) => [p.split, p.matches]), [["train", true], ["test", true]]);
      const baseline = parseReport(JSON.parse(await Deno.readTextFile(BASELINE)), BASELINE.pathname);
      const expected = baseline.cells.find((c) => c.head === "arcface" && c.backend === "wasm")!;
      assert.strictEqual(state.rows.length, 1);
      const [row] = state.rows;
      assert.strictEqual(row.error, null);
      assert.strictEqual(row.backend, "wasm");
      assert.strictEqual(row.steps, expected.steps);
      assert.strictEqual(row.weightHash, expected.weightHash);
      console.log(
        `page cell ${row.backbone} × ${row.head}: ${row.steps} steps, ${row.wallSeconds.toFixed(1)} s, ` +
          `${row.imagesPerSecond.toFixed(1)} img/s on ${row.threads} WASM thread(s), weight hash ${row.weightHash}`,
      );

      const reportText = await page.evaluate<string>(
        `fetch(document.querySelector('a[download="report.json"]').href).then((r) => r.text())`,
      );
      const report = parseReport(JSON.parse(reportText), "the page's report.json");
      assert.strictEqual(report.run.preset, "ci-gate");
      assert.strictEqual(report.environment.dataset.hash, baseline.environment.dataset.hash);
      assert.strictEqual(report.cells[0].weightHash, expected.weightHash);
      const screenshot = Deno.env.get("FACEBENCH_PAGE_SCREENSHOT");
      if (screenshot) await Deno.writeFile(screenshot, await page.screenshot());
    } finally {
      await browser.close();
      await server.shutdown();
      await Deno.remove(outDir, { recursive: true });
    }
  },
});
