/**
 * How synthetic and real aligned faces differ in simple statistics (issue 18, first step): synthface (the first
 * identities/images of a dataset's training split, rendered in-process, byte-identical to the dataset's images)
 * against ORL's **training** identities s1–s20 (MTCNN-aligned; the test identities s21–s40 are never read).
 * Compares grey levels, colour saturation, the radially averaged power spectrum of the face centre, gradient /
 * edge statistics, face vs background brightness, where the five landmarks land after alignment, and which simple
 * image features vary between identities more than within them. Prints Markdown tables; deterministic.
 *
 * Usage: `deno run -A tools/synth_vs_real.ts [--help] [--dataset synthface-v1] [--ids 100] [--images 10]`.
 * @module
 */
import { parseArgs } from "node:util";
import { loadBenchDataset } from "../src/bench/datasets.ts";
import { MtcnnLandmarkDetector } from "../src/bench/mtcnn_landmarks.ts";
import { alignmentTransform, applyAffine, type Landmarks, type Point, TEMPLATE_112 } from "../src/data/align.ts";
import { joinPath, readBytes } from "../src/data/files.ts";
import { decodePgm } from "../src/data/image/pgm.ts";
import { orlDir } from "../src/data/importers/orl.ts";
import { detectLandmarks, landmarkCachePath, type NamedImage } from "../src/data/landmarks.ts";
import { specOptions, SYNTH_DATASETS } from "../src/data/synthface.ts";
import { planIdentities, synthesizeFace } from "../src/data/synth/generate.ts";
import { markdownTable } from "../src/report/markdown.ts";
import { rawPixelEmbeddings } from "../src/bench/references.ts";
import { embeddingRows } from "../src/bench/evaluate_model.ts";
import { Rng } from "../src/core/rng.ts";
import { drawPairs } from "../src/data/pairs.ts";
import { evaluatePairs } from "../src/eval/evaluate.ts";
import { runTool, type ToolLog } from "./_tool_main.ts";
import { box, NAMED_REGIONS, occlude, type Region } from "./_face_regions.ts";

const HELP = `synth_vs_real: simple statistics of aligned 112x112 faces, synthface vs ORL training identities (s1-s20).

Usage: deno run -A tools/synth_vs_real.ts [options]

  --dataset ID   synthetic dataset whose generator settings and training split are sampled
                 (any id of src/data/synthface.ts, e.g. synthface-v1 or synthface-v2; default synthface-v1)
  --ids N        first N training identities of it (default 100)
  --images K     first K images of each (default 10)
  --help         this text

The synthetic crops are rendered in-process by the generator (identical bytes to the dataset's, so the dataset
need not be in the cache). ORL is loaded with the bench's MTCNN alignment (landmarks cached under .cache/); only
its training identities are used. Prints Markdown tables to stdout, timings to stderr.`;

/** Side of the aligned crops. */
const SIZE = 112;

/** One aligned face with the landmarks alignment saw, mapped into the crop, and its identity. */
export interface AlignedFace {
  /** 112×112 RGB bytes */
  rgb: Uint8Array;
  /** identity index within its set */
  identity: number;
  /** the landmarks the alignment was fitted to, in crop coordinates */
  landmarks: Landmarks;
  /** synthetic only: the true landmarks in crop coordinates */
  trueLandmarks?: Landmarks;
}

/** A set of aligned faces with its name. */
export interface FaceSample {
  /** column title */
  name: string;
  /** the faces */
  faces: AlignedFace[];
}

/** Maps landmarks through the transform alignment fitted to `fit`. */
function intoCrop(fit: Landmarks, points: Landmarks): Landmarks {
  const m = alignmentTransform(fit);
  return points.map((p) => applyAffine(m, p)) as unknown as Landmarks;
}

/** The first `ids × images` faces of a synthetic dataset's training split. */
export function synthSample(dataset: string, ids: number, images: number): FaceSample {
  const spec = SYNTH_DATASETS[dataset];
  const options = specOptions(spec);
  const plan = planIdentities(options, "train", ids);
  const faces: AlignedFace[] = [];
  for (let i = 0; i < ids; i++) {
    for (let k = 0; k < images; k++) {
      const f = synthesizeFace(options, "train", plan[i], i, k);
      faces.push({
        rgb: f.aligned.data,
        identity: i,
        landmarks: intoCrop(f.detected, f.detected),
        trueLandmarks: intoCrop(f.detected, f.landmarks),
      });
    }
  }
  return { name: `${dataset} (${ids} ids x ${images})`, faces };
}

