/**
 * Loading the WGSL sources of `shaders/`: one file per op, named like the op, plus `_`-prefixed includes pulled in
 * by a `//!include _name.wgsl` line (each include at most once per shader).
 * @module
 */
import { OP_NAMES, type OpName } from "../../core/kernels.ts";
import { resourceUrl } from "../../core/resources.ts";

const INCLUDE = /^\/\/!include (_[a-z0-9_]+\.wgsl)\s*$/gm;

async function fetchText(file: string): Promise<string> {
  const url = new URL(file, resourceUrl("shaders-dir", new URL("../../../shaders/", import.meta.url)));
  const response = await fetch(url);
  if (!response.ok) throw new Error(`webgpu: cannot load shader ${url.href}: HTTP ${response.status}`);
  return await response.text();
}

/** Replaces include lines by the included text, recursively, each include once. */
async function resolve(text: string, cache: Map<string, Promise<string>>, seen: Set<string>): Promise<string> {
  const parts: string[] = [];
  let last = 0;
  for (const match of text.matchAll(INCLUDE)) {
    parts.push(text.slice(last, match.index));
    last = match.index + match[0].length;
    const name = match[1];
    if (seen.has(name)) continue;
    seen.add(name);
    let source = cache.get(name);
    if (!source) {
      source = fetchText(name);
      cache.set(name, source);
    }
    parts.push(await resolve(await source, cache, seen));
  }
  parts.push(text.slice(last));
  return parts.join("");
}

/**
 * Ops without a shader of their own: their kernels encode other ops' shaders in turn (`batch_norm_prelu` and its
 * gradient run the batch_norm and prelu shaders, kernels/norm.ts), so their bits are those ops'.
 */
export const COMPOSED_OPS: ReadonlySet<OpName> = new Set(["batch_norm_prelu", "batch_norm_prelu_grad"]);

/** Loads the complete WGSL source of every op's shader, includes resolved. */
export async function loadShaderSources(): Promise<Map<OpName, string>> {
  const cache = new Map<string, Promise<string>>();
  const entries = await Promise.all(
    OP_NAMES.filter((op) => !COMPOSED_OPS.has(op)).map(async (op) =>
      [op, await resolve(await fetchText(`${op}.wgsl`), cache, new Set())] as const
    ),
  );
  return new Map(entries);
}

/**
 * Compiles every op's shader on `device` and returns each compiler message as `<op>: <type>: <text>` (none: every
 * shader compiles cleanly with this device's WGSL compiler — naga under Deno, Tint in Chromium).
 */
export async function shaderProblems(device: GPUDevice): Promise<string[]> {
  const problems: string[] = [];
  for (const [op, code] of await loadShaderSources()) {
    const info = await device.createShaderModule({ code }).getCompilationInfo();
    for (const m of info.messages) problems.push(`${op}: ${m.type}: ${m.message}`);
  }
  return problems;
}
