/**
 * Renders the README picture `fixtures/samples/raw_vs_aligned.png` (raw synthetic faces with their detected
 * landmarks next to the aligned 112×112 crops the datasets store) and a few single sample PNGs.
 * Usage: `deno run --allow-all tools/data_samples.ts`.
 * @module
 */
import { createImage, type Image } from "../src/data/image/image.ts";
import { writeImage } from "../src/data/image/io.ts";
import { readManifest } from "../src/data/synth_cache.ts";
import { synthOptionsOf } from "../src/data/synthface.ts";
import { planIdentities, synthesizeFace } from "../src/data/synth/generate.ts";

const out = new URL("../fixtures/samples/", import.meta.url).pathname;
const options = synthOptionsOf(await readManifest("synthface-ci"));
const identities = planIdentities(options, "train", 8);
const rows = [0, 1, 2, 5, 7];
const perRow = 4;
const cell = options.rawSize, gap = 4;
const grid = createImage(perRow * 2 * cell + (perRow * 2 + 1) * gap, rows.length * cell + (rows.length + 1) * gap, 3);
grid.data.fill(255);

function paste(image: Image, x0: number, y0: number): void {
  const dx = Math.floor((cell - image.width) / 2), dy = Math.floor((cell - image.height) / 2);
  for (let y = 0; y < image.height; y++) {
    const row = ((y0 + dy + y) * grid.width + x0 + dx) * 3;
    grid.data.set(image.data.subarray(y * image.width * 3, (y + 1) * image.width * 3), row);
  }
}

function mark(image: Image, x: number, y: number, colour: [number, number, number]): void {
  for (let k = -3; k <= 3; k++) {
    for (const [px, py] of [[Math.round(x) + k, Math.round(y)], [Math.round(x), Math.round(y) + k]]) {
      if (px >= 0 && py >= 0 && px < image.width && py < image.height) {
        image.data.set(colour, (py * image.width + px) * 3);
      }
    }
  }
}

const colours: [number, number, number][] = [[255, 0, 0], [0, 255, 0], [255, 255, 0], [0, 200, 255], [255, 0, 255]];
for (const [r, id] of rows.entries()) {
  for (let k = 0; k < perRow; k++) {
    const face = synthesizeFace(options, "train", identities[id], id, k);
    if (r === 0 && k < 2) {
      await writeImage(`${out}synthface_raw_${k}.png`, face.raw);
      await writeImage(`${out}synthface_aligned_${k}.png`, face.aligned);
    }
    const raw = { ...face.raw, data: face.raw.data.slice() };
    face.detected.forEach(([x, y], i) => mark(raw, x, y, colours[i]));
    const y0 = gap + r * (cell + gap);
    paste(raw, gap + 2 * k * (cell + gap), y0);
    paste(face.aligned, gap + (2 * k + 1) * (cell + gap), y0);
  }
}
await writeImage(`${out}raw_vs_aligned.png`, grid);
console.log(`wrote ${out}raw_vs_aligned.png (${grid.width}x${grid.height}) and 4 single samples`);
