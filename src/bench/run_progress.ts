/**
 * Progress of a bench run: one bar per training run (images per second measured from its first reported step),
 * one bar per pre-training run, and an overall line per cell with the time spent and an ETA for the whole run.
 * @module
 */
import { formatDuration, ProgressBar } from "../io/progress.ts";

/** The progress bar of one training run, with images per second measured from its first reported step. */
export class RunProgress {
  readonly #progress: ProgressBar;
  #first: { step: number; time: number } | null = null;

  constructor(label: string, steps: number, readonly batchSize: number) {
    this.#progress = new ProgressBar(label, steps);
  }

  /** Reports a finished step and its loss. */
  update(step: number, loss: number): void {
    const time = performance.now();
    this.#first ??= { step, time };
    const seconds = (time - this.#first.time) / 1000;
    const imagesPerSecond = seconds > 0 ? ((step - this.#first.step) * this.batchSize) / seconds : 0;
    this.#progress.update({ step, loss, imagesPerSecond });
  }

  /** Ends the bar. */
  finish(): void {
    this.#progress.finish();
  }
}

/** Progress bars of preliminary trainings (pre-training, teachers): a new bar whenever the label changes. */
export function trainingBars(batchSize: number) {
  let current: { label: string; progress: RunProgress } | null = null;
  return (label: string, step: number, steps: number, loss: number) => {
    if (current?.label !== label) current = { label, progress: new RunProgress(label, steps, batchSize) };
    current.progress.update(step, loss);
    if (step === steps) current.progress.finish();
  };
}

/** Progress of the pre-training runs: one bar per backbone and seed. */
export function pretrainProgress(batchSize: number) {
  const bars = trainingBars(batchSize);
  return (backbone: string, seed: number, step: number, steps: number, loss: number) =>
    bars(`pre-training ${backbone} s${seed}`, step, steps, loss);
}

/**
 * The overall progress of a run of `total` cell rows: after each row, how many are done, the time spent, and an
 * ETA from the mean time of the rows trained so far (rows reused from the journal take no time and do not count).
 */
export class RunOverview {
  readonly #start: number;
  #done = 0;
  #trained = 0;
  #trainedSeconds = 0;

  constructor(readonly total: number, readonly now: () => number = () => performance.now()) {
    this.#start = now();
  }

  /** Records a finished row (`seconds` of training, or null when reused) and returns the overall line. */
  finished(seconds: number | null): string {
    this.#done++;
    if (seconds !== null) {
      this.#trained++;
      this.#trainedSeconds += seconds;
    }
    const left = this.total - this.#done;
    const eta = this.#trained > 0 ? formatDuration((left * this.#trainedSeconds) / this.#trained) : "--:--";
    return `  overall: ${this.#done}/${this.total} cells done, ${formatDuration(this.elapsedSeconds())} elapsed, ` +
      `ETA ${left === 0 ? "0:00" : eta}`;
  }

  /** Seconds since the run started. */
  elapsedSeconds(): number {
    return (this.now() - this.#start) / 1000;
  }
}
