/**
 * The benchmark in a browser page: `deno task serve`'s build and server, driven in Debian's headless Chromium.
 * The page (cross-origin isolated by the server's headers) renders synthface-ci with the data layer's generator,
 * whose pixel hashes must equal the manifest's, and trains the ci-gate preset's MobileFaceNet-tiny × ArcFace cell
 * on the WASM backend: the cell must end with the committed CLI baseline's weight hash, its `report.json` must
 * be a valid report, and `deno task bench merge` must compare it with the CLI baseline as `compare-backends` does
 * (browser-labelled rows, identical final weights). The page also measures the standard preset's throughput
 * section for MobileFaceNet (1 warm-up + 1 timed step), whose row must be the command line's but for the speeds. A
 * second visit must read both synthetic splits from the browser's cache instead of rendering them. Where Chromium
 * (with `--enable-unsafe-webgpu`) exposes a WebGPU adapter, every WGSL shader must compile without messages in
 * Chromium's compiler (Tint), and a third visit measures the page's WebGPU figure: MobileFaceNet-tiny's embeddings
 * on WebGPU within {@link WEBGPU_PARITY_TOLERANCE} of WASM's, and a well-formed WebGPU throughput row with finite,
 * positive speeds. Without an adapter that step is reported as ignored, never as passed, with a loud line.
 * @module
 */
import assert from "node:assert";
import { buildPage, servePage } from "../../src/cli/page_server.ts";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { comparisonSchema } from "../../src/report/backend_comparison.ts";
import { parseReport } from "../../src/report/schema.ts";
import { type Cell, type Report, type Throughput, throughputSchema } from "../../src/report/schema.ts";
import type { WebGpuCheck } from "../../src/web/webgpu_check.ts";
import { loadPreset } from "../../src/bench/presets.ts";
import { runThroughput } from "../../src/bench/run_throughput.ts";
import { CHROMIUM, Chromium, type Page } from "./_chromium.ts";

const BASELINE = new URL("../../fixtures/baselines/ci-gate.json", import.meta.url);
/** Seconds the page's run may take (rendering synthface-ci, the cell, its evaluation: about a minute here). */
const RUN_TIMEOUT_S = 480;

/** Seconds the page's WebGPU figure may take (about a minute on SwiftShader here, on 2 shared cores). */
const WEBGPU_CHECK_TIMEOUT_S = 150;

/**
 * Largest per-image ‖WebGPU − WASM‖ / ‖WASM‖ of the page's parity check. Both backends compute in f32 and differ
 * only in summation order (and FMA contraction), each kernel within 2e-4 of the reference even in long reductions
 * (the WebGPU kernel tests' bound); through MobileFaceNet-tiny's layers that stays well below 1e-3 (1.6e-7 measured
 * on SwiftShader), while one wrong kernel changes an embedding by order 1.
 */
const WEBGPU_PARITY_TOLERANCE = 1e-3;

/** The page's throughput section: MobileFaceNet (the smallest full-size backbone) for 1 warm-up + 1 timed step. */
const THROUGHPUT_QUERY = {
  throughput: "mobilefacenet",
  throughputBatch: "4",
  throughputWarmup: "1",
  throughputSteps: "1",
};

interface PageState {
  state: string;
  backends: { name: string; available: boolean; detail: string; threads: number }[];
  rows: Cell[];
  throughput: Throughput[];
  checks: { pixels: { split: string; sha256: string; matches: boolean; from: string }[] } | null;
  error: string | null;
  shaders: { compiled: number; problems: string[] } | null;
  webgpuCheck: { state: string; check: WebGpuCheck | null; error: string | null } | null;
}

/** Whether the page has finished its run and, where WebGPU is offered, its shader compile check. */
function settled(state: PageState | null): boolean {
  if (!state || state.state === "running" || state.state === "idle") return false;
  return state.shaders !== null || !state.backends.some((b) => b.name === "webgpu" && b.available);
}

