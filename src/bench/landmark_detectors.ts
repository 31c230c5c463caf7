/**
 * The landmark detectors by name, for commands that let the user choose one (`deno task align --detector`,
 * `tools/detector_compare.ts`): MTCNN (weights under the shared data directory) and BlazeFace (the stand-in for
 * RetinaFace, model from `FACEBENCH_BLAZEFACE` or an explicit path). A new detector (RetinaFace) is one entry here.
 * @module
 */
import type { LandmarkDetector } from "../data/landmarks.ts";
import { BlazeFaceLandmarkDetector } from "./blazeface_landmarks.ts";
import { MtcnnLandmarkDetector } from "./mtcnn_landmarks.ts";

/** A detector that holds resources until closed. */
export interface ClosableDetector extends LandmarkDetector {
  /** frees the networks or sessions */
  close(): Promise<void>;
}

/** Options of {@link createLandmarkDetector}. */
export interface DetectorChoice {
  /** BlazeFace's ONNX model (default env `FACEBENCH_BLAZEFACE`) */
  blazefaceModel?: string;
}

const FACTORIES: Record<string, (choice: DetectorChoice) => ClosableDetector> = {
  mtcnn: () => new MtcnnLandmarkDetector(),
  blazeface: (choice) => new BlazeFaceLandmarkDetector({ modelPath: choice.blazefaceModel }),
};

/** The detector names, in the order help texts list them. */
export const LANDMARK_DETECTORS: readonly string[] = Object.keys(FACTORIES);

/** Creates the detector `name` (nothing is loaded before its first detection); throws for an unknown name. */
export function createLandmarkDetector(name: string, choice: DetectorChoice = {}): ClosableDetector {
  const factory = FACTORIES[name];
  if (!factory) throw new RangeError(`unknown detector "${name}" (expected one of: ${LANDMARK_DETECTORS.join(", ")})`);
  return factory(choice);
}
