/**
 * Writes a dataset in InsightFace's file formats with the project's writers: `DIR/train.rec` + `DIR/train.idx`
 * (the training split) and `DIR/<id>.bin` (the test pairs; `orl.bin` for ORL). Images are PNG (lossless), so the
 * importers read back the same pixels. ORL is aligned with MTCNN as the bench loads it and needs the shared data
 * (`FACEBENCH_SHARED_DATA`, default `../shared/data`).
 *
 * Usage: `deno run -A tools/export_dataset.ts --dataset synthface-ci --out DIR [--protocol 2|4]`.
 * Exit codes: 0 written, 2 bad input; other failures throw.
 * @module
 */
import { parseArgs } from "node:util";
import { loadBenchDataset } from "../src/bench/datasets.ts";
import { datasetIds } from "../src/data/datasets.ts";
import { exportDataset } from "../src/data/export/dataset_files.ts";

const USAGE = "usage: deno run -A tools/export_dataset.ts --dataset ID --out DIR [--protocol 2|4]";

/** Runs the command line; returns the exit code (0 written, 2 bad input). */
export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        dataset: { type: "string" },
        out: { type: "string" },
        protocol: { type: "string", default: "4" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : error}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(`${USAGE}\ndatasets: ${datasetIds().join(", ")}`);
    return 0;
  }
  const problem = !values.dataset || !values.out
    ? "--dataset and --out are required"
    : !datasetIds().includes(values.dataset)
    ? `unknown dataset "${values.dataset}"; known: ${datasetIds().join(", ")}`
    : values.protocol !== "2" && values.protocol !== "4"
    ? `--protocol must be 2 or 4, got "${values.protocol}"`
    : null;
  if (problem) {
    console.error(`${problem}\n${USAGE}`);
    return 2;
  }
  const started = performance.now();
  const dataset = await loadBenchDataset(values.dataset!, { log: console.log });
  const files = await exportDataset(dataset, values.out!, values.protocol === "2" ? 2 : 4);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `${dataset.id}: ${files.train.images} training images of ${files.train.identities} identities -> ${files.rec} ` +
      `(${files.train.recBytes} bytes), ${files.idx}; ${files.pairs} test pairs -> ${files.bin}; ${seconds} s`,
  );
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
