/**
 * The journal of a bench run: every finished cell's outcome (its row, and its t-SNE map when the run maps that
 * cell) is appended to `<out>/.resume/<key>.jsonl` as soon as it completes, so a run that is killed loses at most the cell in progress, and a re-run of the same command (same
 * preset after filters, seeds, backend, threads, mode, shard, dataset and git commit: together the key) reuses the
 * finished rows instead of training them again. Each line carries the SHA-256 of its row; a line that does not
 * parse, does not match its hash or fails the report schema (e.g. cut short by the kill) is dropped and its cell
 * trained again, as is a failed cell. The journal (and its folder, once empty) is removed when the report is written.
 * @module
 */
import { dirname, join } from "node:path";
import { z } from "zod";
import { sha256Hex } from "../core/sha256.ts";
import { host } from "../io/host.ts";
import { type Cell, cellSchema, type Tsne, tsneSchema } from "../report/schema.ts";

const text = new TextEncoder();

/** What identifies a run for resuming: everything that decides the rows' values. */
export interface JournalKey {
  /** the preset after command-line filters */
  preset: unknown;
  seeds: readonly number[];
  backend: string;
  threads: number | null;
  mode: string | null;
  shard: { index: number; count: number } | null;
  datasetHash: string;
  gitCommit: string | null;
}

const rowKey = (c: Pick<Cell, "backbone" | "head" | "stage" | "seed">) =>
  `${c.backbone}/${c.head}@${c.stage}#${c.seed}`;

/** A finished cell: its report row and its t-SNE map (null unless the run maps this cell). */
export interface JournalEntry {
  /** the report row */
  row: Cell;
  /** the t-SNE map */
  tsne: Tsne | null;
}

/** The finished rows of one run, on disk. */
export class CellJournal {
  readonly #rows: Map<string, JournalEntry>;

  private constructor(
    /** the journal file */
    readonly path: string,
    rows: Map<string, JournalEntry>,
    /** lines dropped on opening (damaged, or rows of failed cells) */
    readonly dropped: number,
  ) {
    this.#rows = rows;
  }

  /** Opens (or starts) the journal of the run `key` under `<outDir>/.resume/`. */
  static async open(outDir: string, key: JournalKey): Promise<CellJournal> {
    const dir = join(outDir, ".resume");
    await host().makeDir(dir);
    const path = join(dir, `${(await sha256Hex(text.encode(JSON.stringify(key)))).slice(0, 24)}.jsonl`);
    const rows = new Map<string, JournalEntry>();
    let dropped = 0;
    let content = "";
    try {
      if (await host().exists(path)) content = new TextDecoder().decode(await host().readBytes(path));
    } catch (error) {
      throw new Error(`cannot read ${path}: ${(error as Error).message}`);
    }
    for (const line of content.split("\n").filter((l) => l.trim() !== "")) {
      const entry = await verifiedEntry(line);
      if (entry && entry.row.error === null) rows.set(rowKey(entry.row), entry);
      else dropped++;
    }
    return new CellJournal(path, rows, dropped);
  }

  /** Number of finished rows available for reuse. */
  get size(): number {
    return this.#rows.size;
  }

  /** The finished outcome of a cell and seed, if the journal has it. */
  finished(cell: Pick<Cell, "backbone" | "head" | "stage" | "seed">): JournalEntry | undefined {
    return this.#rows.get(rowKey(cell));
  }

  /** Appends a finished outcome (one line: the SHA-256 of its JSON, and the JSON). */
  async record(entry: JournalEntry): Promise<void> {
    const json = JSON.stringify({ row: entry.row, tsne: entry.tsne });
    const line = JSON.stringify({ sha256: await sha256Hex(text.encode(json)), entry: json });
    await host().appendBytes(this.path, text.encode(line + "\n"));
    this.#rows.set(rowKey(entry.row), entry);
  }

  /** Deletes the journal (the run's report is written), and its folder when no other run's journal is left in it. */
  async remove(): Promise<void> {
    await host().remove(this.path).catch(() => {});
    await host().remove(dirname(this.path)).catch(() => {});
  }
}

const entrySchema = z.object({ row: cellSchema, tsne: tsneSchema.nullable() }).strict();

/** The outcome of a journal line, or null when the line is damaged. */
async function verifiedEntry(line: string): Promise<JournalEntry | null> {
  try {
    const { sha256, entry } = JSON.parse(line);
    if (typeof entry !== "string" || sha256 !== await sha256Hex(text.encode(entry))) return null;
    const parsed = entrySchema.safeParse(JSON.parse(entry));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
