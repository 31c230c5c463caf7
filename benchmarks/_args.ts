/**
 * Command lines of the benchmark scripts: {@link benchArgs} prints a script's usage for `--help` (or `-h`), and for an
 * unknown or malformed option prints what is wrong with the usage and exits with status 2 instead of an uncaught stack
 * trace; {@link count}, {@link counts}, {@link oneOf} and {@link someOf} read whole numbers and choices and, as
 * {@link usageError}, exit with status 2 naming the option they reject.
 * @module
 */
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";

/** The script's options parsed strictly from `Deno.args`; exits 0 after printing `usage` on `--help`, 2 on bad options. */
export function benchArgs<O extends ParseArgsOptionsConfig>(options: O, usage: string) {
  if (Deno.args.includes("--help") || Deno.args.includes("-h")) {
    console.log(usage);
    Deno.exit(0);
  }
  try {
    return parseArgs({ args: Deno.args, options, strict: true }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    Deno.exit(2);
  }
}

/** `text` as a whole number ≥ `min`; otherwise prints what `option` expected and exits with status 2. */
export function count(text: string, option: string, min = 1): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isInteger(value) || value < min) {
    usageError(`${option}: expected a whole number ≥ ${min}, got "${text}"`);
  }
  return value;
}

/** Comma-separated whole numbers ≥ `min` (e.g. `--threads 1,2`); otherwise exits with status 2 as {@link count}. */
export function counts(text: string, option: string, min = 1): number[] {
  return text.split(",").map((part) => count(part.trim(), option, min));
}

/** `text` if it is one of `choices`; otherwise exits with status 2 as {@link count}. */
export function oneOf<T extends string>(text: string, option: string, choices: readonly T[]): T {
  return (choices as readonly string[]).includes(text)
    ? text as T
    : usageError(`${option}: expected one of ${choices.join(", ")}, got "${text}"`);
}

/**
 * Comma-separated choices (e.g. `--peer-isa native,avx2`), each one of `choices`, in the order given and without
 * repeats; otherwise exits with status 2 as {@link count}.
 */
export function someOf<T extends string>(text: string, option: string, choices: readonly T[]): T[] {
  return [...new Set(text.split(",").map((part) => oneOf(part.trim(), option, choices)))];
}

/** Prints `message` (what an option got wrong) and exits with status 2. */
export function usageError(message: string): never {
  console.error(message);
  Deno.exit(2);
}
