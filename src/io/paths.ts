/**
 * Path strings as the hosts use them (`/`-separated: file paths under Deno, URL paths in a page), without
 * `node:path`, so the modules that build paths also bundle for a browser.
 * @module
 */

/** Joins path parts with single slashes. */
export function joinPath(...parts: string[]): string {
  return parts.map((p, i) => (i === 0 ? p.replace(/\/+$/, "") : p.replace(/^\/+|\/+$/g, ""))).join("/");
}

/** The directory part of `path` (`.` for a bare name, `/` for a file in the root), like POSIX `dirname`. */
export function parentDir(path: string): string {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, "") : path;
  const slash = trimmed.lastIndexOf("/");
  if (slash < 0) return ".";
  return slash === 0 ? "/" : trimmed.slice(0, slash);
}
