/**
 * The report's tables as plain rows of strings: one definition used by both the Markdown and HTML writers.
 * @module
 */
import { mean } from "../eval/stats.ts";
import {
  accuracyText,
  distinct,
  intervalText,
  mebibytes,
  percent,
  pValueText,
  rate,
  signedIntervalText,
} from "./format.ts";
import type { Report, Statistics } from "./schema.ts";
import { cellKey, headStageKey, referenceKey } from "./statistics.ts";

/** A point estimate with its interval. */
type Estimate = Statistics["cells"][number]["accuracy"];

/** A table: header cells and body rows. */
export interface Table {
  /** column titles */
  header: string[];
  /** body rows, one string per column */
  rows: string[][];
}

/** The marks the accuracy matrix puts after a cell, and what each means (the legend under the table). */
export const MARKS = {
  best: ["◆", "not significantly less accurate than the best cell"],
  untrained: ["°", "not significantly more accurate than its backbone untrained"],
  loss: ["!", "training loss did not halve (did not train at this budget)"],
} as const;

/** The marks of one cell's statistics, e.g. "◆" or "°!". */
export function cellMarks(s: Statistics["cells"][number]): string {
  return (s.indistinguishableFromBest ? MARKS.best[0] : "") + (s.beatsUntrained === false ? MARKS.untrained[0] : "") +
    (s.trained ? "" : MARKS.loss[0]);
}

/**
 * Backbone × head matrix of verification accuracy: with statistics, the mean over seeds, its 95% interval and the
 * {@link MARKS}; without (version-1 reports), the first seed's `mean ± fold std`; `failed` for a failed cell.
 */
export function accuracyMatrix(report: Report): Table {
  const columns = distinct(report.cells, headStageKey);
  const backbones = distinct(report.cells, (c) => c.backbone);
  return {
    header: ["backbone \\ head", ...columns],
    rows: backbones.map((b) => [
      b,
      ...columns.map((column) => {
        const cells = report.cells.filter((c) => c.backbone === b && headStageKey(c) === column);
        if (cells.length === 0) return "–";
        if (cells.some((c) => !c.metrics)) return "failed";
        const stats = report.statistics?.cells.find((s) => s.key === cellKey(cells[0]));
        if (stats) return `${intervalText(stats.accuracy)} ${cellMarks(stats)}`.trimEnd();
        return accuracyText(cells[0].metrics!.accuracyMean, cells[0].metrics!.accuracyStd);
      }),
    ]),
  };
}

/** The legend of the accuracy matrix's marks, one line. */
export function marksLegend(): string {
  return Object.values(MARKS).map(([mark, meaning]) => `${mark} ${meaning}`).join("; ");
}

/** The name of a report's primary evaluation set: `primaryEval.name`, or else the dataset's id (its own test split). */
export const primaryEvalName = (report: Report): string => report.primaryEval?.name ?? report.environment.dataset.id;

/**
 * Accuracy on every evaluation set (the seed paper's Table 3), or null without further sets: one row per cell in the
 * report's order, then the reference rows; one column per set (the primary first, then `evalSets` in order) and the
 * mean over sets, each "accuracy % [95% CI]" from the statistics; "failed" for a failed cell, "–" for a row without
 * an estimate there.
 */
export function evalSetTable(report: Report): Table | null {
  if (report.evalSets.length === 0) return null;
  const s = report.statistics;
  const byKey = (rows: readonly { key: string; accuracy: Estimate }[] = []) =>
    new Map(rows.map((r) => [r.key, r.accuracy]));
  const columns = [
    byKey([...s?.cells ?? [], ...s?.references ?? []]),
    ...report.evalSets.map(({ name }) => {
      const set = s?.evalSets.find((e) => e.name === name);
      return byKey([...set?.cells ?? [], ...set?.references ?? []]);
    }),
    new Map(s?.meanAccuracy.map((m) => [m.key, m])),
  ];
  const failed = new Set(report.cells.filter((c) => !c.metrics).map(cellKey));
  const keys = [...distinct(report.cells, cellKey), ...distinct(report.references, referenceKey)];
  return {
    header: ["cell", primaryEvalName(report), ...report.evalSets.map((e) => e.name), "mean"],
    rows: keys.map((key) => [
      key,
      ...columns.map((column) => {
        const estimate = column.get(key);
        return failed.has(key) ? "failed" : estimate ? intervalText(estimate) : "–";
      }),
    ]),
  };
}

