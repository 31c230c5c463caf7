/**
 * Memory of training from one's own data (issue 12), measured: writes a synthetic InsightFace `train.rec` +
 * `train.idx` of `--images` procedural images (a few distinct PNGs repeated: content does not matter for memory),
 * then, each in a fresh process so that no phase inherits another's heap, opens it with `openTrainingSet` (decoded
 * record by record into the raw cache), pulls `--batches` batches of `--batch` images through a `Loader` streaming
 * from the raw file (face.evoLVe augmentation) with worker prefetch and inline, and opens it again from the cache.
 * Peak RSS (the prefetch worker included) is sampled every 20 ms and after every image or batch.
 *
 * ```sh
 * deno run -A benchmarks/stream_memory.ts --images 100000 [--size 112] [--identities N] [--batches 500] [--batch 64]
 * ```
 *
 * The bound: nothing holds the decoded set. What grows with the number of images N is, while caching, the parsed
 * `.idx` (its text and two maps of key → offset, on the order of 100 bytes per image) and the raw cache's per-image
 * arrays (class keys, labels, kept indices: about 20 bytes per image); while loading, the labels (4 bytes per image)
 * and the sampler's epoch order (4 bytes per image). Everything else is per image or per batch: one record, one
 * decoded image, one batch of float32 pixels (`batch × size² × 3 × 4` bytes). With worker prefetch, RSS also holds
 * transferred batch buffers the garbage collector has not freed yet (hundreds of MB whatever the data's size).
 * Measured on the 2-core VM (nice 19): decoding into the cache peaked at 150 MiB RSS for 2,000 images and 191 MiB
 * for 100,000 (3,589 MiB of pixels), ≈ 0.4 KB per image (the parsed index, its transient strings and garbage not
 * yet collected); 500 batches of 64 peaked at 164 MiB inline and 912 MiB with worker prefetch.
 * Files go to a temporary directory (or `--dir`), removed at the end unless `--keep`.
 */
import { EVO_AUGMENT } from "../src/data/augment.ts";
import { encodeRecordIo, packRecord } from "../src/data/export/recordio_writer.ts";
import { createImage } from "../src/data/image/image.ts";
import { encodePng } from "../src/data/image/png.ts";
import { Loader } from "../src/data/loader.ts";
import { openTrainingSet } from "../src/data/sources.ts";
import { writeStreamAtomic } from "../src/io/atomic_write.ts";
import { benchArgs, count, oneOf } from "./_args.ts";

const values = benchArgs(
  {
    images: { type: "string", default: "100000" },
    size: { type: "string", default: "112" },
    identities: { type: "string" },
    batches: { type: "string", default: "500" },
    batch: { type: "string", default: "64" },
    dir: { type: "string" },
    keep: { type: "boolean", default: false },
    phase: { type: "string" },
  },
  "Usage: deno run -A benchmarks/stream_memory.ts [--images 100000] [--size 112] [--identities N] [--batches 500]\n" +
    "         [--batch 64] [--dir DIR] [--keep]   (--phase is set by the script for its child processes)",
);
const images = count(values.images, "--images"), size = count(values.size, "--size");
const batches = count(values.batches, "--batches"), batchSize = count(values.batch, "--batch");
const identities = values.identities === undefined
  ? Math.max(2, Math.floor(images / 20))
  : count(values.identities, "--identities", 2);
const dir = values.dir ?? await Deno.makeTempDir({ prefix: "facebench-stream-memory-" });
const MB = 2 ** 20;

/** Peak RSS of the process while `run` runs, sampled every 20 ms and whenever `run` calls `sample`. */
async function measure<T>(run: (sample: () => void) => Promise<T>): Promise<{ result: T; peak: number; s: number }> {
  let peak = Deno.memoryUsage().rss;
  const sample = () => void (peak = Math.max(peak, Deno.memoryUsage().rss));
  const timer = setInterval(sample, 20);
  const start = performance.now();
  try {
    const result = await run(sample);
    sample();
    return { result, peak, s: (performance.now() - start) / 1000 };
  } finally {
    clearInterval(timer);
  }
}

