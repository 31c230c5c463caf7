/**
 * MTCNN (src/models/detectors) behind the data layer's `LandmarkDetector`, so dataset importers can align real
 * faces without knowing of models: the weights come from `<FACEBENCH_SHARED_DATA>/mtcnn/{pnet,rnet,onet}.safetensors`,
 * and the backend and networks are built on the first detection (a fully cached dataset never builds them).
 * @module
 */
import type { Backend } from "../core/backend.ts";
import { createBackend } from "../backends/registry.ts";
import type { Landmarks } from "../data/align.ts";
import { DataError } from "../data/errors.ts";
import { exists, joinPath, readBytes, sharedDataDir } from "../data/files.ts";
import type { Image } from "../data/image/image.ts";
import type { LandmarkDetector } from "../data/landmarks.ts";
import { detectFaces, type FaceDetection, MTCNN_VERSION } from "../models/detectors/mtcnn.ts";
import { createMtcnnNets, type MtcnnNets } from "../models/detectors/mtcnn_nets.ts";
import { decodeSafetensors } from "../train/safetensors.ts";

/** Default location of the MTCNN weights. */
export function mtcnnDir(): string {
  return joinPath(sharedDataDir(), "mtcnn");
}

/** Reads the three weight files from `dir` and builds the networks on `backend`. */
export async function loadMtcnnNets(backend: Backend, dir = mtcnnDir()): Promise<MtcnnNets> {
  if (!(await exists(joinPath(dir, "pnet.safetensors")))) {
    throw new DataError(
      "load MTCNN weights",
      dir,
      "pnet/rnet/onet.safetensors not found; set FACEBENCH_SHARED_DATA to the shared data directory",
    );
  }
  const read = async (net: string) => {
    const path = joinPath(dir, `${net}.safetensors`);
    return decodeSafetensors(await readBytes(path), path).tensors;
  };
  return createMtcnnNets(backend, { pnet: await read("pnet"), rnet: await read("rnet"), onet: await read("onet") });
}

/** Options of {@link MtcnnLandmarkDetector}. */
export interface MtcnnDetectorOptions {
  /** backend name (default "wasm") */
  backend?: string;
  /** CPU threads of that backend (default 1) */
  threads?: number;
  /** weights directory (default {@link mtcnnDir}) */
  weightsDir?: string;
}

/** MTCNN with face.evoLVe's settings as a {@link LandmarkDetector}: the most confident face's landmarks. */
export class MtcnnLandmarkDetector implements LandmarkDetector {
  /** names the pipeline version in landmark caches */
  readonly id = `mtcnn${MTCNN_VERSION}`;
  readonly #options: MtcnnDetectorOptions;
  #ready: Promise<{ backend: Backend; nets: MtcnnNets }> | null = null;

  /** Records the options; nothing is loaded until the first detection. */
  constructor(options: MtcnnDetectorOptions = {}) {
    this.#options = options;
  }

  async #load(): Promise<{ backend: Backend; nets: MtcnnNets }> {
    // The landmarks are versioned data (MTCNN_VERSION names the caches, a test fingerprints them), so the detector
    // keeps WASM's F(2×2, 3×3) convolutions: F(4×4, 3×3), the default since, rounds O-Net's 64-channel 3×3 layers
    // differently and would move landmarks under an unchanged version.
    const backend = await createBackend(this.#options.backend ?? "wasm", {
      threads: this.#options.threads ?? 1,
      winograd: "2x2",
    });
    return { backend, nets: await loadMtcnnNets(backend, this.#options.weightsDir) };
  }

  /** Every face found, most confident first. */
  async faces(image: Image): Promise<FaceDetection[]> {
    this.#ready ??= this.#load();
    return detectFaces((await this.#ready).nets, image);
  }

  /** The most confident face's landmarks, or null. */
  async detect(image: Image): Promise<Landmarks | null> {
    return (await this.faces(image))[0]?.landmarks ?? null;
  }

  /** Frees the networks and the backend (when they were built). */
  async close(): Promise<void> {
    if (!this.#ready) return;
    const { backend, nets } = await this.#ready;
    this.#ready = null;
    for (const net of Object.values(nets)) net.dispose();
    backend.destroy();
  }
}