/** Rank-1 identification rate of the reference row `key`, averaged over its seeds; "–" where no seed has one. */
function referenceRank1(report: Report, key: string): string {
  const rates = report.references.flatMap((r) =>
    referenceKey(r) === key && r.metrics.rank1 !== null ? [r.metrics.rank1] : []
  );
  return rates.length === 0 ? "–" : percent(mean(rates));
}

/**
 * Reference rows (raw pixels, each backbone untrained, external ONNX models) with their intervals, and rank-1 (mean
 * over seeds, no interval; "–" on a set without identities).
 */
export function referenceTable(report: Report): Table {
  const stats = report.statistics?.references ?? [];
  const fars = stats[0]?.tarAtFar.map((t) => t.far) ?? [];
  return {
    header: [
      "reference",
      "seeds",
      "accuracy % [95% CI]",
      "AUC [95% CI]",
      ...fars.map((f) => `TAR@FAR=${f} % [95% CI]`),
      "rank-1 %",
    ],
    rows: stats.map((r) => [
      r.key,
      String(r.seeds),
      intervalText(r.accuracy),
      intervalText(r.auc, 4, 1),
      ...r.tarAtFar.map((t) => intervalText(t)),
      referenceRank1(report, r.key),
    ]),
  };
}

/** Per-cell statistics over seeds: every metric with its interval, and the verdicts. */
export function cellStatisticsTable(report: Report): Table {
  const stats = report.statistics?.cells ?? [];
  const fars = stats[0]?.tarAtFar.map((t) => t.far) ?? [];
  const yesNo = (v: boolean | null) => (v === null ? "–" : v ? "yes" : "no");
  return {
    header: [
      "cell",
      "seeds",
      "accuracy % [95% CI]",
      "seed std",
      "AUC [95% CI]",
      ...fars.map((f) => `TAR@FAR=${f} % [95% CI]`),
      "loss halved",
      "beats untrained",
      "beats raw pixels",
      "best group",
    ],
    rows: stats.map((c) => [
      c.key,
      String(c.seeds),
      intervalText(c.accuracy),
      percent(c.accuracySeedStd),
      intervalText(c.auc, 4, 1),
      ...c.tarAtFar.map((t) => intervalText(t)),
      yesNo(c.trained),
      yesNo(c.beatsUntrained),
      yesNo(c.beatsRawPixels),
      yesNo(c.indistinguishableFromBest),
    ]),
  };
}

const PURPOSE_LABELS: Record<Statistics["comparisons"][number]["purpose"], string> = {
  best: "ranking",
  untrained: "learned?",
  raw_pixels: "learned?",
  pretraining: "pre-training helped?",
  distillation: "distillation helped?",
};

/** The paired comparisons with their p-values. */
export function comparisonsTable(report: Report): Table {
  return {
    header: ["a", "b", "for", "Δ accuracy points [95% CI]", "Δ AUC [95% CI]", "p", "p (Holm)", "McNemar p", "verdict"],
    rows: (report.statistics?.comparisons ?? []).map((c) => [
      c.a,
      c.b,
      PURPOSE_LABELS[c.purpose],
      signedIntervalText(c.accuracy),
      signedIntervalText(c.auc, 4, 1),
      pValueText(c.p),
      pValueText(c.pHolm),
      pValueText(c.mcnemarP),
      c.significant ? (c.accuracy.value > 0 ? "a better" : "b better") : "not significant",
    ]),
  };
}

/** The title of the cells table's weight-hash column: full SHA-256 hex digests (the HTML report shortens them). */
export const WEIGHT_HASH_COLUMN = "weight hash";

