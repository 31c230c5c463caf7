/**
 * The cells a preset selects from the model registries: the link between a preset's globs and the registered
 * backbones and heads, used by the bench command and by suites.
 * @module
 */
import { backbones, heads } from "../models/mod.ts";
import { type MatrixCell, type Preset, selectCells, type Shard } from "./presets.ts";

/** The cells a preset selects from the registries (its `backbonePreset` decides tiny or full-size entries). */
export function presetCells(preset: Preset, shard?: Shard): MatrixCell[] {
  return selectCells(preset, {
    backbones: backbones.list().filter((b) =>
      preset.backbonePreset === "any" || b.tags.includes("tiny") === (preset.backbonePreset === "tiny")
    ).map((b) => b.name),
    heads: heads.list().map((h) => h.name),
  }, shard);
}