/**
 * The page's throughput row must be the one `runThroughput` writes on the command line for the same section: the
 * same backend label, threads, backbone, batch size and peak memory (one allocator, the same steps), and positive
 * speeds.
 */
async function sameThroughputRowAsCli(rows: readonly Throughput[], threads: number): Promise<void> {
  assert.strictEqual(rows.length, 1);
  const [pageRow] = rows;
  assert.strictEqual(pageRow.error, null);
  assert.ok(pageRow.trainImagesPerSecond! > 0 && pageRow.inferenceImagesPerSecond! > 0);
  console.log(
    `page throughput ${pageRow.backbone} batch ${pageRow.batchSize} on ${pageRow.threads} thread(s): train ` +
      `${pageRow.trainImagesPerSecond!.toFixed(2)} img/s, inference ${pageRow.inferenceImagesPerSecond!.toFixed(2)} ` +
      `img/s, peak ${(pageRow.peakBytes! / 2 ** 20).toFixed(0)} MiB`,
  );
  const standard = await loadPreset("standard");
  const [cliRow] = await runThroughput(
    {
      ...standard,
      throughput: {
        backbones: [THROUGHPUT_QUERY.throughput],
        backends: ["wasm"],
        batchSize: Number(THROUGHPUT_QUERY.throughputBatch),
        warmupSteps: Number(THROUGHPUT_QUERY.throughputWarmup),
        timedSteps: Number(THROUGHPUT_QUERY.throughputSteps),
      },
    },
    { threads },
    () => {},
  );
  const fixed = ({ trainImagesPerSecond: _, inferenceImagesPerSecond: __, ...rest }: Throughput) => rest;
  assert.deepStrictEqual(fixed(pageRow), fixed(cliRow));
}

/** Runs `deno task bench ARGS` and returns its exit code and output. */
async function bench(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const cli = fileURLToPath(new URL("../../src/cli/bench.ts", import.meta.url));
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), { args: ["run", "-A", cli, ...args] })
    .output();
  const text = new TextDecoder();
  return { code, stdout: text.decode(stdout), stderr: text.decode(stderr) };
}

/**
 * Saves the page's `report.json` under `dir`; `deno task bench merge`, given it beside the committed CLI baseline,
 * must compare the two as `compare-backends` does: the page's rows must be labelled with the browser, the ArcFace
 * cell's final weights must be identical to the baseline's, the cell the page did not run and the accuracy test (a
 * baseline keeps no pairs) must be said to be missing, and the page's throughput row must be compared.
 */
async function comparedWithBaseline(reportText: string, dir: string, baseline: Report, row: Cell): Promise<void> {
  const pageReport = join(dir, "page-report.json");
  await Deno.writeTextFile(pageReport, reportText);
  const out = join(dir, "compared");
  const { code, stdout, stderr } = await bench("merge", fileURLToPath(BASELINE), pageReport, "--out", out);
  assert.strictEqual(code, 0, `merge failed:\n${stdout}\n${stderr}`);
  assert.match(stdout, /was run in the command line .* in a browser page .*not shards of one run: comparing them/);
  console.log(stdout);
  const [compared] = await Array.fromAsync(Deno.readDir(out));
  const comparison = comparisonSchema.parse(
    JSON.parse(await Deno.readTextFile(join(out, compared.name, "comparison.json"))),
  );
  const cliLabel = `wasm/${baseline.environment.backends[0].threads}t @ ${baseline.environment.cpu.model}`;
  assert.strictEqual(comparison.reference, cliLabel);
  assert.strictEqual(comparison.backends.length, 2);
  const browserLabel = comparison.backends[1].label;
  assert.match(browserLabel, new RegExp(`^wasm/${row.threads}t @ (HeadlessChrome|Chrome|Chromium) \\d`));
  assert.deepStrictEqual(
    comparison.lossDivergence.map((d) => [d.cell, d.backend, d.sameWeights, d.note]),
    [
      ["mobilefacenet_tiny/arcface", browserLabel, true, null],
      ["mobilefacenet_tiny/cosface", browserLabel, null, `not run on ${browserLabel}`],
    ],
  );
  assert.deepStrictEqual(
    comparison.equivalence.map((e) => [e.cell, e.backend, e.differs, e.note]),
    ["arcface", "cosface"].map((head) => [
      `mobilefacenet_tiny/${head}`,
      browserLabel,
      null,
      `no evaluation pairs in the report of ${cliLabel} (a baseline keeps none)`,
    ]),
    "a baseline keeps no pairs to test accuracy on",
  );
  const speeds = comparison.speed.filter((s) => s.cell === "mobilefacenet_tiny/arcface");
  assert.deepStrictEqual(speeds.map((s) => s.backend), [cliLabel, browserLabel]);
  assert.ok(speeds[1].trainImagesPerSecond! > 0 && speeds[1].trainRatio! > 0);
  assert.deepStrictEqual(
    comparison.throughput.map((t) => [t.from, t.backbone, t.trainRatio]),
    [[browserLabel, THROUGHPUT_QUERY.throughput, 1]],
    "the page's throughput row, the only one (a baseline keeps none)",
  );
}