/** ORL's training identities s1–s20 as the bench aligns them, with their MTCNN landmarks (from the cache). */
export async function orlTrainSample(log: (line: string) => void): Promise<FaceSample> {
  const orl = await loadBenchDataset("orl", { log });
  const named: NamedImage[] = [];
  for (let id = 1; id <= 20; id++) {
    for (let n = 1; n <= 10; n++) {
      const name = `s${id}/${n}.pgm`, path = joinPath(orlDir(), name);
      named.push({ name, image: decodePgm(await readBytes(path), path) });
    }
  }
  const detector = new MtcnnLandmarkDetector();
  let found;
  try {
    found = await detectLandmarks(named, detector, { cachePath: landmarkCachePath("orl", detector.id) });
  } finally {
    await detector.close();
  }
  const { train } = orl;
  const per = SIZE * SIZE * 3;
  if (train.count !== named.length) throw new Error(`ORL training split has ${train.count} images, expected 200`);
  const faces = named.map((_, i) => {
    const lm = found.landmarks[i];
    if (!lm) throw new Error(`ORL ${named[i].name}: no face found`);
    return {
      rgb: train.images.subarray(i * per, (i + 1) * per),
      identity: train.labels[i],
      landmarks: intoCrop(lm, lm),
    };
  });
  return { name: "ORL s1-s20 (20 ids x 10)", faces };
}

/** Grey level of pixel `p` (BT.601 luma). */
function grey(rgb: Uint8Array, p: number): number {
  return 0.299 * rgb[3 * p] + 0.587 * rgb[3 * p + 1] + 0.114 * rgb[3 * p + 2];
}

/** Whether pixel `p` is alignment border (pure black: outside the source image). */
function isBorder(rgb: Uint8Array, p: number): boolean {
  return rgb[3 * p] === 0 && rgb[3 * p + 1] === 0 && rgb[3 * p + 2] === 0;
}

/** Mean and (population) standard deviation. */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance) };
}

/** Value at quantile `q` of a 256-bin histogram. */
function histogramQuantile(hist: Float64Array, q: number): number {
  const total = hist.reduce((a, b) => a + b, 0);
  let acc = 0;
  for (let v = 0; v < hist.length; v++) {
    acc += hist[v];
    if (acc >= q * total) return v;
  }
  return hist.length - 1;
}

/** The face-centre window of the spectrum and gradient statistics: 64×64 from (24, 30) (brows to mouth). */
export const CENTRE = { x: 24, y: 30, size: 64 } as const;

/** Radially averaged power spectrum (radius 1..size/2, cycles per window) of the Hann-windowed grey face centre. */
export function radialSpectrum(rgb: Uint8Array): Float64Array {
  const n = CENTRE.size;
  const g = new Float64Array(n * n);
  let mean = 0;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) mean += g[y * n + x] = grey(rgb, (CENTRE.y + y) * SIZE + CENTRE.x + x);
  }
  mean /= n * n;
  const hann = (k: number) => 0.5 - 0.5 * Math.cos((2 * Math.PI * (k + 0.5)) / n);
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) g[y * n + x] = (g[y * n + x] - mean) * hann(x) * hann(y);
  const cos = Float64Array.from({ length: n }, (_, k) => Math.cos((2 * Math.PI * k) / n));
  const sin = Float64Array.from({ length: n }, (_, k) => Math.sin((2 * Math.PI * k) / n));
  // Separable DFT: rows, then columns.
  const re = new Float64Array(n * n), im = new Float64Array(n * n);
  for (let y = 0; y < n; y++) {
    for (let u = 0; u < n; u++) {
      let r = 0, i = 0;
      for (let x = 0; x < n; x++) {
        const k = (u * x) % n;
        r += g[y * n + x] * cos[k], i -= g[y * n + x] * sin[k];
      }
      re[y * n + u] = r, im[y * n + u] = i;
    }
  }
  const power = new Float64Array(n / 2 + 1), count = new Float64Array(n / 2 + 1);
  for (let u = 0; u < n; u++) {
    for (let v = 0; v < n; v++) {
      let r = 0, i = 0;
      for (let y = 0; y < n; y++) {
        const k = (v * y) % n;
        const a = re[y * n + u], b = im[y * n + u];
        r += a * cos[k] + b * sin[k], i += b * cos[k] - a * sin[k];
      }
      const fu = u <= n / 2 ? u : u - n, fv = v <= n / 2 ? v : v - n;
      const radius = Math.round(Math.hypot(fu, fv));
      if (radius >= 1 && radius <= n / 2) power[radius] += r * r + i * i, count[radius]++;
    }
  }
  return power.map((p, r) => (count[r] > 0 ? p / count[r] : 0));
}

