/**
 * The page's engine worker (bundled to `dist/run_worker.js`). On a {@link ShaderCheckRequest} it compiles every
 * WGSL shader on the browser's WebGPU device and reports the compiler's messages. On a {@link RunRequest} it
 * installs the browser host (keeping the dataset cache in the Cache API, so a second visit does not render
 * synthface-ci again) and the bundled workers' locations, runs the preset's cells and the chosen throughput section
 * with {@link runInPage}, checks the synthetic splits' pixel hashes against their manifest and each row's weight hash
 * against the committed baseline, and posts the report files back ({@link RunMessage}). On a
 * {@link WebGpuCheckRequest} it measures the small WebGPU figure of `webgpu_check.ts`.
 * @module
 */
import { relocateResources } from "../core/resources.ts";
import { sha256Hex } from "../core/sha256.ts";
import { DEFAULT_CACHE_FOLDER } from "../data/files.ts";
import { readManifest, splitCachePath } from "../data/synth_cache.ts";
import { SYNTH_DATASETS } from "../data/synthface.ts";
import { BrowserHost } from "../io/browser_host.ts";
import { host, useHost } from "../io/host.ts";
import type { Cell, Report } from "../report/schema.ts";
import { readReport } from "../report/write.ts";
import { OP_NAMES } from "../core/kernels.ts";
import { openDevice } from "../backends/webgpu/device.ts";
import { COMPOSED_OPS, shaderProblems } from "../backends/webgpu/shaders.ts";
import type { RunChecks, RunMessage, RunRequest, ShaderCheckRequest, WebGpuCheckRequest } from "./messages.ts";
import { runInPage } from "./page_run.ts";
import { checkWebGpu } from "./webgpu_check.ts";

const scope = self as unknown as Worker;
const post = (message: RunMessage) => scope.postMessage(message);

/** The Cache API's store of the files a page keeps between visits. */
const KEPT_FILES_CACHE = "facebench-kept-files";

/**
 * SHA-256 of each synthetic split the run used (rendered here, or kept from an earlier visit) against the
 * manifest's; none for other data.
 */
async function checkPixels(pageHost: BrowserHost, datasetId: string): Promise<RunChecks["pixels"]> {
  if (!(datasetId in SYNTH_DATASETS)) return [];
  const manifest = await readManifest(datasetId);
  const checks: RunChecks["pixels"] = [];
  for (const split of ["train", "test"] as const) {
    const path = splitCachePath(manifest, split);
    const from = pageHost.written.has(path) ? "rendered" : "kept";
    const sha256 = await pageHost.exists(path) ? await sha256Hex(await pageHost.readBytes(path)) : "(not rendered)";
    checks.push({ split, sha256, matches: sha256 === manifest[split].sha256, from });
  }
  return checks;
}

/** The committed baseline's weight hash of each row's cell and seed (all null without a baseline). */
async function baselineHashes(report: Report): Promise<(string | null)[]> {
  const path = host().repoFile(`fixtures/baselines/${report.run.preset}.json`);
  if (!(await host().exists(path))) return report.cells.map(() => null);
  const baseline = await readReport(path);
  const same = (b: Cell, r: Cell) =>
    b.backbone === r.backbone && b.head === r.head && b.stage === r.stage && b.seed === r.seed;
  return report.cells.map((r) => baseline.cells.find((b) => same(b, r))?.weightHash ?? null);
}

/** Points the engine's run-time files at the bundles and the served folders under `root`. */
function relocateUnder(root: URL): void {
  relocateResources({
    "wasm-worker": new URL("dist/wasm_worker.js", root),
    "loader-worker": new URL("dist/loader_worker.js", root),
    "synth-split-worker": new URL("dist/split_worker.js", root),
    "wasm-kernels-dir": new URL("wasm-simd/", root),
    "shaders-dir": new URL("shaders/", root),
  });
}

async function compileShaders(request: ShaderCheckRequest): Promise<void> {
  relocateUnder(new URL(request.root));
  const { device } = await openDevice();
  try {
    const problems = await shaderProblems(device);
    post({ kind: "shaders", compiled: OP_NAMES.length - COMPOSED_OPS.size, problems });
  } finally {
    device.destroy();
  }
}

/** Installs the page's host (with the dataset cache kept in the Cache API where there is one) and relocations. */
async function installPageHost(request: RunRequest | WebGpuCheckRequest): Promise<BrowserHost> {
  const root = new URL(request.root);
  // the dataset cache outlives the page where the Cache API exists (a secure context: localhost or https)
  const kept = "caches" in self
    ? { dir: new URL(DEFAULT_CACHE_FOLDER, root).pathname, cache: await caches.open(KEPT_FILES_CACHE) }
    : undefined;
  const pageHost = new BrowserHost({
    root,
    build: request.build,
    write: (line) => post({ kind: "log", line }),
    kept,
  });
  useHost(pageHost);
  relocateUnder(root);
  return pageHost;
}

async function measureWebGpu(request: WebGpuCheckRequest): Promise<void> {
  await installPageHost(request);
  const check = await checkWebGpu(request.choice, { threads: request.threads }, (line) => post({ kind: "log", line }));
  post({ kind: "webgpu-check", check });
}

async function run(request: RunRequest): Promise<void> {
  const pageHost = await installPageHost(request);
  const { report, files } = await runInPage({
    ...request,
    log: (line) => post({ kind: "log", line }),
    onProgress: (label) => (done, total) => post({ kind: "stage", text: label, done, total }),
    onStep: (cell, step, steps, loss) =>
      post({
        kind: "stage",
        text: `${cell.backbone} × ${cell.head}: loss ${loss.toFixed(4)}`,
        done: step,
        total: steps,
      }),
    onRow: (row) => post({ kind: "row", row }),
  });
  const checks = {
    pixels: await checkPixels(pageHost, report.environment.dataset.id),
    baselineHashes: await baselineHashes(report),
  };
  const written = Object.values(files).map((path) => ({
    name: path.slice(path.lastIndexOf("/") + 1),
    bytes: pageHost.written.get(path)!,
  }));
  post({ kind: "done", rows: report.cells, throughput: report.throughput, checks, files: written });
}

/** What each request kind does. */
function handle(request: RunRequest | ShaderCheckRequest | WebGpuCheckRequest): Promise<void> {
  if (request.kind === "run") return run(request);
  if (request.kind === "webgpu-check") return measureWebGpu(request);
  return compileShaders(request);
}

scope.onmessage = (event: MessageEvent<RunRequest | ShaderCheckRequest | WebGpuCheckRequest>) => {
  handle(event.data).catch((error) =>
    post({ kind: "failed", error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) })
  );
};