/** Opens `url` in a new tab and waits until the page's run has settled; fails unless it is done. */
async function visit(browser: Chromium, url: URL): Promise<{ page: Page; state: PageState; seconds: number }> {
  const start = performance.now();
  const page = await browser.open(url.href);
  let state: PageState | null = null;
  const deadline = Date.now() + RUN_TIMEOUT_S * 1000;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    state = await page.evaluate<PageState | null>("globalThis.facebenchPage ?? null").catch(() => null);
    if (settled(state)) break;
  }
  assert.ok(state, "the page never set globalThis.facebenchPage (did its bundle load?)");
  assert.strictEqual(state.error, null);
  assert.strictEqual(state.state, "done", `the page's run did not finish in ${RUN_TIMEOUT_S} s`);
  return { page, state, seconds: (performance.now() - start) / 1000 };
}

/**
 * Opens `?webgpuCheck=1` and waits for the page's WebGPU figure; the parity must hold within
 * {@link WEBGPU_PARITY_TOLERANCE} on non-trivial embeddings and the throughput row must be a valid, successful row
 * of MobileFaceNet-tiny at batch 2 on WebGPU with finite, positive speeds.
 */
async function checkWebGpuFigure(browser: Chromium, serverUrl: URL): Promise<void> {
  const start = performance.now();
  const page = await browser.open(new URL("?webgpuCheck=1", serverUrl).href);
  let state: PageState | null = null;
  const deadline = Date.now() + WEBGPU_CHECK_TIMEOUT_S * 1000;
  while (Date.now() < deadline && !(state?.webgpuCheck && state.webgpuCheck.state !== "running")) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    state = await page.evaluate<PageState | null>("globalThis.facebenchPage ?? null").catch(() => null);
  }
  const seconds = (performance.now() - start) / 1000;
  const screenshot = Deno.env.get("FACEBENCH_WEBGPU_SCREENSHOT");
  if (screenshot) await Deno.writeFile(screenshot, await page.screenshot());
  assert.ok(state?.webgpuCheck, "the page never started its WebGPU figure");
  assert.strictEqual(state.webgpuCheck.error, null);
  assert.strictEqual(
    state.webgpuCheck.state,
    "done",
    `the WebGPU figure did not finish in ${WEBGPU_CHECK_TIMEOUT_S} s`,
  );
  const { throughput, parity } = state.webgpuCheck.check!;
  const row = throughputSchema.parse(throughput);
  assert.deepStrictEqual(
    [row.backend, row.threads, row.backbone, row.batchSize, row.error],
    ["webgpu", 1, "mobilefacenet_tiny", 2, null],
  );
  for (const speed of [row.trainImagesPerSecond, row.inferenceImagesPerSecond]) {
    assert.ok(Number.isFinite(speed) && speed! > 0, `speed ${speed}`);
  }
  assert.ok(row.peakBytes! > 0);
  assert.deepStrictEqual([parity.backbone, parity.images, parity.dim], ["mobilefacenet_tiny", 4, 512]);
  assert.ok(parity.maxMagnitude > 0.05, `embeddings too small to compare: max |value| ${parity.maxMagnitude}`);
  assert.ok(
    parity.maxRelative <= WEBGPU_PARITY_TOLERANCE,
    `WebGPU embeddings differ from WASM's by ${parity.maxRelative} (max |Δ| ${parity.maxAbs})`,
  );
  console.log(
    `page WebGPU figure in ${seconds.toFixed(0)} s: mobilefacenet_tiny embeddings of ${parity.images} images vs ` +
      `WASM max |Δ| ${parity.maxAbs.toExponential(2)} (max |value| ${parity.maxMagnitude.toFixed(3)}), max ` +
      `‖Δ‖/‖WASM‖ ${parity.maxRelative.toExponential(2)}; batch 2 train ${row.trainImagesPerSecond!.toFixed(3)} ` +
      `img/s, inference ${row.inferenceImagesPerSecond!.toFixed(3)} img/s, peak ${
        (row.peakBytes! / 2 ** 20).toFixed(0)
      } MiB`,
  );
}

