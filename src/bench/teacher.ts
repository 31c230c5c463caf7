/**
 * The teachers of a preset's `distilled` cells: read from a trainer checkpoint file, or trained first in the same
 * run (per teacher backbone, head and seed, on the run's training set — noisy labels included — with the cell's
 * initialisation, data order and dropout streams; `self` names the cell's own backbone or head). Teachers are kept
 * on the host as tensors by prefixed path (`backbone.*`, `head.*`, as the trainer's model tensors and checkpoints
 * name them), so their weight hash is the hash a trained row of the same model reports, and are built into live
 * modules for each cell.
 * @module
 */
import type { Backend } from "../core/backend.ts";
import { Rng } from "../core/rng.ts";
import { host } from "../io/host.ts";
import type { Tensor } from "../core/tensor.ts";
import type { TrainingSet } from "../data/dataset.ts";
import { backbones, heads } from "../models/mod.ts";
import type { Cell } from "../report/schema.ts";
import { restoreTensors } from "../train/checkpoint.ts";
import type { Teacher } from "../train/distill.ts";
import { decodeSafetensors, type NamedArray } from "../train/safetensors.ts";
import { readTensors, weightHash } from "../train/weight_hash.ts";
import { backboneOptionsOf, headOptionsOf } from "./model_options.ts";
import type { MatrixCell, Preset, TeacherSpec } from "./presets.ts";
import { trainOnce } from "./train_once.ts";

/** A teacher on the host: what the report records of it, and its tensors by prefixed path. */
export interface TeacherWeights {
  /** the report row's `teacher` field */
  info: NonNullable<Cell["teacher"]>;
  /** `backbone.*` and (with a head) `head.*` tensors */
  tensors: Map<string, NamedArray>;
}

/** What teachers need from the run. */
export interface TeacherContext {
  /** the preset (its `distill` block must be set) */
  preset: Preset;
  /** the run's training set (the students' labels) */
  train: TrainingSet;
  /** the backend */
  backend: Backend;
  /** progress of a teacher's training: called after every iteration */
  onStep?: (label: string, step: number, steps: number, loss: number) => void;
}

/** The teacher's backbone and head names for `cell` (`self` resolved to the cell's own). */
function teacherNames(spec: TeacherSpec, cell: MatrixCell): { backbone: string; head: string | null } {
  if ("checkpoint" in spec) return { backbone: spec.backbone, head: spec.head };
  return {
    backbone: spec.backbone === "self" ? cell.backbone : spec.backbone,
    head: spec.head === "self" ? cell.head : spec.head,
  };
}

/** Checks a preset's teacher names against the registries (for the `distilled` stage); throws naming the field. */
export function checkTeacher(preset: Pick<Preset, "distill">): void {
  const spec = preset.distill?.teacher;
  if (!spec) return;
  const known = (kind: string, name: string | null, names: string[]) => {
    if (name !== null && name !== "self" && !names.includes(name)) {
      throw new Error(`distill.teacher.${kind}: "${name}" is not a registered ${kind} (known: ${names.join(", ")})`);
    }
  };
  known("backbone", spec.backbone, backbones.list().map((b) => b.name));
  known("head", spec.head, heads.list().map((h) => h.name));
}

/** Reads a teacher from a trainer checkpoint file (`step-*.safetensors`). */
export async function teacherFromCheckpoint(
  spec: Extract<TeacherSpec, { checkpoint: string }>,
): Promise<TeacherWeights> {
  const file = decodeSafetensors(await host().readBytes(spec.checkpoint), spec.checkpoint);
  const prefixes = spec.head === null ? ["backbone."] : ["backbone.", "head."];
  const arrays = [...file.tensors.values()].filter((a) => prefixes.some((p) => a.name.startsWith(p)));
  if (!arrays.some((a) => a.name.startsWith("backbone."))) {
    throw new Error(`distill.teacher.checkpoint: ${spec.checkpoint} holds no backbone.* tensors (not a checkpoint?)`);
  }
  const step = Number(file.metadata.step ?? 0);
  return {
    info: {
      backbone: spec.backbone,
      head: spec.head,
      checkpoint: spec.checkpoint,
      steps: Number.isInteger(step) && step >= 0 ? step : 0,
      weightHash: await weightHash(arrays),
    },
    tensors: new Map(arrays.map((a) => [a.name, a])),
  };
}

