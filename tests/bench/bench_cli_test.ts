/**
 * `deno task bench` as a user meets it: bad input exits 2 before anything trains (and writes no report), and a
 * run interrupted by SIGINT resumes from its journal on the next identical command, ending with the same weights
 * as the committed `ci-gate` baseline.
 */
import assert from "node:assert";
import { main } from "../../src/cli/bench.ts";

const root = new URL("../../", import.meta.url).pathname;
const ciGate = JSON.parse(await Deno.readTextFile(`${root}benchmarks/presets/ci-gate.json`));
const reportDirs = (out: string) => [...Deno.readDirSync(out)].filter((e) => e.isDirectory && e.name !== ".resume");

Deno.test("bench exit codes: bad input is 2 and found before the first cell trains", async () => {
  const out = await Deno.makeTempDir();
  try {
    assert.strictEqual(await main(["--preset", `${out}/missing.json`, "--out", out]), 2);
    const huge = `${out}/huge-batch.json`;
    await Deno.writeTextFile(huge, JSON.stringify({ ...ciGate, train: { ...ciGate.train, batchSize: 100_000 } }));
    assert.strictEqual(await main(["--preset", huge, "--out", out]), 2);
    const folds = `${out}/folds.json`;
    await Deno.writeTextFile(folds, JSON.stringify({ ...ciGate, eval: { folds: 100_000 } }));
    assert.strictEqual(await main(["--preset", folds, "--out", out]), 2);
    const otherBaseline = `${root}fixtures/baselines/quick.json`;
    assert.strictEqual(await main(["--preset", "ci-gate", "--out", out, "--check", otherBaseline]), 2);
    assert.strictEqual(await main(["--preset", "ci-gate", "--out", out, "--check", `${out}/none.json`]), 2);
    assert.strictEqual(await main(["--preset", "ci-gate", "--update-baseline", "--heads", "arcface", "--out", out]), 2);
    assert.strictEqual(await main(["--preset", "ci-gate", "--threads", "0"]), 2);
    assert.deepStrictEqual(reportDirs(out), [], "nothing was trained or written");
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test({
  name: "bench resume: SIGINT keeps the finished cells; the same command resumes and reproduces the baseline hashes",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const out = await Deno.makeTempDir();
    const args = ["run", "-A", `${root}src/cli/bench.ts`, "--preset", "ci-gate", "--out", out];
    try {
      const child = new Deno.Command(Deno.execPath(), { args, cwd: root, stdout: "piped", stderr: "piped" }).spawn();
      const output = Promise.all([child.stdout, child.stderr].map((s) => new Response(s).text()));
      const journalLines = () => {
        try {
          const [file] = [...Deno.readDirSync(`${out}/.resume`)].filter((e) => e.name.endsWith(".jsonl"));
          return Deno.readTextFileSync(`${out}/.resume/${file.name}`).split("\n").filter((l) => l).length;
        } catch {
          return 0;
        }
      };
      const deadline = Date.now() + 300_000;
      while (journalLines() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      assert.strictEqual(journalLines(), 1, "the first cell's row is in the journal");
      child.kill("SIGINT");
      const status = await child.status;
      const [, stderr] = await output;
      assert.strictEqual(status.code, 130);
      assert.match(stderr, /SIGINT: stopped\. 1 finished cell row\(s\) are kept in .*run the same command again/);
      assert.deepStrictEqual(reportDirs(out), []);
      const baseline = `${root}fixtures/baselines/ci-gate.json`;
      const again = await new Deno.Command(Deno.execPath(), {
        args: [...args, "--check", baseline],
        cwd: root,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stdout = new TextDecoder().decode(again.stdout);
      assert.strictEqual(again.code, 0, stdout + new TextDecoder().decode(again.stderr));
      assert.match(stdout, /resuming: 1 finished cell row\(s\) in .* are reused/);
      assert.match(stdout, /× arcface \(seed 1337\): accuracy .* \[reused from the journal\]/);
      assert.match(stdout, /done: 2 cell row\(s\) ok, 0 failed, in .*; most accurate: mobilefacenet_tiny\//);
      assert.match(stdout, /regression check: PASS/);
      assert.throws(() => Deno.statSync(`${out}/.resume`), Deno.errors.NotFound, "the journal goes with the report");
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});

/** The weight hash of the only cell row in the report under `out`. */
function cellHash(out: string): string {
  const [dir] = reportDirs(out);
  const report = JSON.parse(Deno.readTextFileSync(`${out}/${dir.name}/report.json`));
  assert.strictEqual(report.cells.length, 1);
  return report.cells[0].weightHash;
}

Deno.test({
  name: "bench resume: a cell stopped after its first checkpoint resumes from it, to the uninterrupted run's weights",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const out = await Deno.makeTempDir();
    try {
      // ci-gate with two epochs of one cell, checkpointed after each epoch
      const preset = { ...ciGate, $schema: undefined, name: "resume-cell", heads: ["arcface"], cross: null };
      preset.train = { ...ciGate.train, epochs: 2, checkpointEveryEpochs: 1, evalEveryEpochs: 2 };
      await Deno.writeTextFile(`${out}/resume-cell.json`, JSON.stringify(preset));
      const args = (
        dir: string,
      ) => ["run", "-A", `${root}src/cli/bench.ts`, "--preset", `${out}/resume-cell.json`, "--out", dir];
      const checkpointed = () => {
        try {
          return [...Deno.readDirSync(`${out}/a/.resume`)].filter((e) => e.name.endsWith(".checkpoints")).some((e) =>
            [...Deno.readDirSync(`${out}/a/.resume/${e.name}`)].some((cell) =>
              [...Deno.readDirSync(`${out}/a/.resume/${e.name}/${cell.name}`)].some((f) => f.name.endsWith(".json"))
            )
          );
        } catch {
          return false;
        }
      };
      const child = new Deno.Command(Deno.execPath(), {
        args: args(`${out}/a`),
        cwd: root,
        stdout: "null",
        stderr: "null",
      })
        .spawn();
      const deadline = Date.now() + 600_000;
      while (!checkpointed() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.ok(checkpointed(), "the cell wrote its first-epoch checkpoint");
      child.kill("SIGINT");
      assert.strictEqual((await child.status).code, 130);
      const resumed = await new Deno.Command(Deno.execPath(), { args: args(`${out}/a`), cwd: root }).output();
      const stdout = new TextDecoder().decode(resumed.stdout);
      assert.strictEqual(resumed.code, 0, stdout + new TextDecoder().decode(resumed.stderr));
      assert.match(stdout, /resuming: models in training continue from their checkpoints/);
      const fresh = await new Deno.Command(Deno.execPath(), { args: args(`${out}/b`), cwd: root }).output();
      assert.strictEqual(fresh.code, 0, new TextDecoder().decode(fresh.stderr));
      assert.strictEqual(cellHash(`${out}/a`), cellHash(`${out}/b`));
      assert.throws(() => Deno.statSync(`${out}/a/.resume`), Deno.errors.NotFound, "checkpoints go with the report");
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});
