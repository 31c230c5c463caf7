/**
 * The report's tables as plain rows of strings: one definition used by both the Markdown and HTML writers.
 * @module
 */
import { accuracyText, distinct, mebibytes, percent, rate } from "./format.ts";
import type { Report } from "./schema.ts";

/** A table: header cells and body rows. */
export interface Table {
  /** column titles */
  header: string[];
  /** body rows, one string per column */
  rows: string[][];
}

/** Backbone × head matrix of verification accuracy (`mean ± std` %, or `failed`). */
export function accuracyMatrix(report: Report): Table {
  const heads = distinct(report.cells, (c) => c.head);
  const backbones = distinct(report.cells, (c) => c.backbone);
  return {
    header: ["backbone \\ head", ...heads],
    rows: backbones.map((b) => [
      b,
      ...heads.map((h) => {
        const cell = report.cells.find((c) => c.backbone === b && c.head === h);
        if (!cell) return "–";
        if (!cell.metrics) return "failed";
        return accuracyText(cell.metrics.accuracyMean, cell.metrics.accuracyStd);
      }),
    ]),
  };
}

/** One row per cell with every metric, timing, hash and error. */
export function cellDetails(report: Report): Table {
  const fars = distinct(report.cells.flatMap((c) => c.metrics?.tarAtFar ?? []), (t) => String(t.far));
  return {
    header: [
      "backbone",
      "head",
      "backend",
      "threads",
      "accuracy %",
      "threshold",
      "AUC",
      ...fars.map((f) => `TAR@FAR=${f} %`),
      "rank-1 %",
      "steps",
      "wall s",
      "img/s",
      "weight hash",
      "error",
    ],
    rows: report.cells.map((c) => {
      const m = c.metrics;
      return [
        c.backbone,
        c.head,
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
        String(c.steps),
        c.wallSeconds.toFixed(1),
        rate(c.imagesPerSecond),
        c.weightHash ? c.weightHash.slice(0, 12) : "–",
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
      ["run", `${report.run.id} (preset ${report.run.preset}, seed ${report.run.seed})`],
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
    ],
  };
}
