/// <reference lib="dom" />
/**
 * The page's entry (bundled to `dist/page.js` by `deno task serve`), the UI only: lists the backends (with WebGPU,
 * every WGSL shader is compiled by the browser's compiler in a worker and the outcome shown), and on "Run"
 * (or `?run=1`) sends the chosen `ci-gate` cells to the run worker (`run_worker.ts`, where the engine may block in
 * `Atomics.wait`), shows its progress, the pixel-hash and weight-hash checks, and offers the report files for
 * download with `report.html` shown in place. The state is kept in `globalThis.facebenchPage` for drivers (the
 * headless-Chromium test reads it). With backbones named under "throughput of", the run measures the `standard`
 * preset's throughput section for them on the chosen backend after the cells. Query parameters: `backend`, `heads`,
 * `threads`, `throughput` (backbones), `throughputBatch`, `throughputWarmup`, `throughputSteps` (the section's
 * batch size and steps; default: the standard preset's), `run=1`. "Measure WebGPU" (or `?webgpuCheck=1`, where an
 * adapter exists) measures the small WebGPU figure of `webgpu_check.ts` in its own worker: MobileFaceNet-tiny's
 * embeddings on WebGPU against WASM, and its WebGPU throughput at batch 2 (1 warm-up + 1 timed step).
 * @module
 */
import type { BuildFacts } from "../io/browser_host.ts";
import type { Cell, Throughput } from "../report/schema.ts";
import { type OfferedBackend, offeredBackends } from "./backends_probe.ts";
import type {
  RunChecks,
  RunMessage,
  RunRequest,
  ShaderCheckRequest,
  ThroughputChoice,
  WebGpuCheckChoice,
  WebGpuCheckRequest,
} from "./messages.ts";
import type { WebGpuCheck } from "./webgpu_check.ts";

/** The preset the page runs. */
const PRESET = "ci-gate";
/** Most WASM threads the page starts. */
const MAX_THREADS = 16;
/** The WebGPU figure: small enough for a software adapter (SwiftShader) to finish in well under a minute. */
const WEBGPU_CHECK: WebGpuCheckChoice = {
  backbone: "mobilefacenet_tiny",
  batchSize: 2,
  warmupSteps: 1,
  timedSteps: 1,
  parityImages: 4,
};

/** What drivers read: the run's state, backends, rows, checks and error. */
interface PageState {
  state: "idle" | "running" | "done" | "failed";
  backends: OfferedBackend[];
  rows: Cell[];
  /** the throughput rows of the finished run */
  throughput: Throughput[];
  checks: RunChecks | null;
  error: string | null;
  /** the WGSL compile check (null: not run, or not finished; WebGPU unavailable) */
  shaders: { compiled: number; problems: string[] } | null;
  /** the WebGPU figure (null: not asked for) */
  webgpuCheck: { state: "running" | "done" | "failed"; check: WebGpuCheck | null; error: string | null } | null;
}

const page: PageState = {
  state: "idle",
  backends: [],
  rows: [],
  throughput: [],
  checks: null,
  error: null,
  shaders: null,
  webgpuCheck: null,
};
(globalThis as unknown as { facebenchPage: PageState }).facebenchPage = page;

const root = new URL("./", location.href);
const params = new URLSearchParams(location.search);
const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function log(line: string): void {
  const pre = element<HTMLPreElement>("log");
  pre.textContent += line.endsWith("\n") ? line : `${line}\n`;
  pre.scrollTop = pre.scrollHeight;
}

function stage(text: string, done: number, total: number): void {
  element("stage").textContent = `${text}: ${done}/${total}`;
  Object.assign(element<HTMLProgressElement>("bar"), { value: done, max: total });
}

/** Fills the backends table and the backend choice. */
function showBackends(): void {
  const table = element<HTMLTableElement>("backends");
  const select = element<HTMLSelectElement>("backend");
  for (const b of page.backends) {
    const row = table.insertRow();
    for (const text of [b.name, b.available ? "yes" : "no", b.detail]) row.insertCell().textContent = text;
    if (b.available) select.add(new Option(b.name, b.name));
  }
}

