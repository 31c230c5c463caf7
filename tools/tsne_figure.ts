/**
 * The t-SNE figure of face.evoLVe's README for facebench (issue 12): embeds the test images of the first N test
 * identities of a dataset with a backbone (untrained, built with the init stream of the seed as the report's
 * untrained reference row is, or restored from a trainer's checkpoint directory), maps the embeddings (flip-fused
 * when the preset says so) to 2-D with exact t-SNE (`src/eval/tsne.ts`) and writes the scatter plot, coloured by
 * identity, as SVG.
 *
 * Usage: `deno run -A tools/tsne_figure.ts --out FILE.svg [options]` (`--help` lists them).
 * @module
 */
import { parseArgs } from "node:util";
import type { Backend } from "../src/core/backend.ts";
import { createBackend } from "../src/backends/registry.ts";
import { loadBenchDataset } from "../src/bench/datasets.ts";
import { embedTestSet, normalizedTestImages } from "../src/bench/evaluate_model.ts";
import { seededBackbone } from "../src/bench/model_options.ts";
import { firstIdentityImages } from "../src/bench/tsne_map.ts";
import { loadPreset, type Preset } from "../src/bench/presets.ts";
import { directoryStore } from "../src/train/directory_store.ts";
import type { FaceDataset } from "../src/data/dataset.ts";
import { tsne } from "../src/eval/tsne.ts";
import { writeFileAtomic } from "../src/io/atomic_write.ts";
import { renderSvg } from "../src/report/charts.ts";
import { embeddingChartSpec, MAX_CHART_IDENTITIES } from "../src/report/embedding_chart.ts";
import { restoreTensors } from "../src/train/checkpoint.ts";
import { loadNewestCheckpoint } from "../src/train/latest.ts";
import { runTool } from "./_tool_main.ts";

const HELP = `tsne_figure: t-SNE map of a backbone's test-set embeddings, coloured by identity, as SVG.

Usage: deno run -A tools/tsne_figure.ts --out FILE.svg [options]

  --out FILE          SVG to write (required)
  --dataset ID        dataset whose test split is embedded (default synthface-ci)
  --backbone NAME     backbone registry name (default mobilefacenet_tiny)
  --identities N      the first N test identities, all their images (default 20, at most ${MAX_CHART_IDENTITIES})
  --preset NAME       bench preset giving the backbone options, batch size and flip fusion (default quick)
  --seed S            init seed of the untrained backbone (default 1337)
  --checkpoint DIR    restore the backbone from the newest checkpoint of a trainer's checkpoint directory
                      ("backbone." tensors; the backbone and preset must match the trained model)
  --perplexity P      t-SNE perplexity (default 30)
  --iterations K      t-SNE iterations (default 1000)
  --backend NAME      backend that embeds (default wasm)
  --threads T         CPU threads of the backend (default: all cores)
  --help              this text`;

/** Command-line settings of one run. */
export interface FigureOptions {
  /** SVG path */
  out: string;
  /** dataset id */
  dataset: string;
  /** backbone registry name */
  backbone: string;
  /** first N test identities */
  identities: number;
  /** bench preset name or path */
  preset: string;
  /** init seed (also the t-SNE seed) */
  seed: number;
  /** trainer checkpoint directory (null: untrained) */
  checkpoint: string | null;
  /** t-SNE perplexity */
  perplexity: number;
  /** t-SNE iterations */
  iterations: number;
  /** backend name */
  backend: string;
  /** CPU threads (undefined: all cores) */
  threads: number | undefined;
}

