/**
 * The engine's own files that it loads at run time rather than imports: the worker scripts (WASM kernel threads,
 * the data loader, the synthetic-face split renderers) and the folders of the kernel module and the WGSL shaders.
 * Each is found beside the sources by default (Deno runs the `.ts` files); a bundled page, whose code no longer
 * sits beside them, names where its bundled workers and copied files are with {@link relocateResources}.
 * @module
 */

/** A file or folder the engine loads at run time. */
export type Resource =
  | "wasm-worker"
  | "loader-worker"
  | "synth-split-worker"
  | "wasm-kernels-dir"
  | "shaders-dir";

const relocated = new Map<Resource, URL>();

/** Where `resource` is: the URL given to {@link relocateResources}, else `besideSources`. */
export function resourceUrl(resource: Resource, besideSources: URL): URL {
  return relocated.get(resource) ?? besideSources;
}

/** Makes every later {@link resourceUrl} of the named resources return the given URLs (a folder ends in `/`). */
export function relocateResources(urls: Partial<Record<Resource, URL>>): void {
  for (const [resource, url] of Object.entries(urls) as [Resource, URL][]) relocated.set(resource, url);
}