/** One row per cell (in the report's cell order) with every metric, timing, the full weight hash and the error. */
export function cellDetails(report: Report): Table {
  const fars = distinct(report.cells.flatMap((c) => c.metrics?.tarAtFar ?? []), (t) => String(t.far));
  return {
    header: [
      "backbone",
      "head",
      "stage",
      "seed",
      "backend",
      "threads",
      "accuracy %",
      "threshold",
      "AUC",
      ...fars.map((f) => `TAR@FAR=${f} %`),
      "rank-1 %",
      "loss halved",
      "steps",
      "wall s",
      "img/s",
      WEIGHT_HASH_COLUMN,
      "error",
    ],
    rows: report.cells.map((c) => {
      const m = c.metrics;
      return [
        c.backbone,
        c.head,
        c.teacher ? `${c.stage} (teacher ${teacherText(c.teacher)})` : c.stage,
        String(c.seed),
        c.backend,
        String(c.threads),
        m ? accuracyText(m.accuracyMean, m.accuracyStd) : "–",
        m ? m.threshold.toFixed(3) : "–",
        m ? m.auc.toFixed(4) : "–",
        ...fars.map((f) => {
          const t = m?.tarAtFar.find((x) => String(x.far) === f);
          return t ? percent(t.tar) : "–";
        }),
        m?.rank1 != null ? percent(m.rank1) : "–",
        c.trained === null ? "–" : c.trained ? "yes" : "no",
        String(c.steps),
        c.wallSeconds.toFixed(1),
        rate(c.imagesPerSecond),
        c.weightHash ?? "–",
        c.error ?? "",
      ];
    }),
  };
}

/** Throughput rows: training and inference images/s and peak memory per backend and backbone. */
export function throughputTable(report: Report): Table {
  return {
    header: ["backend", "threads", "backbone", "batch", "train img/s", "inference img/s", "peak memory", "error"],
    rows: report.throughput.map((t) => [
      t.backend,
      String(t.threads),
      t.backbone,
      String(t.batchSize),
      rate(t.trainImagesPerSecond),
      rate(t.inferenceImagesPerSecond),
      mebibytes(t.peakBytes),
      t.error ?? "",
    ]),
  };
}

/** Environment facts as two-column rows. */
export function environmentTable(report: Report): Table {
  const e = report.environment;
  const backends = e.backends.map((b) => {
    const details = Object.entries(b.details).map(([k, v]) => `${k}=${v}`).join(", ");
    return `${b.name} (${b.threads} threads${details ? `; ${details}` : ""})`;
  });
  return {
    header: ["", ""],
    rows: [
      ["run", `${report.run.id} (preset ${report.run.preset}, seeds ${report.run.seeds.join(", ")})`],
      ["created", report.run.createdAt],
      ["command", report.run.command],
      ["shards", report.run.shards.map((s) => `${s.index}/${s.count}`).join(", ") || "all"],
      ["Deno", `${e.deno} (V8 ${e.v8}, TypeScript ${e.typescript})`],
      ["OS", `${e.os} ${e.arch}`],
      ["CPU", `${e.cpu.model ?? "unknown"}, ${e.cpu.cores} cores`],
      ["git", `${e.gitCommit ?? "unknown"}${e.gitDirty ? " (dirty)" : ""}`],
      ["backends", backends.join("; ")],
      [
        "dataset",
        `${e.dataset.id} (sha256 ${e.dataset.hash.slice(0, 16)}…; ${e.dataset.trainIdentities} identities, ` +
        `${e.dataset.trainImages} train images, ${e.dataset.evalPairs} eval pairs)`,
      ],
      ...(e.dataset.labelNoise ? [["label noise", labelNoiseText(e.dataset.labelNoise)]] : []),
    ],
  };
}

/** A distilled row's teacher: model, origin and the start of its weight hash. */
function teacherText(t: NonNullable<Report["cells"][number]["teacher"]>): string {
  const origin = t.checkpoint ?? `trained first, ${t.steps} steps`;
  return `${t.backbone}${t.head ? ` × ${t.head}` : ""}, ${origin}, ${t.weightHash.slice(0, 12)}…`;
}

/** The training-label noise of a run in words. */
function labelNoiseText(n: NonNullable<Report["environment"]["dataset"]["labelNoise"]>): string {
  const to = n.to === "random" ? "random other identities" : "look-alike identities";
  return `${n.flipped} training labels (${percent(n.fraction)}%) flipped to ${to}, seed ${n.seed}`;
}
