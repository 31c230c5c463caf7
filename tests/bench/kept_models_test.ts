/**
 * `--keep-models` storage: a cell's backbone is written as `backbone.*` tensors with the cell in its metadata, and
 * moves from the staging folder into the report folder's `models/` under the name its row records; a row whose file
 * is gone is an error naming the file.
 */
import assert from "node:assert";
import { KeptModels } from "../../src/bench/kept_models.ts";
import type { Cell } from "../../src/report/schema.ts";
import { decodeSafetensors } from "../../src/train/safetensors.ts";
import { withTempDir } from "../_util/temp_files.ts";

const cell = { backbone: "ir_tiny", head: "arcface", stage: "scratch" as const };
const weights = [{ name: "stem.0.weight", shape: [2], data: Float32Array.from([1.5, -2]) }];

Deno.test("kept models: saved with backbone.* names, moved into the report folder under the row's name", async () => {
  await withTempDir(async (dir) => {
    const kept = new KeptModels(`${dir}/.resume/run.models`);
    const model = await kept.save(cell, 3, weights);
    assert.strictEqual(model, "models/ir_tiny__arcface__scratch__seed3.safetensors");
    await kept.moveInto(`${dir}/report`, [{ model } as Cell, {} as Cell]);
    const file = decodeSafetensors(await Deno.readFile(`${dir}/report/${model}`), model);
    assert.deepStrictEqual([...file.tensors.keys()], ["backbone.stem.0.weight"]);
    assert.deepStrictEqual([...file.tensors.get("backbone.stem.0.weight")!.data], [1.5, -2]);
    assert.strictEqual(file.metadata.backbone, "ir_tiny");
    assert.strictEqual(file.metadata.seed, "3");
    await assert.rejects(() => Deno.stat(`${dir}/.resume/run.models`), Deno.errors.NotFound);
  });
});

Deno.test("kept models: a row whose file is missing is an error naming it", async () => {
  await withTempDir(async (dir) => {
    const kept = new KeptModels(`${dir}/staging`);
    const row = { model: "models/ir_tiny__arcface__scratch__seed9.safetensors" } as Cell;
    await assert.rejects(
      () => kept.moveInto(`${dir}/report`, [row]),
      /--keep-models: cannot move .*seed9\.safetensors/,
    );
  });
});

Deno.test("kept models: the staging folder goes even when no row names a file (a cell failed after saving)", async () => {
  await withTempDir(async (dir) => {
    const kept = new KeptModels(`${dir}/staging`);
    await kept.save(cell, 1, weights);
    await kept.moveInto(`${dir}/report`, [{} as Cell]);
    await assert.rejects(() => Deno.stat(`${dir}/staging`), Deno.errors.NotFound);
    await assert.rejects(() => Deno.stat(`${dir}/report/models`), Deno.errors.NotFound);
  });
});
