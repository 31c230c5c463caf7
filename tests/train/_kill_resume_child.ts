/**
 * Child process of kill_resume_test.ts: the tiny training run of `_tiny_run.ts`, checkpointing every 2 iterations
 * into the directory given as argument, resuming from it when present. Prints "step N" after each iteration, then
 * "resumed N" when it resumed at step N, and "hash H".
 */
import { directoryStore } from "../../src/train/directory_store.ts";
import { tinyRun } from "./_tiny_run.ts";

const [dir] = Deno.args;
const { resumedAt, weightHash } = await tinyRun(directoryStore(dir), {
  onStep: (step) => console.log(`step ${step}`),
  log: (line) => console.error(line),
});
if (resumedAt !== null) console.log(`resumed ${resumedAt}`);
console.log(`hash ${weightHash}`);
