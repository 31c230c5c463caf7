/**
 * `deno task serve [--port N] [--out DIR]`: bundles the browser page and its workers (see `page_server.ts`) into
 * DIR (default `<cache>/web`) and serves them on `http://127.0.0.1:N/` (default 8016; 0 picks a free port) with the
 * COOP/COEP headers that make the page cross-origin isolated. Exit codes: 2 bad input, 1 a failed build.
 * @module
 */
import { parseArgs } from "node:util";
import { cacheDir, joinPath } from "../data/files.ts";
import { buildPage, servePage } from "./page_server.ts";

const USAGE = "Usage: deno task serve [--port N (default 8016; 0: any free port)] [--out DIR (default <cache>/web)]";

if (import.meta.main) {
  let values;
  try {
    ({ values } = parseArgs({ args: Deno.args, options: { port: { type: "string" }, out: { type: "string" } } }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    Deno.exit(2);
  }
  const port = Number(values.port ?? 8016);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port: expected an integer in [0, 65535], got "${values.port}"\n${USAGE}`);
    Deno.exit(2);
  }
  const outDir = values.out ?? joinPath(cacheDir(), "web");
  try {
    await buildPage(outDir);
  } catch (error) {
    console.error((error as Error).message);
    Deno.exit(1);
  }
  const server = await servePage(outDir, port);
  console.log(`facebench page: ${server.url.href} (bundles in ${outDir}; Ctrl-C stops)`);
}