/** Per-image features whose identity share the last table reports. */
export const FEATURES = [
  "face-centre grey (x 36-76, y 56-96)",
  "hair/top grey (x 28-84, y<24)",
  "background grey (x<10 or x>=102, y<56)",
  "face chroma r/(r+g+b) (face centre)",
  "face saturation (face centre)",
  "eye band minus face centre grey",
  "image grey std (contrast)",
] as const;

/** Mean of grey / saturation / red chromaticity over pixels of a box (border pixels skipped). */
function regionMean(rgb: Uint8Array, inside: (x: number, y: number) => boolean) {
  let sum = 0, sat = 0, chroma = 0, n = 0;
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const p = y * SIZE + x;
      if (!inside(x, y) || isBorder(rgb, p)) continue;
      const r = rgb[3 * p], gg = rgb[3 * p + 1], b = rgb[3 * p + 2];
      const max = Math.max(r, gg, b), min = Math.min(r, gg, b);
      sum += grey(rgb, p), sat += max > 0 ? (max - min) / max : 0, chroma += r / Math.max(1, r + gg + b), n++;
    }
  }
  return n === 0 ? { grey: NaN, sat: NaN, chroma: NaN, n } : { grey: sum / n, sat: sat / n, chroma: chroma / n, n };
}

const inBox = (x0: number, y0: number, x1: number, y1: number) => (x: number, y: number) =>
  x >= x0 && x < x1 && y >= y0 && y < y1;
const FACE_CENTRE = inBox(36, 56, 76, 96);
const HAIR_TOP = inBox(28, 0, 84, 24);
const BACKGROUND = (x: number, y: number) => (x < 10 || x >= 102) && y < 56;
const EYE_BAND = inBox(30, 44, 82, 60);

/** Everything the tables need about one sample. */
export interface SampleStats {
  /** pooled grey histogram (non-border pixels) */
  hist: Float64Array;
  /** statistic name → value */
  values: Map<string, number>;
  /** mean radial power per radius */
  spectrum: Float64Array;
  /** feature name → per-image values */
  features: Map<string, number[]>;
}

