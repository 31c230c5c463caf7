/**
 * The backbone and head options a preset sets (`backboneOptions`, `headOptions`), checked up front against each
 * registry entry's zod schema so that a typo fails before any cell trains, and merged into what a cell builds.
 * @module
 */
import type { Backend } from "../core/backend.ts";
import { Rng } from "../core/rng.ts";
import type { Tensor } from "../core/tensor.ts";
import type { Backbone } from "../models/backbones/backbone.ts";
import { backbones, heads } from "../models/mod.ts";
import type { Preset } from "./presets.ts";

/** Head options the data decides; a preset may not set them. */
const DATA_DECIDED = ["numClasses", "embeddingSize"];

/**
 * Throws an error naming the preset field, the entry and the problem when an options entry names an unknown
 * model, sets a data-decided option, or fails the entry's schema.
 */
export function checkModelOptions(preset: Pick<Preset, "backboneOptions" | "headOptions">): void {
  for (const [name, options] of Object.entries(preset.backboneOptions)) {
    try {
      backbones.get(name).parse(options);
    } catch (error) {
      throw new Error(`preset field backboneOptions.${name}: ${(error as Error).message}`);
    }
  }
  for (const [name, options] of Object.entries(preset.headOptions)) {
    const fixed = DATA_DECIDED.filter((k) => k in options);
    if (fixed.length > 0) {
      throw new Error(`preset field headOptions.${name}: ${fixed.join(", ")} come from the data and cannot be set`);
    }
    try {
      heads.get(name).parse({ ...options, numClasses: 2 });
    } catch (error) {
      throw new Error(`preset field headOptions.${name}: ${(error as Error).message}`);
    }
  }
}

/** The options a cell passes to the backbone registry entry `name`. */
export function backboneOptionsOf(preset: Pick<Preset, "backboneOptions">, name: string): Record<string, unknown> {
  return preset.backboneOptions[name] ?? {};
}

/** The options a cell passes to the head registry entry `name` (the data's class count and embedding width added). */
export function headOptionsOf(
  preset: Pick<Preset, "headOptions">,
  name: string,
  data: { numClasses: number; embeddingSize: number },
): Record<string, unknown> {
  return { ...(preset.headOptions[name] ?? {}), ...data };
}

/**
 * Backbone `name` with the preset's options, initialised from `seed`'s "init" stream (dropout on its "dropout"
 * stream), as every cell, reference row and parity check of that seed builds it.
 */
export function seededBackbone(
  backend: Backend,
  preset: Pick<Preset, "backboneOptions">,
  name: string,
  seed: number,
): Backbone {
  return backbones.get(name).create(backboneOptionsOf(preset, name), {
    backend,
    rng: new Rng(seed, "init"),
    dropoutRng: new Rng(seed, "dropout"),
  });
}

/** A backbone's tensors by path, as `readTensors` and `restoreTensors` take them. */
export function backboneEntries(backbone: Pick<Backbone, "state">): { path: string; tensor: Tensor }[] {
  return [...backbone.state()].map(([path, tensor]) => ({ path, tensor }));
}