/** Escapes text for HTML. */
function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** One line per check: the pixel hashes, then each row with its weight hash against the baseline's. */
function checkLines(rows: readonly Cell[], checks: RunChecks): string[] {
  const verdict = (ok: boolean) => `<span class="${ok ? "ok" : "bad"}">${ok ? "matches" : "differs from"}</span>`;
  return [
    ...checks.pixels.map((p) =>
      `synthface ${p.split} pixels ${p.from === "rendered" ? "rendered here" : "kept in this browser's cache"} ` +
      `<code>${p.sha256}</code> ${verdict(p.matches)} the manifest`
    ),
    ...rows.map((r, i) => {
      const what = `${r.backbone} × ${r.head} (seed ${r.seed}, ${r.backend}, ${r.threads} thread(s))`;
      if (r.error) return `${what}: <span class="bad">${escape(r.error)}</span>`;
      const baseline = checks.baselineHashes[i];
      return `${what}: ${r.steps} steps in ${r.wallSeconds.toFixed(1)} s (${r.imagesPerSecond.toFixed(1)} img/s), ` +
        `accuracy ${(100 * r.metrics!.accuracyMean).toFixed(2)} %, weight hash <code>${r.weightHash}</code> ` +
        (baseline ? `${verdict(r.weightHash === baseline)} the CLI baseline's` : "(no baseline row)");
    }),
  ];
}

/** One line per throughput row: training and inference images/s and peak memory, or the failure. */
function throughputLines(rows: readonly Throughput[]): string[] {
  return rows.map((t) => {
    const what = `throughput of ${t.backbone} (batch ${t.batchSize}, ${t.backend}, ${t.threads} thread(s))`;
    if (t.error) return `${what}: <span class="bad">${escape(t.error)}</span>`;
    return `${what}: training ${t.trainImagesPerSecond!.toFixed(2)} img/s, inference ` +
      `${t.inferenceImagesPerSecond!.toFixed(2)} img/s, peak ${(t.peakBytes! / 2 ** 20).toFixed(0)} MiB`;
  });
}

/** Shows the checks, the throughput rows, the download links and `report.html`. */
function showResult(message: Extract<RunMessage, { kind: "done" }>): void {
  const lines = [...checkLines(message.rows, message.checks), ...throughputLines(message.throughput)];
  element("result").innerHTML = `<ul>${lines.map((l) => `<li>${l}</li>`).join("")}</ul>`;
  const links = message.files.map(({ name, bytes }) => {
    const type = name.endsWith(".html") ? "text/html" : name.endsWith(".json") ? "application/json" : "text/markdown";
    const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
    if (name.endsWith(".html")) {
      const frame = element<HTMLIFrameElement>("report");
      frame.src = url;
      frame.hidden = false;
    }
    return `<a href="${url}" download="${name}">${name}</a>`;
  });
  element("downloads").innerHTML = `Download: ${links.join(" · ")}`;
}

/** A new engine worker (`run_worker.ts`). */
function engineWorker(): Worker {
  return new Worker(new URL("dist/run_worker.js", root), { type: "module" });
}

/** Compiles every WGSL shader with the browser's WebGPU compiler in a worker and shows the outcome. */
function checkShaders(): void {
  const worker = engineWorker();
  const show = (text: string) => (element("shaders").textContent = `WGSL in this browser: ${text}`);
  worker.onmessage = (event: MessageEvent<RunMessage>) => {
    const message = event.data;
    if (message.kind === "shaders") {
      page.shaders = { compiled: message.compiled, problems: message.problems };
      show(
        message.problems.length === 0
          ? `all ${message.compiled} op shaders compile without messages`
          : `${message.problems.length} compiler message(s): ${message.problems.join("; ")}`,
      );
    } else if (message.kind === "failed") {
      page.shaders = { compiled: 0, problems: [message.error] };
      show(message.error);
    }
    worker.terminate();
  };
  const request: ShaderCheckRequest = { kind: "compile-shaders", root: root.href };
  worker.postMessage(request);
}

