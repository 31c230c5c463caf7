/**
 * The journal of a bench run: every finished cell row is appended to `<out>/.resume/<key>.jsonl` as soon as it
 * completes, so a run that is killed loses at most the cell in progress, and a re-run of the same command (same
 * preset after filters, seeds, backend, threads, mode, shard, dataset and git commit: together the key) reuses the
 * finished rows instead of training them again. Each line carries the SHA-256 of its row; a line that does not
 * parse, does not match its hash or fails the report schema (e.g. cut short by the kill) is dropped and its cell
 * trained again, as is a failed cell. The journal (and its folder, once empty) is removed when the report is written.
 * @module
 */
import { dirname, join } from "node:path";
import { sha256Hex } from "../core/sha256.ts";
import { type Cell, cellSchema } from "../report/schema.ts";

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

/** The finished rows of one run, on disk. */
export class CellJournal {
  readonly #rows: Map<string, Cell>;

  private constructor(
    /** the journal file */
    readonly path: string,
    rows: Map<string, Cell>,
    /** lines dropped on opening (damaged, or rows of failed cells) */
    readonly dropped: number,
  ) {
    this.#rows = rows;
  }

  /** Opens (or starts) the journal of the run `key` under `<outDir>/.resume/`. */
  static async open(outDir: string, key: JournalKey): Promise<CellJournal> {
    const dir = join(outDir, ".resume");
    await Deno.mkdir(dir, { recursive: true });
    const path = join(dir, `${(await sha256Hex(text.encode(JSON.stringify(key)))).slice(0, 24)}.jsonl`);
    const rows = new Map<string, Cell>();
    let dropped = 0;
    let content = "";
    try {
      content = await Deno.readTextFile(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw new Error(`cannot read ${path}: ${(error as Error).message}`);
    }
    for (const line of content.split("\n").filter((l) => l.trim() !== "")) {
      const row = await verifiedRow(line);
      if (row && row.error === null) rows.set(rowKey(row), row);
      else dropped++;
    }
    return new CellJournal(path, rows, dropped);
  }

  /** Number of finished rows available for reuse. */
  get size(): number {
    return this.#rows.size;
  }

  /** The finished row of a cell and seed, if the journal has it. */
  finished(cell: Pick<Cell, "backbone" | "head" | "stage" | "seed">): Cell | undefined {
    return this.#rows.get(rowKey(cell));
  }

  /** Appends a finished row (one line: its SHA-256 and the row). */
  async record(row: Cell): Promise<void> {
    const json = JSON.stringify(row);
    const line = JSON.stringify({ sha256: await sha256Hex(text.encode(json)), row: json });
    await Deno.writeTextFile(this.path, line + "\n", { append: true });
    this.#rows.set(rowKey(row), row);
  }

  /** Deletes the journal (the run's report is written), and its folder when no other run's journal is left in it. */
  async remove(): Promise<void> {
    await Deno.remove(this.path).catch(() => {});
    await Deno.remove(dirname(this.path)).catch(() => {});
  }
}

/** The row of a journal line, or null when the line is damaged. */
async function verifiedRow(line: string): Promise<Cell | null> {
  try {
    const { sha256, row } = JSON.parse(line);
    if (typeof row !== "string" || sha256 !== await sha256Hex(text.encode(row))) return null;
    const parsed = cellSchema.safeParse(JSON.parse(row));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
