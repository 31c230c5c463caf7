/**
 * Renders the README pictures: `fixtures/samples/raw_vs_aligned.png` (raw synthetic faces with their detected
 * landmarks next to the aligned 112×112 crops the datasets store) with a few single sample PNGs, and
 * `fixtures/samples/orl_aligned.png` (ORL faces with their MTCNN box and landmarks next to the aligned crops) and
 * `fixtures/samples/synthface_v2_vs_orl.png` (synthface v2 raw and aligned faces, three images per identity, next to
 * aligned ORL faces of training identities s1–s20); the ORL pictures are skipped with a message when the shared data
 * is missing. Also prints ORL's alignment statistics (from the landmark cache,
 * or detecting all 400 images when it is empty).
 * Usage: `deno run --allow-all tools/data_samples.ts`.
 * @module
 */
import { loadBenchDataset } from "../src/bench/datasets.ts";
import { MtcnnLandmarkDetector } from "../src/bench/mtcnn_landmarks.ts";
import { alignFace } from "../src/data/align.ts";
import { exists, joinPath, readBytes } from "../src/data/files.ts";
import type { FaceSet } from "../src/data/dataset.ts";
import { createImage, type Image, toRgb } from "../src/data/image/image.ts";
import { writeImage } from "../src/data/image/io.ts";
import { decodePgm } from "../src/data/image/pgm.ts";
import { orlDir } from "../src/data/importers/orl.ts";
import { readManifest } from "../src/data/synth_cache.ts";
import { specOptions, SYNTH_DATASETS, synthOptionsOf } from "../src/data/synthface.ts";
import { planIdentities, synthesizeFace } from "../src/data/synth/generate.ts";

type Colour = [number, number, number];

const out = new URL("../fixtures/samples/", import.meta.url).pathname;
const gap = 4;
const colours: Colour[] = [[255, 0, 0], [0, 255, 0], [255, 255, 0], [0, 200, 255], [255, 0, 255]];

/** A white sheet for `rows` × `columns` cells of side `cell`. */
function sheet(columns: number, rows: number, cell: number): Image {
  const grid = createImage(columns * cell + (columns + 1) * gap, rows * cell + (rows + 1) * gap, 3);
  grid.data.fill(255);
  return grid;
}

/** Pastes an RGB image centred in cell (column, row). */
function paste(grid: Image, image: Image, column: number, row: number, cell: number): void {
  const x0 = gap + column * (cell + gap) + Math.floor((cell - image.width) / 2);
  const y0 = gap + row * (cell + gap) + Math.floor((cell - image.height) / 2);
  for (let y = 0; y < image.height; y++) {
    grid.data.set(
      image.data.subarray(y * image.width * 3, (y + 1) * image.width * 3),
      ((y0 + y) * grid.width + x0) * 3,
    );
  }
}

function plot(image: Image, x: number, y: number, colour: Colour): void {
  if (x >= 0 && y >= 0 && x < image.width && y < image.height) image.data.set(colour, (y * image.width + x) * 3);
}

/** A small cross at (x, y). */
function mark(image: Image, x: number, y: number, colour: Colour): void {
  for (let k = -3; k <= 3; k++) {
    plot(image, Math.round(x) + k, Math.round(y), colour);
    plot(image, Math.round(x), Math.round(y) + k, colour);
  }
}

/** A rectangle outline with inclusive corners. */
function outline(image: Image, x1: number, y1: number, x2: number, y2: number, colour: Colour): void {
  const [a, b, c, d] = [x1, y1, x2, y2].map(Math.round);
  for (let x = a; x <= c; x++) plot(image, x, b, colour), plot(image, x, d, colour);
  for (let y = b; y <= d; y++) plot(image, a, y, colour), plot(image, c, y, colour);
}

