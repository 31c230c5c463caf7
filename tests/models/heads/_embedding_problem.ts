/**
 * A tiny embedding problem for the metric-learning heads: 4 identities × 4 noisy samples in R^8 (noise as large as
 * the identity offsets), a linear embedding x·W (W [8, 6], seeded) trained with SGD on a head's objective
 * (Σ logits-CE + extra loss, or the head's own loss), on the reference backend.
 */
import { ReferenceBackend } from "../../../src/backends/reference/backend.ts";
import { Rng } from "../../../src/core/rng.ts";
import { keep, scope } from "../../../src/core/scope.ts";
import { noGrad } from "../../../src/core/tape.ts";
import { crossEntropy } from "../../../src/losses/mod.ts";
import { headObjective, heads } from "../../../src/models/mod.ts";
import { backward } from "../../../src/ops/backward.ts";
import { matmul, tensor } from "../../../src/ops/mod.ts";
import { Sgd } from "../../../src/train/optimizer.ts";

/** Identities, samples per identity, input and embedding widths. */
export const PROBLEM = { identities: 4, samples: 4, inputs: 8, dim: 6 } as const;

/** What a training run of the problem gives. */
export interface EmbeddingRun {
  /** the head's objective before each step */
  losses: number[];
  /** mean squared intra-identity distance / mean squared inter-identity distance of the normalised embeddings */
  spreadBefore: number;
  /** the same after training */
  spreadAfter: number;
}

/** Trains `steps` SGD steps (lr `lr`, momentum 0.9) of the embedding with head `name`. */
export async function trainEmbedding(
  name: string,
  options: Record<string, unknown>,
  steps: number,
  lr: number,
): Promise<EmbeddingRun> {
  const backend = new ReferenceBackend();
  const { identities, samples, inputs, dim } = PROBLEM;
  const rng = new Rng(5, "embedding-problem");
  const offsets = Array.from({ length: identities * inputs }, () => rng.normal());
  const labelValues = Array.from({ length: identities * samples }, (_, i) => i % identities);
  const xs = labelValues.flatMap((y) =>
    Array.from({ length: inputs }, (_, d) => offsets[y * inputs + d] + rng.normal())
  );
  const x = keep(tensor(backend, xs, [labelValues.length, inputs]));
  const labels = keep(tensor(backend, labelValues, [labelValues.length], "i32"));
  const w = keep(tensor(backend, Array.from({ length: inputs * dim }, () => rng.normal(0, 0.3)), [inputs, dim]));
  w.requiresGrad = true;
  const head = heads.get(name).create({ embeddingSize: dim, numClasses: identities, ...options }, {
    backend,
    rng: new Rng(5, "init"),
  });
  const sgd = new Sgd([{ path: "w", tensor: w, decay: false }, ...head.parameters()], { momentum: 0.9 });
  const spread = async () => spreadOf(await noGrad(() => scope(() => matmul(x, w))).read(), labelValues);
  const spreadBefore = await spread();
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    head.step(step);
    losses.push(
      await scope(async () => {
        sgd.zeroGrad();
        const objective = headObjective(head.forward(matmul(x, w), labels), (z) => crossEntropy(z, labels));
        backward(objective);
        sgd.step(lr);
        return await objective.item();
      }),
    );
  }
  const spreadAfter = await spread();
  for (const t of [x, labels, w]) t.dispose();
  head.dispose();
  return { losses, spreadBefore, spreadAfter };
}

/** Mean squared intra-identity over mean squared inter-identity distance of the L2-normalised rows of `e`. */
function spreadOf(e: ArrayLike<number>, labels: number[]): number {
  const { dim } = PROBLEM;
  const rows = labels.map((_, i) => {
    const row = Array.from({ length: dim }, (_, d) => e[i * dim + d]);
    const norm = Math.hypot(...row);
    return row.map((v) => v / norm);
  });
  let intra = 0, inter = 0, nIntra = 0, nInter = 0;
  for (let i = 0; i < rows.length; i++) {
    for (let j = i + 1; j < rows.length; j++) {
      const d2 = rows[i].reduce((acc, v, k) => acc + (v - rows[j][k]) ** 2, 0);
      if (labels[i] === labels[j]) [intra, nIntra] = [intra + d2, nIntra + 1];
      else [inter, nInter] = [inter + d2, nInter + 1];
    }
  }
  return intra / nIntra / (inter / nInter);
}
