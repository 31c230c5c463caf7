/**
 * Distillation from a fixed teacher as a trainer {@link AuxiliaryLoss}: each step the teacher (backbone, and its
 * head when soft targets need logits) runs in evaluation mode (running BN statistics, no dropout) without gradient
 * on the student's batch and labels, and the configured distillation terms compare the two.
 *
 * The teacher's logits are its head's output for the batch's labels, margins included, as FaceX-Zoo's
 * `addition_module/face_lightning/KDF/training_mode/kd_training/train.py` feeds them to its KD loss (both heads
 * called with the labels). FaceX-Zoo leaves its teacher in training mode (BN batch statistics, and its running
 * statistics keep moving); here it is frozen in evaluation mode, so the teacher is the same function every step.
 * @module
 */
import { noGrad } from "../core/tape.ts";
import { type DistillationConfig, distillationLoss } from "../losses/distillation.ts";
import type { Backbone } from "../models/backbones/backbone.ts";
import type { Head } from "../models/heads/head.ts";
import type { AuxiliaryLoss } from "./trainer.ts";

/** A trained teacher: its backbone and, for soft targets, its head (with the student's class count). */
export interface Teacher {
  /** the teacher's backbone */
  backbone: Backbone;
  /** the teacher's head (null: embeddings only) */
  head: Head | null;
  /** the weight hash of the teacher's tensors (as a report records it) */
  weightHash: string;
}

/**
 * The distillation term of `config` against `teacher`, put in evaluation mode here. Its checkpointed settings are
 * the terms and the teacher's weight hash, so a run cannot resume against another teacher or other terms.
 */
export function distillationTerm(teacher: Teacher, config: DistillationConfig): AuxiliaryLoss {
  if (config.softTargets && !teacher.head) throw new Error("distillation softTargets: the teacher has no head");
  teacher.backbone.train(false);
  teacher.head?.train(false);
  return {
    settings: { distillation: config, teacherWeightHash: teacher.weightHash },
    term: ({ images, labels, embeddings, logits }) => {
      const taught = noGrad(() => {
        const e = teacher.backbone.forward(images);
        return { embeddings: e, logits: config.softTargets ? teacher.head!.forward(e, labels).logits : null };
      });
      return distillationLoss(config, { embeddings, logits }, taught);
    },
  };
}
