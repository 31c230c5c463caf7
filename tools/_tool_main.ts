/**
 * The shared entry point of the analysis tools under `tools/`: parse the options (null means print the help), then
 * run with a log that prefixes each line with the seconds since the start (on stderr, so stdout stays the result).
 * Exit codes: 0 success, 1 a failure while running (its message printed), 2 bad options.
 * @module
 */

/** A timestamped progress line on stderr. */
export type ToolLog = (line: string) => void;

/** Parses `args` with `parse`, prints `help` when it returns null, else runs `run`; returns the exit code. */
export async function runTool<O>(
  name: string,
  args: string[],
  help: string,
  parse: (args: string[]) => O | null,
  run: (options: O, log: ToolLog) => Promise<void>,
): Promise<number> {
  let options: O | null;
  try {
    options = parse(args);
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  if (options === null) {
    console.log(help);
    return 0;
  }
  const started = performance.now();
  const log: ToolLog = (line) => console.error(`[${((performance.now() - started) / 1000).toFixed(1)} s] ${line}`);
  try {
    await run(options, log);
    return 0;
  } catch (error) {
    console.error(`${name}: ${(error as Error).message}`);
    return 1;
  }
}