async function synthPicture(): Promise<void> {
  const options = synthOptionsOf(await readManifest("synthface-ci"));
  const identities = planIdentities(options, "train", 8);
  const rows = [0, 1, 2, 5, 7];
  const perRow = 4;
  const grid = sheet(perRow * 2, rows.length, options.rawSize);
  for (const [r, id] of rows.entries()) {
    for (let k = 0; k < perRow; k++) {
      const face = synthesizeFace(options, "train", identities[id], id, k);
      if (r === 0 && k < 2) {
        await writeImage(`${out}synthface_raw_${k}.png`, face.raw);
        await writeImage(`${out}synthface_aligned_${k}.png`, face.aligned);
      }
      const raw = { ...face.raw, data: face.raw.data.slice() };
      face.detected.forEach(([x, y], i) => mark(raw, x, y, colours[i]));
      paste(grid, raw, 2 * k, r, options.rawSize);
      paste(grid, face.aligned, 2 * k + 1, r, options.rawSize);
    }
  }
  await writeImage(`${out}raw_vs_aligned.png`, grid);
  console.log(`wrote ${out}raw_vs_aligned.png (${grid.width}x${grid.height}) and 4 single samples`);
}

/** ORL faces (two per identity shown) with MTCNN box and landmarks, next to their aligned crops. */
async function orlPicture(): Promise<void> {
  const names = ["s1/1", "s5/3", "s12/7", "s18/2", "s23/9", "s29/5", "s34/8", "s40/10"];
  const perRow = 4, cell = 112;
  const grid = sheet(perRow * 2, names.length / perRow, cell);
  const detector = new MtcnnLandmarkDetector();
  for (const [i, name] of names.entries()) {
    const path = joinPath(orlDir(), `${name}.pgm`);
    const grey = decodePgm(await readBytes(path), path);
    const face = (await detector.faces(grey))[0];
    const raw = toRgb(grey);
    if (face) {
      outline(raw, face.box.x1, face.box.y1, face.box.x2, face.box.y2, [255, 128, 0]);
      face.landmarks.forEach(([x, y], k) => mark(raw, x, y, colours[k]));
    }
    paste(grid, raw, 2 * (i % perRow), Math.floor(i / perRow), cell);
    if (face) paste(grid, toRgb(alignFace(grey, face.landmarks)), 2 * (i % perRow) + 1, Math.floor(i / perRow), cell);
  }
  await detector.close();
  await writeImage(`${out}orl_aligned.png`, grid);
  console.log(`wrote ${out}orl_aligned.png (${grid.width}x${grid.height})`);
}

/** Rows of synthface v2 (raw and aligned, three images of one identity) ending in two aligned ORL training faces. */
async function synthV2Picture(orl: FaceSet): Promise<void> {
  const options = specOptions(SYNTH_DATASETS["synthface-v2-ci"]);
  const rows = 6, perRow = 3, orlPerRow = 2, cell = options.rawSize;
  const identities = planIdentities(options, "train", rows);
  const grid = sheet(perRow * 2 + orlPerRow, rows, cell);
  const per = orl.height * orl.width * 3;
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < perRow; k++) {
      const face = synthesizeFace(options, "train", identities[r], r, k);
      paste(grid, face.raw, 2 * k, r, cell);
      paste(grid, face.aligned, 2 * k + 1, r, cell);
    }
    for (let k = 0; k < orlPerRow; k++) {
      // Identity 3r + k of the training split (s1-s20), its image 2r (ORL keeps 10 per identity, in order).
      const index = (3 * r + k) * 10 + ((2 * r + 3 * k) % 10);
      const image = createImage(orl.width, orl.height, 3);
      image.data.set(orl.images.subarray(index * per, (index + 1) * per));
      paste(grid, image, perRow * 2 + k, r, cell);
    }
  }
  await writeImage(`${out}synthface_v2_vs_orl.png`, grid);
  console.log(`wrote ${out}synthface_v2_vs_orl.png (${grid.width}x${grid.height})`);
}

await synthPicture();
if (await exists(joinPath(orlDir(), "s1"))) {
  await orlPicture();
  const orl = await loadBenchDataset("orl", { log: console.log });
  await synthV2Picture(orl.train);
} else {
  console.warn(`ORL data missing at ${orlDir()}: orl_aligned.png not redrawn`);
}
