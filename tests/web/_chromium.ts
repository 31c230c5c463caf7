/**
 * A small driver of Debian's headless Chromium over the Chrome DevTools Protocol (one WebSocket to the browser,
 * pages attached as flat sessions): launch, open a page, evaluate an expression, take a screenshot, close.
 * @module
 */

/** Where Debian installs Chromium. */
export const CHROMIUM = "/usr/bin/chromium";

type Pending = { resolve(result: Record<string, unknown>): void; reject(error: Error): void };

/** A launched headless Chromium. */
export class Chromium {
  readonly #process: Deno.ChildProcess;
  readonly #socket: WebSocket;
  readonly #pending = new Map<number, Pending>();
  readonly #profile: string;
  #nextId = 1;

  private constructor(process: Deno.ChildProcess, socket: WebSocket, profile: string) {
    this.#process = process;
    this.#socket = socket;
    this.#profile = profile;
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data as string);
      const pending = message.id === undefined ? undefined : this.#pending.get(message.id);
      if (!pending) return;
      this.#pending.delete(message.id);
      if (message.error) pending.reject(new Error(`CDP: ${message.error.message}`));
      else pending.resolve(message.result);
    };
  }

  /** Starts Chromium headless with `flags` added and connects to its DevTools endpoint. */
  static async launch(flags: readonly string[] = []): Promise<Chromium> {
    const profile = await Deno.makeTempDir({ prefix: "facebench-chromium-" });
    const process = new Deno.Command(CHROMIUM, {
      args: [
        "--headless",
        "--no-sandbox",
        "--remote-debugging-port=0",
        `--user-data-dir=${profile}`,
        "--no-first-run",
        ...flags,
        "about:blank",
      ],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const endpoint = await devtoolsEndpoint(process.stderr);
    const socket = new WebSocket(endpoint);
    await new Promise((resolve, reject) => {
      socket.onopen = resolve;
      socket.onerror = () => reject(new Error(`cannot connect to ${endpoint}`));
    });
    return new Chromium(process, socket, profile);
  }

  /** Sends one CDP command (to the page session `sessionId`, or to the browser). */
  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  }

  /** Opens `url` in a new page of `width` × `height` pixels. */
  async open(url: string, width = 1200, height = 1400): Promise<Page> {
    const { targetId } = await this.send("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await this.send("Target.attachToTarget", { targetId, flatten: true });
    const page = new Page(this, sessionId as string);
    const metrics = { width, height, deviceScaleFactor: 1, mobile: false };
    await this.send("Emulation.setDeviceMetricsOverride", metrics, sessionId as string);
    await this.send("Page.navigate", { url }, sessionId as string);
    return page;
  }

  /** Closes the browser and removes its profile. */
  async close(): Promise<void> {
    await this.send("Browser.close").catch(() => {});
    this.#socket.close();
    await this.#process.status;
    await Deno.remove(this.#profile, { recursive: true }).catch(() => {});
  }
}

/** One page of a {@link Chromium}. */
export class Page {
  readonly #browser: Chromium;
  readonly #session: string;

  /** A page attached as session `session`. */
  constructor(browser: Chromium, session: string) {
    this.#browser = browser;
    this.#session = session;
  }

  /** Evaluates `expression` in the page (awaiting a promise) and returns its JSON value. */
  async evaluate<T>(expression: string): Promise<T> {
    const reply = await this.#browser.send(
      "Runtime.evaluate",
      { expression, returnByValue: true, awaitPromise: true },
      this.#session,
    );
    const details = reply.exceptionDetails as { exception?: { description?: string }; text?: string } | undefined;
    if (details) throw new Error(`page: ${details.exception?.description ?? details.text}`);
    return (reply.result as { value: T }).value;
  }

  /** A PNG of the whole page. */
  async screenshot(): Promise<Uint8Array> {
    const { data } = await this.#browser.send(
      "Page.captureScreenshot",
      { format: "png", captureBeyondViewport: true },
      this.#session,
    );
    return Uint8Array.from(atob(data as string), (c) => c.charCodeAt(0));
  }
}

/** Reads Chromium's standard error up to its "DevTools listening on ws://…" line; the rest is drained. */
async function devtoolsEndpoint(stderr: ReadableStream<Uint8Array>): Promise<string> {
  const decoder = new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>;
  const lines = stderr.pipeThrough(decoder).getReader();
  let text = "";
  for (;;) {
    const { value, done } = await lines.read();
    if (done) throw new Error(`Chromium exited before it listened:\n${text}`);
    text += value;
    const match = /DevTools listening on (ws:\/\/\S+)/.exec(text);
    if (match) {
      (async () => {
        while (!(await lines.read()).done); // keep the pipe from filling up
      })();
      return match[1];
    }
  }
}