/** Computes the statistics of one sample. */
export function sampleStats(sample: FaceSample): SampleStats {
  const hist = new Float64Array(256);
  const spectrum = new Float64Array(CENTRE.size / 2 + 1);
  const features = new Map<string, number[]>(FEATURES.map((f) => [f, []]));
  const imageMeans: number[] = [], imageStds: number[] = [];
  let border = 0, sat = 0, satHigh = 0, chroma = 0, pixels = 0;
  let gradSum = 0, gradCount = 0, edge10 = 0, edge30 = 0;
  const gradHist = new Float64Array(256);
  let centreGrad = 0, centreCount = 0;
  const faceMinusBg: number[] = [], bgStd: number[] = [];
  for (const face of sample.faces) {
    const { rgb } = face;
    let s = 0, s2 = 0, n = 0;
    for (let p = 0; p < SIZE * SIZE; p++) {
      if (isBorder(rgb, p)) {
        border++;
        continue;
      }
      const v = grey(rgb, p);
      hist[Math.round(v)]++;
      s += v, s2 += v * v, n++;
      const r = rgb[3 * p], g = rgb[3 * p + 1], b = rgb[3 * p + 2];
      const max = Math.max(r, g, b), min = Math.min(r, g, b);
      const sv = max > 0 ? (max - min) / max : 0;
      sat += sv, satHigh += sv > 0.2 ? 1 : 0, chroma += max - min, pixels++;
    }
    const mean = s / n, std = Math.sqrt(Math.max(0, s2 / n - mean * mean));
    imageMeans.push(mean), imageStds.push(std);
    // Gradients (central differences) where all four neighbours are inside the source image.
    for (let y = 1; y < SIZE - 1; y++) {
      for (let x = 1; x < SIZE - 1; x++) {
        const p = y * SIZE + x;
        if ([p - 1, p + 1, p - SIZE, p + SIZE].some((q) => isBorder(rgb, q))) continue;
        const gx = (grey(rgb, p + 1) - grey(rgb, p - 1)) / 2, gy = (grey(rgb, p + SIZE) - grey(rgb, p - SIZE)) / 2;
        const m = Math.hypot(gx, gy);
        gradSum += m, gradCount++, gradHist[Math.min(255, Math.round(m))]++;
        edge10 += m > 10 ? 1 : 0, edge30 += m > 30 ? 1 : 0;
        if (x >= CENTRE.x && x < CENTRE.x + CENTRE.size && y >= CENTRE.y && y < CENTRE.y + CENTRE.size) {
          centreGrad += m, centreCount++;
        }
      }
    }
    const spec = radialSpectrum(rgb);
    for (let r = 0; r < spectrum.length; r++) spectrum[r] += spec[r] / sample.faces.length;
    const fc = regionMean(rgb, FACE_CENTRE), hair = regionMean(rgb, HAIR_TOP), bg = regionMean(rgb, BACKGROUND);
    const eyes = regionMean(rgb, EYE_BAND);
    if (bg.n > 0) {
      faceMinusBg.push(fc.grey - bg.grey);
      let v = 0, k = 0;
      for (let y = 0; y < 56; y++) {
        for (const x of [...Array(10).keys(), ...Array.from({ length: 10 }, (_, i) => 102 + i)]) {
          const p = y * SIZE + x;
          if (!isBorder(rgb, p)) v += (grey(rgb, p) - bg.grey) ** 2, k++;
        }
      }
      bgStd.push(Math.sqrt(v / k));
    }
    const values = [fc.grey, hair.grey, bg.grey, fc.chroma, fc.sat, eyes.grey - fc.grey, std];
    FEATURES.forEach((f, i) => features.get(f)!.push(values[i]));
  }
  const total = sample.faces.length * SIZE * SIZE;
  const m = meanStd(imageMeans), c = meanStd(imageStds), d = meanStd(faceMinusBg), bs = meanStd(bgStd);
  const values = new Map<string, number>([
    ["alignment border (black) share %", (100 * border) / total],
    ["grey mean", m.mean],
    ["grey std across image means", m.std],
    ["grey std within an image (mean)", c.mean],
    ...[1, 5, 25, 50, 75, 95, 99].map((q) => [`grey p${q}`, histogramQuantile(hist, q / 100)] as [string, number]),
    ["HSV saturation (mean)", sat / pixels],
    ["pixels with saturation > 0.2 %", (100 * satHigh) / pixels],
    ["chroma max-min (mean levels)", chroma / pixels],
    ["gradient magnitude mean (levels/px)", gradSum / gradCount],
    ["gradient magnitude p50", histogramQuantile(gradHist, 0.5)],
    ["gradient magnitude p90", histogramQuantile(gradHist, 0.9)],
    ["gradient magnitude p99", histogramQuantile(gradHist, 0.99)],
    ["edge density: share > 10 levels/px %", (100 * edge10) / gradCount],
    ["strong edges: share > 30 levels/px %", (100 * edge30) / gradCount],
    ["gradient mean in face centre", centreGrad / centreCount],
    ["face centre minus background grey (mean)", d.mean],
    ["face centre minus background grey (std)", d.std],
    ["|face centre - background| (mean)", meanStd(faceMinusBg.map(Math.abs)).mean],
    ["background std within image (clutter)", bs.mean],
    ["images with background pixels", faceMinusBg.length],
  ]);
  return { hist, values, spectrum, features };
}

/** Share of spectral power in radius bands [lo, hi) of the window (cycles per 64 px). */
export function bandShare(spectrum: Float64Array, lo: number, hi: number): number {
  // Weight each radius by its ring size (2πr) so shares are of total energy, not of the radial average.
  let part = 0, all = 0;
  for (let r = 1; r < spectrum.length; r++) {
    const e = spectrum[r] * r;
    all += e;
    if (r >= lo && r < hi) part += e;
  }
  return part / all;
}

