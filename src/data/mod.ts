/**
 * The data layer's public API: datasets by id, loaders, alignment, augmentation, samplers, image I/O, importers and
 * the InsightFace writers.
 * @module
 */
export { datasetIds, type DatasetOptions, loadDataset } from "./datasets.ts";
export { type AlignmentStats, describeAlignment, type FaceDataset, type FaceSet, type PairList } from "./dataset.ts";
export { DataError } from "./errors.ts";
export { cacheDir, sharedDataDir } from "./files.ts";
export { Loader, loaderFor, type LoaderOptions, type LoaderState } from "./loader.ts";
export { type Batch, BatchMaker, type ImageSource, type LoaderSpec } from "./batch.ts";
export { type AugmentConfig, augmentInto, DOMAIN_AUGMENT, EVO_AUGMENT, FULL_AUGMENT, NO_AUGMENT } from "./augment.ts";
export { rgbPca } from "./pca.ts";
export { BalancedSampler, PKSampler, removeLowShot, type Sampler, ShuffleSampler } from "./sampler.ts";
export {
  alignFace,
  alignmentTransform,
  cp2tform,
  type Landmarks,
  TEMPLATE_112,
  templateFor,
  umeyama,
  warpAffine,
} from "./align.ts";
export { createImage, type Image, padToSquare, toRgb } from "./image/image.ts";
export { alignFolder, type AlignFolderSummary } from "./align_folder.ts";
export { landmarksFromMouthCentre } from "./mouth_centre.ts";
export { decodeImage, encodeImage } from "./image/codec.ts";
export { type DecodeLimits, DEFAULT_MAX_PIXELS } from "./image/limits.ts";
export type { ImportLimits } from "./importers/builder.ts";
export { readImage, writeImage } from "./image/io.ts";
export { importImageFolder } from "./importers/folder.ts";
export { importRecordIo } from "./importers/insightface_rec.ts";
export { importBin, type VerificationSet } from "./importers/bin.ts";
export { loadOrl, type OrlOptions } from "./importers/orl.ts";
export { cacheRecordIo, type RawFaceSet, type RecCacheOptions } from "./importers/rec_cache.ts";
export { type RecordIoSummary, writeRecordIo } from "./export/recordio_writer.ts";
export { type BinProtocol, writeBin } from "./export/bin_writer.ts";
export { exportDataset, type ExportedDataset } from "./export/dataset_files.ts";
export { detectLandmarks, landmarkCachePath, type LandmarkDetector } from "./landmarks.ts";
export { writeRawImages } from "./raw_file.ts";
export { readManifest, splitCachePath } from "./synth_cache.ts";
export { SYNTH_DATASETS } from "./synthface.ts";
