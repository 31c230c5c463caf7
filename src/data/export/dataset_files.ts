/**
 * A whole dataset in InsightFace's file formats: the training split as `train.rec` + `train.idx` and the test
 * pairs as `<dataset id>.bin`, written by the project's writers (PNG images, lossless).
 * @module
 */
import type { FaceDataset } from "../dataset.ts";
import { joinPath } from "../files.ts";
import { type BinProtocol, writeBin } from "./bin_writer.ts";
import { type RecordIoSummary, writeRecordIo } from "./recordio_writer.ts";

/** The files {@link exportDataset} wrote. */
export interface ExportedDataset {
  /** `<dir>/train.rec` */
  rec: string;
  /** `<dir>/train.idx` */
  idx: string;
  /** `<dir>/<dataset id>.bin` */
  bin: string;
  /** what the `.rec` holds */
  train: RecordIoSummary;
  /** pairs in the `.bin` */
  pairs: number;
}

/**
 * Writes `dataset` into `dir` (created if missing): the training split as `train.rec`/`train.idx`, the test pairs
 * as `<id>.bin` (pickle `protocol`, default 4). The pairs must be in 10 contiguous folds (see `writeBin`).
 */
export async function exportDataset(
  dataset: FaceDataset,
  dir: string,
  protocol: BinProtocol = 4,
): Promise<ExportedDataset> {
  const rec = joinPath(dir, "train.rec"), idx = joinPath(dir, "train.idx"), bin = joinPath(dir, `${dataset.id}.bin`);
  const train = await writeRecordIo(dataset.train, rec, idx);
  await writeBin(dataset.test, dataset.pairs, bin, protocol);
  return { rec, idx, bin, train, pairs: dataset.pairs.same.length };
}