/** Least-squares slope of log power against log radius over radii [lo, hi]. */
export function spectralSlope(spectrum: Float64Array, lo: number, hi: number): number {
  const xs: number[] = [], ys: number[] = [];
  for (let r = lo; r <= hi; r++) xs.push(Math.log(r)), ys.push(Math.log(spectrum[r]));
  const mx = meanStd(xs).mean, my = meanStd(ys).mean;
  let num = 0, den = 0;
  xs.forEach((x, i) => (num += (x - mx) * (ys[i] - my), den += (x - mx) ** 2));
  return num / den;
}

/**
 * ICC(1) of a per-image feature: the share of its variance that lies between identities (one-way ANOVA,
 * (MSB − MSW) / (MSB + (k − 1)·MSW), k = images per identity); near 0: the feature does not tell identities apart.
 * NaN when the feature is constant (e.g. chroma of grey images).
 */
export function identityShare(values: readonly number[], identity: readonly number[]): number {
  const groups = new Map<number, number[]>();
  values.forEach((v, i) => groups.set(identity[i], [...(groups.get(identity[i]) ?? []), v]));
  const all = meanStd(values).mean, g = groups.size, n = values.length, k = n / g;
  let ssb = 0, ssw = 0;
  for (const vs of groups.values()) {
    const m = meanStd(vs).mean;
    ssb += vs.length * (m - all) ** 2;
    ssw += vs.reduce((s, v) => s + (v - m) ** 2, 0);
  }
  if (!(ssb + ssw > 1e-9 * n)) return NaN;
  const msb = ssb / (g - 1), msw = ssw / (n - g);
  return (msb - msw) / (msb + (k - 1) * msw);
}

/** Landmark rows: mean offset from the template (dx, dy) ± spread (std), in crop pixels. */
function landmarkRows(samples: { name: string; points: Landmarks[] }[]): string[][] {
  const names = ["eye (image-left)", "eye (image-right)", "nose tip", "mouth (image-left)", "mouth (image-right)"];
  return names.map((name, j) => [
    `${name} (${TEMPLATE_112[j].map((v) => v.toFixed(1)).join(", ")})`,
    ...samples.map(({ points }) => {
      const dx = meanStd(points.map((l) => l[j][0] - TEMPLATE_112[j][0]));
      const dy = meanStd(points.map((l) => l[j][1] - TEMPLATE_112[j][1]));
      return `${dx.mean.toFixed(2)} ± ${dx.std.toFixed(2)}, ${dy.mean.toFixed(2)} ± ${dy.std.toFixed(2)}`;
    }),
  ]);
}