/** Measures the WebGPU figure ({@link WEBGPU_CHECK}) in a worker and shows it. */
async function checkWebGpu(): Promise<void> {
  if (page.webgpuCheck?.state === "running") return;
  page.webgpuCheck = { state: "running", check: null, error: null };
  const show = (text: string) => (element("webgpu-result").textContent = text);
  show(`measuring ${WEBGPU_CHECK.backbone} on WebGPU…`);
  const build: BuildFacts = await (await fetch(new URL("dist/build.json", root))).json();
  const threads = page.backends.find((b) => b.name === "wasm")?.threads ?? 1;
  const worker = engineWorker();
  worker.onmessage = (event: MessageEvent<RunMessage>) => {
    const message = event.data;
    if (message.kind === "log") log(message.line);
    else if (message.kind === "webgpu-check") {
      page.webgpuCheck = { state: "done", check: message.check, error: null };
      const { parity, throughput: t } = message.check;
      show(
        `${parity.backbone} on WebGPU: embeddings of ${parity.images} images vs WASM max |Δ| ` +
          `${parity.maxAbs.toExponential(2)} (max ‖Δ‖/‖WASM‖ ${parity.maxRelative.toExponential(2)}); ` +
          (t.error ?? `batch ${t.batchSize}: train ${t.trainImagesPerSecond!.toFixed(2)} img/s, inference ` +
              `${t.inferenceImagesPerSecond!.toFixed(2)} img/s, peak ${(t.peakBytes! / 2 ** 20).toFixed(0)} MiB`),
      );
      worker.terminate();
    } else if (message.kind === "failed") {
      page.webgpuCheck = { state: "failed", check: null, error: message.error };
      show(message.error);
      worker.terminate();
    }
  };
  const request: WebGpuCheckRequest = { kind: "webgpu-check", root: root.href, build, threads, choice: WEBGPU_CHECK };
  worker.postMessage(request);
}

/** The throughput section chosen in the page (undefined: no backbone named). */
function throughputChoice(): ThroughputChoice | undefined {
  const backbones = element<HTMLInputElement>("throughput").value.split(",").map((b) => b.trim()).filter(Boolean);
  if (backbones.length === 0) return undefined;
  const count = (name: string) => (params.has(name) ? Number(params.get(name)) : undefined);
  return {
    backbones,
    batchSize: count("throughputBatch"),
    warmupSteps: count("throughputWarmup"),
    timedSteps: count("throughputSteps"),
  };
}

/** Starts the run worker on the chosen backend, heads and throughput backbones. */
async function run(): Promise<void> {
  if (page.state === "running") return;
  Object.assign(page, { state: "running", rows: [], throughput: [], checks: null, error: null });
  const backend = element<HTMLSelectElement>("backend").value || "wasm";
  const offer = page.backends.find((b) => b.name === backend);
  const build: BuildFacts = await (await fetch(new URL("dist/build.json", root))).json();
  const choice = throughputChoice();
  const query = new URLSearchParams({ backend, heads: element<HTMLInputElement>("heads").value });
  if (choice) query.set("throughput", choice.backbones.join(","));
  const request: RunRequest = {
    kind: "run",
    root: root.href,
    build,
    preset: PRESET,
    heads: element<HTMLInputElement>("heads").value || undefined,
    backend,
    threads: Number(params.get("threads") ?? offer?.threads ?? 1),
    throughput: choice,
    command: `facebench page ?${query}`,
  };
  const worker = engineWorker();
  worker.onmessage = (event: MessageEvent<RunMessage>) => {
    const message = event.data;
    if (message.kind === "log") log(message.line);
    else if (message.kind === "stage") stage(message.text, message.done, message.total);
    else if (message.kind === "row") {
      log(`${message.row.backbone} × ${message.row.head}: ${message.row.error ?? "done"}`);
    } else if (message.kind === "done") {
      Object.assign(page, {
        rows: message.rows,
        throughput: message.throughput,
        checks: message.checks,
        state: "done",
      });
      showResult(message);
      worker.terminate();
    } else if (message.kind === "failed") {
      Object.assign(page, { error: message.error, state: "failed" });
      log(message.error);
      worker.terminate();
    }
  };
  worker.onerror = (event) => {
    Object.assign(page, { error: `run worker: ${event.message}`, state: "failed" });
    log(page.error!);
  };
  worker.postMessage(request);
}

page.backends = await offeredBackends(MAX_THREADS);
showBackends();
const webgpuOffered = page.backends.some((b) => b.name === "webgpu" && b.available);
if (webgpuOffered) checkShaders();
element<HTMLButtonElement>("webgpu-check").disabled = !webgpuOffered;
element("webgpu-check").addEventListener("click", () => void checkWebGpu());
if (webgpuOffered && params.get("webgpuCheck") === "1") void checkWebGpu();
if (params.has("backend")) element<HTMLSelectElement>("backend").value = params.get("backend")!;
if (params.has("heads")) element<HTMLInputElement>("heads").value = params.get("heads")!;
if (params.has("throughput")) element<HTMLInputElement>("throughput").value = params.get("throughput")!;
element("run").addEventListener("click", () => void run());
if (params.get("run") === "1") void run();
