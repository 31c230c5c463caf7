/**
 * The host of a browser page: the repository's served files are read with `fetch` under the site root, files the
 * engine writes (the dataset cache, the report) are kept in memory for the page to offer as downloads, and those
 * under a kept folder (the dataset cache) also in the Cache API for later visits ({@link KeptFiles}); settings
 * are unset, runtime facts come from `navigator` and the build facts the server wrote, and progress text goes to
 * a callback. Installed by the page with `useHost` before anything loads.
 * @module
 */
import type { DirEntry, Host, PathInfo, ReadableFile, RuntimeFacts } from "./host.ts";

/** What the server knew when it built the page (written next to the bundles as `build.json`). */
export interface BuildFacts {
  /** git commit of the bundled code (null outside a checkout) */
  gitCommit: string | null;
  /** whether that checkout had uncommitted changes */
  gitDirty: boolean | null;
  /** the Deno that bundled it */
  deno: string;
  /** the TypeScript version of that Deno */
  typescript: string;
}

/**
 * Files the page keeps between visits: what it writes under `dir` (the dataset cache) also goes into `cache` (the
 * Cache API, one entry per file, replaced whole), and later visits read it from there. Readers verify what they
 * read (the synthetic splits are named by and checked against their manifest's SHA-256), so a damaged entry is
 * rendered and written again.
 */
export interface KeptFiles {
  /** the folder (a path under the site root, ending in "/") whose files are kept */
  dir: string;
  /** where they are kept */
  cache: Cache;
}

/** Options of {@link BrowserHost}. */
export interface BrowserHostOptions {
  /** the URL the repository's served files sit under (`fixtures/`, `benchmarks/presets/`) */
  root: URL;
  /** facts of the build */
  build: BuildFacts;
  /** receives progress text */
  write(text: string): void;
  /** files kept between visits (undefined: every write lasts as long as the page) */
  kept?: KeptFiles;
}

/** How a page report's `environment.deno` begins: no Deno ran it, a browser did (its name is `environment.v8`). */
export const BROWSER_PAGE_RUNTIME = "none (browser page";

/** The browser's name and version, e.g. "Chromium 156.0.8078.114" (from the user-agent string). */
function browserVersion(): string {
  const ua = navigator.userAgent;
  const m = /(HeadlessChrome|Chromium|Chrome|Firefox|Version)\/([\d.]+)/.exec(ua);
  return m ? `${m[1] === "Version" ? "Safari" : m[1]} ${m[2]}` : ua;
}

/** A page's {@link Host}. */
export class BrowserHost implements Host {
  readonly name = "browser";
  /** the files written in this page, by path, in writing order */
  readonly written = new Map<string, Uint8Array>();
  readonly #options: BrowserHostOptions;

  /** A host reading under `options.root`. */
  constructor(options: BrowserHostOptions) {
    this.#options = options;
  }

  /** The kept copy of `path` from an earlier visit (undefined: not a kept file, or none kept). */
  #keptCopy(path: string): Promise<Response | undefined> {
    const { kept, root } = this.#options;
    return kept && path.startsWith(kept.dir) ? kept.cache.match(new URL(path, root)) : Promise.resolve(undefined);
  }

  async readBytes(path: string): Promise<Uint8Array> {
    const written = this.written.get(path);
    if (written) return written;
    const response = await this.#keptCopy(path) ?? await fetch(new URL(path, this.#options.root));
    if (!response.ok) throw new Error(`HTTP ${response.status} for ${response.url}`);
    return new Uint8Array(await response.arrayBuffer());
  }

  async exists(path: string): Promise<boolean> {
    if (this.written.has(path) || await this.#keptCopy(path)) return true;
    const response = await fetch(new URL(path, this.#options.root), { method: "HEAD" });
    return response.ok;
  }

  async writeBytesAtomic(path: string, data: Uint8Array): Promise<void> {
    this.written.set(path, data.slice());
    const { kept, root } = this.#options;
    if (kept && path.startsWith(kept.dir)) await kept.cache.put(new URL(path, root), new Response(data.slice()));
  }

  async stat(path: string): Promise<PathInfo | null> {
    const file = (size: number): PathInfo => ({ isFile: true, isDirectory: false, size, modifiedMs: null });
    const written = this.written.get(path);
    if (written) return file(written.length);
    const kept = await this.#keptCopy(path);
    if (kept) return file((await kept.arrayBuffer()).byteLength);
    const response = await fetch(new URL(path, this.#options.root), { method: "HEAD" });
    if (!response.ok) return null;
    const length = response.headers.get("content-length");
    return file(length === null ? (await this.readBytes(path)).length : Number(length));
  }

  listDir(dir: string): Promise<DirEntry[]> {
    return Promise.reject(new Error(`cannot list ${dir}: a browser page cannot list the folders of its site`));
  }

  realPath(path: string): Promise<string> {
    return Promise.resolve(path); // served paths have no symbolic links to resolve
  }

  /** Opens a file this page wrote (only those can be read synchronously). */
  openFile(path: string): ReadableFile {
    const data = this.written.get(path);
    if (!data) throw new Error(`cannot open ${path}: a browser page opens only the files it wrote`);
    return {
      size: data.length,
      readAt(offset, out) {
        const part = data.subarray(Math.min(offset, data.length), Math.min(offset + out.length, data.length));
        out.set(part);
        return part.length;
      },
      close() {},
    };
  }

  makeDir(): Promise<void> {
    return Promise.resolve(); // folders exist implicitly: files are kept by path
  }

  async appendBytes(path: string, data: Uint8Array): Promise<void> {
    const before = this.written.get(path) ?? new Uint8Array();
    const after = new Uint8Array(before.length + data.length);
    after.set(before);
    after.set(data, before.length);
    await this.writeBytesAtomic(path, after);
  }

  async rename(from: string, to: string): Promise<void> {
    const data = this.written.get(from);
    if (!data) throw new Error(`cannot rename ${from}: not written in this page`);
    await this.writeBytesAtomic(to, data);
    await this.remove(from);
  }

  async remove(path: string, options?: { recursive?: boolean }): Promise<void> {
    const inside = `${path.replace(/\/$/, "")}/`;
    const doomed = [...this.written.keys()].filter((p) => p === path || (options?.recursive && p.startsWith(inside)));
    const { kept, root } = this.#options;
    for (const p of doomed) {
      this.written.delete(p);
      if (kept && p.startsWith(kept.dir)) await kept.cache.delete(new URL(p, root));
    }
  }

  removeStaleTempFiles(): Promise<string[]> {
    return Promise.resolve([]); // writes are whole map entries: nothing is ever left half-written
  }

  setting(): string | undefined {
    return undefined;
  }

  repoFile(relative: string): string {
    return new URL(relative, this.#options.root).pathname;
  }

  runtime(): RuntimeFacts {
    const platform = (navigator as Navigator & { userAgentData?: { platform?: string } }).userAgentData?.platform;
    return {
      deno: `${BROWSER_PAGE_RUNTIME} bundled by Deno ${this.#options.build.deno})`,
      v8: browserVersion(),
      typescript: this.#options.build.typescript,
      os: platform || navigator.platform || "unknown",
      arch: "unknown",
    };
  }

  cpuModel(): Promise<string | null> {
    return Promise.resolve(null);
  }

  gitCommit(): Promise<string | null> {
    return Promise.resolve(this.#options.build.gitCommit);
  }

  gitDirty(): Promise<boolean | null> {
    return Promise.resolve(this.#options.build.gitDirty);
  }

  progressSink() {
    return { isTerminal: false, columns: 120, write: this.#options.write };
  }
}