/** Parses the command line; null for `--help`; throws with a message naming the option on bad input. */
export function parseOptions(args: string[]): FigureOptions | null {
  const { values } = parseArgs({
    args,
    options: {
      out: { type: "string" },
      dataset: { type: "string", default: "synthface-ci" },
      backbone: { type: "string", default: "mobilefacenet_tiny" },
      identities: { type: "string", default: "20" },
      preset: { type: "string", default: "quick" },
      seed: { type: "string", default: "1337" },
      checkpoint: { type: "string" },
      perplexity: { type: "string", default: "30" },
      iterations: { type: "string", default: "1000" },
      backend: { type: "string", default: "wasm" },
      threads: { type: "string" },
      help: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return null;
  if (!values.out) throw new Error("--out: the SVG path is required");
  const number = (name: string, text: string, integer: boolean, min: number, max = Infinity) => {
    const v = Number(text);
    if (!Number.isFinite(v) || (integer && !Number.isInteger(v)) || v < min || v > max) {
      throw new Error(`--${name}: expected ${integer ? "an integer" : "a number"} in [${min}, ${max}], got "${text}"`);
    }
    return v;
  };
  return {
    out: values.out,
    dataset: values.dataset,
    backbone: values.backbone,
    identities: number("identities", values.identities, true, 2, MAX_CHART_IDENTITIES),
    preset: values.preset,
    seed: number("seed", values.seed, true, 0, 0xffffffff),
    checkpoint: values.checkpoint ?? null,
    perplexity: number("perplexity", values.perplexity, false, Number.MIN_VALUE),
    iterations: number("iterations", values.iterations, true, 1),
    backend: values.backend,
    threads: values.threads === undefined ? undefined : number("threads", values.threads, true, 1),
  };
}

/** The normalised test images of identities 0 … `identities` − 1, in test-split order, and their labels. */
export function firstIdentities(dataset: FaceDataset, identities: number) {
  const all = normalizedTestImages(dataset);
  const { labels, numClasses, height, width } = dataset.test;
  if (identities > numClasses) throw new Error(`--identities: ${dataset.id} has ${numClasses} test identities`);
  const picked = firstIdentityImages(labels, identities);
  const per = height * width * 3;
  const images = new Float32Array(picked.length * per);
  picked.forEach((k, i) => images.set(all.images.subarray(k * per, (k + 1) * per), i * per));
  return {
    images,
    shape: [picked.length, height, width, 3] as [number, number, number, 3],
    labels: picked.map((k) => labels[k]),
  };
}

/** The backbone to embed with: untrained (init stream of `o.seed`) or restored from `o.checkpoint`; and its name. */
async function buildBackbone(backend: Backend, preset: Preset, o: FigureOptions, log: (line: string) => void) {
  const backbone = seededBackbone(backend, preset, o.backbone, o.seed);
  if (o.checkpoint === null) return { backbone, model: `untrained ${o.backbone} (init seed ${o.seed})` };
  const resolved = await loadNewestCheckpoint(directoryStore(o.checkpoint), log);
  if (!resolved) throw new Error(`--checkpoint: ${o.checkpoint} has no "latest" checkpoint pointer`);
  const entries = [...backbone.state()].map(([path, tensor]) => ({ path: `backbone.${path}`, tensor }));
  restoreTensors(entries, resolved.checkpoint.tensors, `${o.checkpoint}/${resolved.name}`);
  return { backbone, model: `${o.backbone} from ${resolved.name} (step ${resolved.checkpoint.state.step})` };
}

/** Embeds, maps and writes the figure. */
async function writeFigure(o: FigureOptions, log: (line: string) => void): Promise<void> {
  const preset = await loadPreset(o.preset);
  const dataset = await loadBenchDataset(o.dataset, { log });
  const test = firstIdentities(dataset, o.identities);
  await using backend = await createBackend(o.backend, { threads: o.threads });
  const { backbone, model } = await buildBackbone(backend, preset, o, log);
  const embeddings = await embedTestSet(backend, backbone, test, preset);
  log(`${model}: ${test.labels.length} test images of ${o.identities} identities embedded (${embeddings.dim}-D)`);
  const map = tsne(embeddings.data, test.labels.length, embeddings.dim, {
    perplexity: o.perplexity,
    iterations: o.iterations,
    seed: o.seed,
  });
  const method = [
    `exact t-SNE of ${embeddings.dim}-D ${preset.eval.flip ? "flip-fused " : ""}embeddings: ` +
    `perplexity ${+map.perplexity.toFixed(2)}, ${o.iterations} iterations, KL ${map.kl.toFixed(3)}`,
    model,
  ];
  log(method.join("; "));
  const svg = await renderSvg(embeddingChartSpec({
    points: map.embedding,
    labels: test.labels.map((label) => `id ${label}`),
    title: `${dataset.id} test set: ${test.labels.length} images of ${o.identities} identities`,
    method,
  }));
  await writeFileAtomic(o.out, svg);
  log(`wrote ${o.out}`);
}

/** Runs the tool; returns the exit code (2 bad options, 1 failure). */
function main(args: string[]): Promise<number> {
  return runTool("tsne_figure", args, HELP, parseOptions, writeFigure);
}

if (import.meta.main) Deno.exit(await main(Deno.args));
