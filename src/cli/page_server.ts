/**
 * The browser page's build and server. {@link buildPage} bundles the page entry (`src/web/page.ts`) and the four
 * worker scripts (the run worker, WASM kernel threads, data loader, synthetic-split renderer) with `deno bundle --platform
 * browser` (esbuild underneath) and writes `build.json` (the commit and Deno versions the page's report records).
 * {@link servePage} serves the page, the bundles and the repository files the engine loads at run time
 * (`wasm-simd/*.wasm`, `shaders/*.wgsl`, dataset manifests, presets, baselines), with the cross-origin isolation
 * headers that give the page `SharedArrayBuffer` (the WASM backend's shared memory).
 * @module
 */
import { extname } from "node:path";
import { denoHost } from "../io/deno_host.ts";
import { joinPath } from "../io/paths.ts";

const repoRoot = new URL("../../", import.meta.url).pathname;

/** The bundles of the page's folder: `<name>.js` from each entry (the page, then the workers it starts). */
const BUNDLES: Record<string, string> = {
  page: "src/web/page.ts",
  run_worker: "src/web/run_worker.ts",
  wasm_worker: "src/backends/wasm/worker.ts",
  loader_worker: "src/data/loader_worker.ts",
  split_worker: "src/data/synth/split_worker.ts",
};

/** Repository folders served as they are, with the file extensions served from each. */
const SERVED_FOLDERS: Record<string, string[]> = {
  "wasm-simd/": [".wasm"],
  "shaders/": [".wgsl"],
  "fixtures/data/": [".json"],
  "fixtures/baselines/": [".json"],
  "benchmarks/presets/": [".json"],
};

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".wgsl": "text/plain; charset=utf-8",
};

/** Headers of every response: cross-origin isolation (COOP + COEP), same-origin resources, no caching. */
const ISOLATION_HEADERS = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cross-Origin-Resource-Policy": "same-origin",
  "Cache-Control": "no-store",
};

/** Bundles one entry (relative to the repository root) to the file `output`. */
async function bundle(entry: string, output: string): Promise<void> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["bundle", "--platform", "browser", "--output", output, entry],
    cwd: repoRoot,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`deno bundle ${entry} failed:\n${new TextDecoder().decode(out.stderr)}`);
}

/**
 * Bundles the page and its workers into `outDir` (`page.js`, `run_worker.js`, `wasm_worker.js`,
 * `loader_worker.js`, `split_worker.js`) and writes `build.json` there.
 */
export async function buildPage(outDir: string): Promise<void> {
  await Deno.mkdir(outDir, { recursive: true });
  for (const [name, entry] of Object.entries(BUNDLES)) await bundle(entry, joinPath(outDir, `${name}.js`));
  const build = {
    gitCommit: await denoHost.gitCommit(),
    gitDirty: await denoHost.gitDirty(),
    deno: Deno.version.deno,
    typescript: Deno.version.typescript,
  };
  await Deno.writeTextFile(joinPath(outDir, "build.json"), JSON.stringify(build, null, 2) + "\n");
}

/** The file a request path names (the page, a bundle, a served repository file), or null. */
function fileOf(pathname: string, outDir: string): string | null {
  if (pathname.includes("..")) return null;
  if (pathname === "/" || pathname === "/index.html") return joinPath(repoRoot, "src/web/index.html");
  const relative = pathname.slice(1);
  if (relative.startsWith("dist/") && !relative.slice(5).includes("/")) return joinPath(outDir, relative.slice(5));
  const folder = Object.keys(SERVED_FOLDERS).find((f) => relative.startsWith(f));
  if (!folder || relative.slice(folder.length).includes("/")) return null;
  return SERVED_FOLDERS[folder].includes(extname(relative)) ? joinPath(repoRoot, relative) : null;
}

/** Answers one request: the file with its content type and the isolation headers, or 404. */
async function respond(request: Request, outDir: string): Promise<Response> {
  const path = fileOf(decodeURIComponent(new URL(request.url).pathname), outDir);
  const body = path === null ? null : await Deno.readFile(path).catch(() => null);
  if (body === null) return new Response("not found\n", { status: 404, headers: ISOLATION_HEADERS });
  const headers = { ...ISOLATION_HEADERS, "Content-Type": CONTENT_TYPES[extname(path!)] ?? "application/octet-stream" };
  return new Response(request.method === "HEAD" ? null : body, { headers });
}

/** A running page server. */
export interface PageServer {
  /** the page's URL */
  url: URL;
  /** stops the server */
  shutdown(): Promise<void>;
}

/** Serves the page built into `outDir` on `127.0.0.1:port` (0: a free port). */
export function servePage(outDir: string, port: number): Promise<PageServer> {
  return new Promise((resolve) => {
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port,
      onListen: ({ port }) => resolve({ url: new URL(`http://127.0.0.1:${port}/`), shutdown: () => server.shutdown() }),
    }, (request) => respond(request, outDir));
  });
}