const hasChromium = await Deno.stat(CHROMIUM).then(() => true, () => false);

Deno.test({
  name: "web page: the ci-gate WASM cell in headless Chromium ends with the CLI baseline's weight hash",
  ignore: !hasChromium,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const outDir = await Deno.makeTempDir({ prefix: "facebench-web-" });
    await buildPage(outDir);
    const server = await servePage(outDir, 0);
    const browser = await Chromium.launch(["--enable-unsafe-webgpu"]);
    try {
      const query = new URLSearchParams({ backend: "wasm", heads: "arcface", run: "1", ...THROUGHPUT_QUERY });
      const { page, state, seconds } = await visit(browser, new URL(`?${query}`, server.url));

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

      const pixels = (state: PageState) => state.checks!.pixels.map((p) => [p.split, p.matches, p.from]);
      assert.deepStrictEqual(pixels(state), [["train", true, "rendered"], ["test", true, "rendered"]]);
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
      assert.strictEqual(report.cells[0].metrics!.accuracyMean, expected.metrics!.accuracyMean);
      assert.deepStrictEqual(report.throughput, state.throughput);
      await sameThroughputRowAsCli(state.throughput, row.threads);
      await comparedWithBaseline(reportText, outDir, baseline, row);
      const screenshot = Deno.env.get("FACEBENCH_PAGE_SCREENSHOT");
      if (screenshot) await Deno.writeFile(screenshot, await page.screenshot());

      // a second visit finds both splits in the browser's cache (verified against the manifest) and trains alike
      const again = await visit(browser, new URL("?backend=wasm&heads=arcface&run=1", server.url));
      assert.deepStrictEqual(pixels(again.state), [["train", true, "kept"], ["test", true, "kept"]]);
      assert.strictEqual(again.state.rows[0].weightHash, expected.weightHash);
      console.log(
        `first visit (renders synthface-ci, cell, throughput) ${seconds.toFixed(0)} s; ` +
          `second visit (splits from the cache, cell) ${again.seconds.toFixed(0)} s`,
      );
      if (!webgpu.available) {
        console.warn(
          `\n!!! WebGPU figure NOT measured: headless Chromium exposes no adapter here (${webgpu.detail})\n`,
        );
      }
      await t.step({
        name: "the page's WebGPU figure: MobileFaceNet-tiny embeddings match WASM's; a WebGPU throughput row",
        ignore: !webgpu.available,
        fn: () => checkWebGpuFigure(browser, server.url),
      });
    } finally {
      await browser.close();
      await server.shutdown();
      await Deno.remove(outDir, { recursive: true });
    }
  },
});
