/**
 * Progress on the terminal, the one progress type of the code base: {@link Progress} is how long work (dataset
 * builds, imports, rendering) reports `done / total`, and {@link consoleProgress} shows it. Training runs add a loss
 * and a throughput, shown by {@link ProgressBar}. Both write to a {@link ProgressSink} (the host's: stderr under Deno): on a TTY
 * a line redrawn in place, otherwise plain lines at a fixed pace (CI logs, pipes).
 * @module
 */
import { host } from "./host.ts";

/** Called with the work done so far and the total. */
export type Progress = (done: number, total: number) => void;

/** Where progress goes; the default is the host's (stderr under Deno). */
export interface ProgressSink {
  /** whether to draw a bar in place (true) or print lines */
  isTerminal: boolean;
  /** terminal width in characters (bars are cut to fit) */
  columns: number;
  /** writes text as is */
  write(text: string): void;
}

/** One progress report. */
export interface ProgressUpdate {
  /** steps completed so far (of `total`) */
  step: number;
  /** latest training loss */
  loss: number;
  /** recent training throughput */
  imagesPerSecond: number;
}

/** Options of {@link ProgressBar}. */
export interface ProgressOptions {
  /** output (default: the host's sink) */
  sink?: ProgressSink;
  /** clock in milliseconds (default `performance.now`) */
  now?: () => number;
  /** seconds between plain lines when not on a TTY (default 10) */
  lineIntervalSeconds?: number;
}

const BAR_WIDTH = 24;
const REDRAW_MS = 100;

/** Formats seconds as `m:ss` or `h:mm:ss` (`--:--` when unknown). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--:--";
  const s = Math.round(seconds);
  const two = (n: number) => String(n).padStart(2, "0");
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}

/**
 * A {@link Progress} that writes `label: done/total`: redrawn in place on a TTY, a plain line at every 10 %
 * otherwise.
 */
export function consoleProgress(label: string, sink: ProgressSink = host().progressSink()): Progress {
  let lastDecile = -1;
  return (done, total) => {
    const line = `${label}: ${done}/${total}`;
    if (sink.isTerminal) {
      sink.write(`\r${line}${done === total ? "\n" : ""}`);
      return;
    }
    const decile = Math.floor((10 * done) / Math.max(total, 1));
    if (decile !== lastDecile) {
      lastDecile = decile;
      sink.write(`${line}\n`);
    }
  };
}

/** The progress bar of one training run of `total` steps, with loss, throughput and ETA. */
export class ProgressBar {
  readonly #label: string;
  readonly #total: number;
  readonly #sink: ProgressSink;
  readonly #now: () => number;
  readonly #lineIntervalMs: number;
  #start: { step: number; time: number } | null = null;
  #lastDraw = -Infinity;
  #last: ProgressUpdate | null = null;

  /** Creates a display titled `label`. */
  constructor(label: string, total: number, options: ProgressOptions = {}) {
    if (!Number.isInteger(total) || total <= 0) {
      throw new RangeError(`ProgressBar: total must be a positive integer, got ${total}`);
    }
    this.#label = label;
    this.#total = total;
    this.#sink = options.sink ?? host().progressSink();
    this.#now = options.now ?? (() => performance.now());
    this.#lineIntervalMs = 1000 * (options.lineIntervalSeconds ?? 10);
  }

  /** Seconds left, estimated from the step rate since the first update (NaN before two updates). */
  eta(step: number): number {
    if (!this.#start || step <= this.#start.step) return NaN;
    const perStep = (this.#now() - this.#start.time) / 1000 / (step - this.#start.step);
    return perStep * (this.#total - step);
  }

  /** Reports progress; output is rate-limited (bar: 10 redraws/s; lines: one per interval, plus the last step). */
  update(u: ProgressUpdate): void {
    const time = this.#now();
    this.#start ??= { step: u.step, time };
    this.#last = u;
    const interval = this.#sink.isTerminal ? REDRAW_MS : this.#lineIntervalMs;
    if (time - this.#lastDraw < interval && u.step < this.#total) return;
    this.#lastDraw = time;
    this.#draw(u);
  }

  /** Ends the display: redraws the last state and moves to a new line on a TTY. */
  finish(): void {
    if (this.#sink.isTerminal) {
      if (this.#last) this.#draw(this.#last);
      this.#sink.write("\n");
    }
  }

  /** The text of one update (without bar or line control characters). */
  describe(u: ProgressUpdate): string {
    const pct = Math.floor((100 * u.step) / this.#total);
    return `${u.step}/${this.#total} ${pct}% loss ${u.loss.toFixed(4)} ${u.imagesPerSecond.toFixed(1)} img/s ` +
      `ETA ${formatDuration(this.eta(u.step))}`;
  }

  #draw(u: ProgressUpdate): void {
    if (!this.#sink.isTerminal) {
      this.#sink.write(`${this.#label} ${this.describe(u)}\n`);
      return;
    }
    const filled = Math.round((BAR_WIDTH * Math.min(u.step, this.#total)) / this.#total);
    const bar = `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}]`;
    const line = `${this.#label} ${bar} ${this.describe(u)}`.slice(0, Math.max(1, this.#sink.columns - 1));
    this.#sink.write(`\r\x1b[2K${line}`);
  }
}
