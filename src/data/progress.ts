/**
 * Progress lines for long work: an updating line on a terminal, plain lines at every 10 % otherwise.
 * @module
 */

/** Called with the work done so far and the total. */
export type Progress = (done: number, total: number) => void;

/** A {@link Progress} that writes `label: done/total` to stderr. */
export function consoleProgress(label: string): Progress {
  const tty = Deno.stderr.isTerminal();
  const encoder = new TextEncoder();
  let lastDecile = -1;
  return (done, total) => {
    const line = `${label}: ${done}/${total}`;
    if (tty) {
      Deno.stderr.writeSync(encoder.encode(`\r${line}${done === total ? "\n" : ""}`));
      return;
    }
    const decile = Math.floor((10 * done) / Math.max(total, 1));
    if (decile !== lastDecile) {
      lastDecile = decile;
      Deno.stderr.writeSync(encoder.encode(`${line}\n`));
    }
  };
}