/** Writes the `.rec` and `.idx`: header record 0, then image i of class ⌊i · identities / images⌋ at key i + 1. */
async function writeSyntheticRec(rec: string, idx: string): Promise<void> {
  const pool = await Promise.all(Array.from({ length: 16 }, (_, seed) => {
    const image = createImage(size, size, 3);
    image.data.forEach((_, i) => image.data[i] = (seed * 29 + (i % (size * 3)) + Math.floor(i / (size * 3))) & 255);
    return encodePng(image);
  }));
  const encoder = new TextEncoder();
  await writeStreamAtomic(idx, (writeIdx) =>
    writeStreamAtomic(rec, async (writeRec) => {
      let offset = 0;
      const put = async (key: number, record: Uint8Array) => {
        const framed = encodeRecordIo([[key, record]]).rec;
        await writeIdx(encoder.encode(`${key}\t${offset}\n`));
        await writeRec(framed);
        offset += framed.length;
      };
      await put(0, packRecord([images + 1, images + 1], 0, new Uint8Array(0)));
      for (let i = 0; i < images; i++) {
        await put(i + 1, packRecord(Math.floor((i * identities) / images), i + 1, pool[i % pool.length]));
      }
    }));
}

const rec = `${dir}/train.rec`, idx = `${dir}/train.idx`, cacheDir = `${dir}/cache`;

/** Runs one phase in this process and prints its measurement as JSON. */
async function runPhase(phase: string): Promise<void> {
  const start = Deno.memoryUsage().rss;
  const opened = await measure((sample) => openTrainingSet(rec, { numMin: 0, cacheDir, onProgress: sample }));
  const { set } = opened.result;
  if (set.source.kind !== "file") throw new Error("expected a file-backed set");
  const m = phase === "cache" ? opened : await measure(async (sample) => {
    using loader = new Loader({
      source: set.source,
      labels: set.labels,
      batchSize,
      sampler: "shuffle",
      seed: 1,
      augment: EVO_AUGMENT,
    }, { prefetch: phase === "load-worker" ? "worker" : "none" });
    for (let b = 0; b < batches; b++) await loader.next(), sample();
  });
  const rawBytes = (await Deno.stat(set.source.path)).size;
  console.log(JSON.stringify({ start, peak: m.peak, s: m.s, rawBytes, numClasses: set.numClasses }));
}

/** Runs `phase` in a fresh process (same arguments), so that its peak RSS owes nothing to the phases before it. */
async function freshProcess(
  phase: string,
): Promise<{ start: number; peak: number; s: number; rawBytes: number; numClasses: number }> {
  const args = ["run", "-A", new URL(import.meta.url).pathname, ...Deno.args, "--dir", dir, "--phase", phase];
  const { code, stdout } = await new Deno.Command(Deno.execPath(), { args, stderr: "inherit" }).output();
  if (code !== 0) throw new Error(`phase ${phase} failed (exit ${code})`);
  return JSON.parse(new TextDecoder().decode(stdout).trim().split("\n").at(-1)!);
}

if (values.phase) await runPhase(oneOf(values.phase, "--phase", ["cache", "load-worker", "load-none"]));
else {
  try {
    const written = await measure(() => writeSyntheticRec(rec, idx));
    const caching = await freshProcess("cache");
    const loading = await freshProcess("load-worker");
    const inline = await freshProcess("load-none");
    const cached = await freshProcess("cache");
    const row = (phase: string, m: { start?: number; peak: number; s: number }) =>
      `| ${phase.padEnd(34)} | ${(m.start === undefined ? "–" : (m.start / MB).toFixed(0)).padStart(12)} | ${
        (m.peak / MB).toFixed(0).padStart(8)
      } | ${m.s.toFixed(1).padStart(7)} |`;
    const recBytes = (await Deno.stat(rec)).size;
    console.log(
      `\n${images} images of ${size}×${size}, ${caching.numClasses} identities; .rec ${recBytes} bytes ` +
        `(${(recBytes / MB).toFixed(0)} MiB), raw file ${caching.rawBytes} bytes (${
          (caching.rawBytes / MB).toFixed(0)
        } MiB)\n`,
    );
    console.log(`| phase (RSS in MiB)                 | RSS at start | peak RSS | seconds |`);
    console.log(`| ---------------------------------- | -----------: | -------: | ------: |`);
    console.log(row("writing the .rec/.idx", written));
    console.log(row("openTrainingSet, decoding (fresh)", caching));
    console.log(row(`${batches} batches of ${batchSize}, worker (fresh)`, loading));
    console.log(row(`${batches} batches of ${batchSize}, inline (fresh)`, inline));
    console.log(row("openTrainingSet, from the cache", cached));
  } finally {
    if (!values.keep) await Deno.remove(dir, { recursive: true });
  }
}
