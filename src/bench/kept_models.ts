/**
 * `--keep-models`: the final backbone weights of every cell that trained, kept as a safetensors file of `backbone.*`
 * tensors (the names of a trainer checkpoint's tensor file, so `deno task export --checkpoint FILE` and a
 * distillation teacher read it). While the run trains, each file is written atomically next to the run's journal
 * (`<out>/.resume/<key>.models/`), so a resumed run keeps the files of the cells it reuses; when the report is
 * written, they move into the report folder's `models/` and each cell row names its file there (`model`, relative
 * to the report folder).
 * @module
 */
import { basename, join } from "node:path";
import { host } from "../io/host.ts";
import type { Cell } from "../report/schema.ts";
import { encodeSafetensors, type NamedArray } from "../train/safetensors.ts";
import type { MatrixCell } from "./presets.ts";

/** What names a kept model: the cell's backbone, head and stage. */
type CellName = Pick<MatrixCell, "backbone" | "head" | "stage">;

/** The folder of a report that holds its kept models. */
export const KEPT_MODELS_FOLDER = "models";

/** The file name of a cell's kept backbone: backbone, head, stage and seed. */
export function keptModelName(cell: CellName, seed: number): string {
  return `${cell.backbone}__${cell.head}__${cell.stage}__seed${seed}.safetensors`;
}

/** The kept models of one run: written to a staging folder while training, moved into the report folder at the end. */
export class KeptModels {
  /** `staging`: the folder beside the run's journal. */
  constructor(readonly staging: string) {}

  /** Writes a cell's final backbone tensors (unprefixed state paths); returns the path the row records. */
  async save(cell: CellName, seed: number, backbone: readonly NamedArray[]): Promise<string> {
    await host().makeDir(this.staging);
    const name = keptModelName(cell, seed);
    const tensors = backbone.map((t) => ({ ...t, name: `backbone.${t.name}` }));
    const metadata = { format: "facebench-model", backbone: cell.backbone, head: cell.head, stage: cell.stage };
    await host().writeBytesAtomic(
      join(this.staging, name),
      encodeSafetensors(tensors, { ...metadata, seed: String(seed) }),
    );
    return `${KEPT_MODELS_FOLDER}/${name}`;
  }

  /**
   * Moves the file of every row that names one into `reportDir/models/`, then removes the staging folder (with the
   * file of a cell that failed after its weights were kept). Throws naming the file when a row's model is missing
   * (a journal reused after its staging folder was deleted).
   */
  async moveInto(reportDir: string, rows: readonly Cell[]): Promise<void> {
    const named = rows.filter((r) => r.model !== undefined);
    if (named.length > 0) await host().makeDir(join(reportDir, KEPT_MODELS_FOLDER));
    for (const row of named) {
      const source = join(this.staging, basename(row.model!));
      try {
        await host().rename(source, join(reportDir, row.model!));
      } catch (error) {
        throw new Error(`--keep-models: cannot move ${source} into ${reportDir}: ${(error as Error).message}`);
      }
    }
    await host().remove(this.staging, { recursive: true }).catch(() => {});
  }
}