/** Builds the teacher's modules for `numClasses` identities, loads its tensors, and sets evaluation mode. */
export function buildTeacher(
  backend: Backend,
  preset: Pick<Preset, "backboneOptions" | "headOptions">,
  weights: TeacherWeights,
  numClasses: number,
): Teacher {
  const moduleContext = { backend, rng: new Rng(0, "init"), dropoutRng: new Rng(0, "dropout") };
  const { info, tensors } = weights;
  const backbone = backbones.get(info.backbone).create(backboneOptionsOf(preset, info.backbone), moduleContext);
  const head = info.head === null ? null : heads.get(info.head).create(
    headOptionsOf(preset, info.head, { embeddingSize: backbone.embeddingSize, numClasses }),
    moduleContext,
  );
  const source = info.checkpoint ?? "the teacher trained in this run";
  const weightOf = (path: string) => tensors.get(path)?.shape;
  const teacherClasses = info.head === null ? null : weightOf("head.weight")?.[0];
  if (teacherClasses !== undefined && teacherClasses !== null && teacherClasses !== numClasses) {
    throw new Error(
      `distill.teacher: the head in ${source} has ${teacherClasses} classes, the training set ${numClasses}; soft ` +
        "targets need a teacher trained on the same identities (or set head to null and use embedding terms)",
    );
  }
  restoreTensors(prefixed(backbone.state(), "backbone"), tensors, source);
  if (head) {
    restoreTensors(prefixed(head.state(), "head"), tensors, source);
    head.step(info.steps);
  }
  backbone.train(false);
  head?.train(false);
  return { backbone, head, weightHash: info.weightHash };
}

/** A module state's entries with their paths under `prefix`, as the trainer's model tensors name them. */
function prefixed(state: Map<string, Tensor>, prefix: string): { path: string; tensor: Tensor }[] {
  return [...state].map(([path, tensor]) => ({ path: `${prefix}.${path}`, tensor }));
}

/** Trains a teacher `names` with `seed` on the run's training set (as a scratch cell of that model would be). */
export function trainTeacher(
  ctx: TeacherContext,
  names: { backbone: string; head: string },
  seed: number,
): Promise<TeacherWeights> {
  const { preset, backend, train } = ctx;
  const spec = preset.distill?.teacher;
  if (!spec || "checkpoint" in spec) throw new Error("trainTeacher: the preset names no teacher to train");
  const plan = {
    epochs: spec.epochs ?? preset.train.epochs,
    batchSize: spec.batchSize ?? preset.train.batchSize,
    schedule: spec.schedule ?? preset.train.schedule,
  };
  const label = `teacher ${names.backbone} × ${names.head} s${seed}`;
  const onStep = (step: number, steps: number, loss: number) => ctx.onStep?.(label, step, steps, loss);
  return trainOnce({ preset, backend, ...names, train, plan, seed, onStep }, async ({ backbone, head, result }) => {
    const arrays = await readTensors([...prefixed(backbone.state(), "backbone"), ...prefixed(head.state(), "head")]);
    return {
      info: { ...names, checkpoint: null, steps: result.steps, weightHash: result.weightHash },
      tensors: new Map(arrays.map((a) => [a.name, a])),
    };
  });
}

/**
 * The teacher of each distilled cell and seed, memoised: a checkpoint is read once per run; a trained teacher is
 * trained once per (backbone, head, seed).
 */
export function teachers(ctx: TeacherContext): (cell: MatrixCell, seed: number) => Promise<TeacherWeights> {
  const done = new Map<string, Promise<TeacherWeights>>();
  return (cell, seed) => {
    const spec = ctx.preset.distill?.teacher;
    if (!spec) return Promise.reject(new Error(`stage distilled needs the preset's distill block`));
    const names = teacherNames(spec, cell);
    const key = "checkpoint" in spec ? spec.checkpoint : `${names.backbone}/${names.head}/${seed}`;
    if (!done.has(key)) {
      done.set(
        key,
        "checkpoint" in spec
          ? teacherFromCheckpoint(spec)
          : trainTeacher(ctx, { backbone: names.backbone, head: names.head! }, seed),
      );
    }
    return done.get(key)!;
  };
}