/** Face proportions in the crop: eye distance, eye-to-mouth distance, their ratio, nose offset from the eye midline. */
function proportions(points: Landmarks[]): Map<string, { mean: number; std: number }> {
  const mid = (a: Point, b: Point): Point => [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  const eyeDist = points.map((l) => Math.hypot(l[1][0] - l[0][0], l[1][1] - l[0][1]));
  const eyeMouth = points.map((l) => {
    const e = mid(l[0], l[1]), m = mid(l[3], l[4]);
    return Math.hypot(m[0] - e[0], m[1] - e[1]);
  });
  return new Map([
    ["eye distance (px)", meanStd(eyeDist)],
    ["eye-mid to mouth-mid (px)", meanStd(eyeMouth)],
    ["ratio eye-mouth / eye distance", meanStd(eyeMouth.map((v, i) => v / eyeDist[i]))],
    [
      "mouth width / eye distance",
      meanStd(points.map((l, i) => Math.hypot(l[4][0] - l[3][0], l[4][1] - l[3][1]) / eyeDist[i])),
    ],
    ["nose x minus eye-mid x (px; yaw proxy)", meanStd(points.map((l) => l[2][0] - mid(l[0], l[1])[0]))],
    [
      "residual of the 5-point fit (RMS px)",
      meanStd(points.map((l) =>
        Math.sqrt(
          l.reduce((s, p, j) => s + (p[0] - TEMPLATE_112[j][0]) ** 2 + (p[1] - TEMPLATE_112[j][1]) ** 2, 0) / 5,
        )
      )),
    ],
  ]);
}

/** The options of the comparison. */
interface Options {
  dataset: string;
  ids: number;
  images: number;
}

/** What the raw-pixel table greys out, row by row (fixed before any result was seen). */
export const RAW_PIXEL_MASKS: readonly [string, Region | null][] = [
  ["nothing (the bench's raw-pixel row)", null],
  ["border", NAMED_REGIONS["border (x<14, x>=98 or y<14)"]],
  ["hair / forehead (y<36)", NAMED_REGIONS["hair / forehead (y<36)"]],
  ["everything outside x 22-90, y 36-104 (face interior only)", (x, y) => !box(22, 36, 90, 104)(x, y)],
];

/**
 * Verification accuracy (mean ± fold std, %) and AUC of 28×28 grey raw pixels on one sample with `mask` greyed out:
 * 10 identity-disjoint folds × 60 pairs drawn from `rng`, flip-fused, as the bench's raw-pixel reference row.
 */
export function rawPixelVerification(
  sample: FaceSample,
  mask: Region | null,
  rng: Rng,
): { accuracy: string; auc: number } {
  const crops = sample.faces.map((f) => f.rgb);
  const kept = mask ? occlude(crops, mask) : crops;
  const per = SIZE * SIZE * 3;
  const images = new Uint8Array(kept.length * per);
  kept.forEach((c, i) => images.set(c, i * per));
  const labels = Int32Array.from(sample.faces, (f) => f.identity);
  const numClasses = Math.max(...labels) + 1;
  const e = rawPixelEmbeddings(
    { test: { images, labels, count: kept.length, height: SIZE, width: SIZE, numClasses } },
    true,
  );
  const pairs = drawPairs(labels, numClasses, 10, 60, rng);
  const same = Array.from(pairs.same, (v) => v === 1);
  const m = evaluatePairs(embeddingRows(e, pairs.left), embeddingRows(e, pairs.right), e.dim, same);
  return { accuracy: `${(100 * m.accuracyMean).toFixed(1)} ± ${(100 * m.accuracyStd).toFixed(1)}`, auc: m.auc };
}

/** Parses the command line (null: print the help). */
export function parseOptions(args: string[]): Options | null {
  const { values } = parseArgs({
    args,
    options: {
      dataset: { type: "string", default: "synthface-v1" },
      ids: { type: "string", default: "100" },
      images: { type: "string", default: "10" },
      help: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return null;
  const spec = SYNTH_DATASETS[values.dataset];
  if (!spec) throw new Error(`--dataset: expected one of ${Object.keys(SYNTH_DATASETS).join(", ")}`);
  const int = (name: string, text: string, max: number) => {
    const v = Number(text);
    if (!Number.isInteger(v) || v < 2 || v > max) throw new Error(`--${name}: expected an integer in [2, ${max}]`);
    return v;
  };
  return {
    dataset: values.dataset,
    ids: int("ids", values.ids, spec.train.identities),
    images: int("images", values.images, spec.train.imagesPerIdentity),
  };
}

/** Renders the synthetic sample, aligns ORL's, and prints the comparison tables. */
async function compare(options: Options, log: ToolLog): Promise<void> {
  const synth = synthSample(options.dataset, options.ids, options.images);
  log(`rendered ${synth.faces.length} synthetic faces`);
  const orl = await orlTrainSample(log);
  const samples = [synth, orl];
  const stats = samples.map(sampleStats);
  log("statistics done");
  const header = ["statistic", ...samples.map((s) => s.name)];
  const fmt = (v: number) =>
    Number.isNaN(v)
      ? "n/a (constant)"
      : (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(3));
  const out: string[] = [];
  const section = (title: string, head: string[], rows: string[][], note = "") =>
    out.push(`### ${title}\n\n${note ? note + "\n\n" : ""}${markdownTable({ header: head, rows })}\n`);

  section(
    "Grey levels, colour, gradients, regions",
    header,
    [...stats[0].values.keys()].map((k) => [k, ...stats.map((s) => fmt(s.values.get(k)!))]),
    "Grey = 0.299 R + 0.587 G + 0.114 B over non-border pixels (border: pure black outside the source image). " +
      "Gradients: central differences. Face centre x 36-76, y 56-96; background x<10 or x>=102, y<56.",
  );
  const bands: [string, number, number][] = [["low (1-3 c/w)", 1, 4], ["mid (4-11 c/w)", 4, 12], [
    "high (12-32 c/w)",
    12,
    33,
  ]];
  const radii = [1, 2, 4, 8, 12, 16, 24, 32];
  section(
    "Frequency content of the face centre (64x64 from (24, 30), Hann window, radially averaged power)",
    header,
    [
      ...bands.map((
        [name, lo, hi],
      ) => [`energy share ${name} %`, ...stats.map((s) => fmt(100 * bandShare(s.spectrum, lo, hi)))]),
      ["spectral slope log P vs log r (r 2-24)", ...stats.map((s) => fmt(spectralSlope(s.spectrum, 2, 24)))],
      ...radii.map((r) => [
        `power at r=${r} relative to ORL`,
        ...stats.map((s) => fmt(s.spectrum[r] / stats[1].spectrum[r])),
      ]),
    ],
    "c/w = cycles per 64-px window; the high band is 0.19-0.5 cycles/px. Natural images fall off with slope about -2.",
  );
  const lm = [
    { name: `${synth.name}: detected (alignment input)`, points: synth.faces.map((f) => f.landmarks) },
    { name: `${synth.name}: true`, points: synth.faces.map((f) => f.trueLandmarks!) },
    { name: `${orl.name}: MTCNN`, points: orl.faces.map((f) => f.landmarks) },
  ];
  section(
    "Landmarks after alignment: offset from the template, mean ± std (dx, dy) in crop pixels",
    ["landmark (template x, y)", ...lm.map((l) => l.name)],
    landmarkRows(lm),
  );
  const props = lm.map((l) => proportions(l.points));
  section(
    "Face proportions in the aligned crop (mean ± std over images)",
    ["measure", ...lm.map((l) => l.name)],
    [...props[0].keys()].map((k) => [k, ...props.map((p) => `${fmt(p.get(k)!.mean)} ± ${fmt(p.get(k)!.std)}`)]),
    `Template: eye distance ${(TEMPLATE_112[1][0] - TEMPLATE_112[0][0]).toFixed(1)} px, eye-mid to mouth-mid ` +
      `${(((TEMPLATE_112[3][1] + TEMPLATE_112[4][1]) - (TEMPLATE_112[0][1] + TEMPLATE_112[1][1])) / 2).toFixed(1)} px.`,
  );
  const identityOf = samples.map((s) => s.faces.map((f) => f.identity));
  section(
    "Identity share of simple per-image features: ICC(1) = share of variance between identities",
    ["feature", ...samples.map((s) => s.name)],
    FEATURES.map((f) => [f, ...stats.map((s, i) => fmt(identityShare(s.features.get(f)!, identityOf[i])))]),
    "1 = the feature alone identifies the person (constant within an identity), 0 = it varies only within identities. " +
      "A cue with a high synthetic share and a low ORL share is one synthetic identities live in and real faces do not.",
  );
  // The ORL pairs are synth_reliance's dev pairs (same seed and stream), so the rows compare with its tables.
  const pairStreams = ["synth_vs_real/synthetic-pairs", "reliance/orl-dev-pairs"];
  section(
    "Raw pixels (28x28 grey, mean-removed, L2-normalised, flip-fused) with a region greyed out",
    ["greyed out", ...samples.map((s) => `${s.name}: accuracy %, AUC`)],
    RAW_PIXEL_MASKS.map(([name, mask]) => [
      name,
      ...samples.map((s, i) => {
        const r = rawPixelVerification(s, mask, new Rng(1337, pairStreams[i]));
        return `${r.accuracy}, ${r.auc.toFixed(3)}`;
      }),
    ]),
    "10 identity-disjoint folds x 60 pairs (seed 1337; ORL: the dev pairs of synth_reliance.ts). Greyed pixels are set " +
      "to 128, so they are equal in every image and carry no identity.",
  );
  console.log(`## synth_vs_real: ${synth.name} vs ${orl.name}\n`);
  console.log(out.join("\n"));
  log("done");
}

/** Runs the comparison and prints the tables; returns the exit code (2 bad options, 1 failure). */
export function main(args: string[]): Promise<number> {
  return runTool("synth_vs_real", args, HELP, parseOptions, compare);
}

if (import.meta.main) Deno.exit(await main(Deno.args));
