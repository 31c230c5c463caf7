import assert from "node:assert";
import { baselineTarget, checkWritable } from "../../src/bench/run_options.ts";
import { maxThreads, parseBenchArgs, UsageError } from "../../src/cli/bench_args.ts";

Deno.test("bench args: numbers out of range, unknown backends and stray options are refused before anything runs", () => {
  const refused = (args: string[], message: RegExp) => assert.throws(() => parseBenchArgs(args), message);
  refused(["--threads", "0"], /--threads: expected an integer from 1 to \d+, got "0"/);
  refused(["--threads", String(maxThreads() + 1)], /--threads: expected an integer from 1/);
  refused(["--threads", "2.5"], /--threads/);
  refused(["--seed", "4294967296"], /--seed: expected an integer from 0 to 4294967295, got "4294967296"/);
  refused(["--seed", "-1"], /--seed/);
  refused(["--seeds", "0"], /--seeds: expected an integer from 1 to 100/);
  refused(["--backend", "cuda"], /--backend: unknown backend "cuda" \(known: .*wasm/);
  refused(["--mode", "turbo"], /--mode: expected deterministic or fast/);
  refused(["--shard", "3/2"], /shard/);
  refused(["--baseline-out", "x.json"], /--baseline-out: only with --update-baseline/);
  for (const args of [["--threads", "0"], ["--shard", "0/1"], ["--backend", "x"]]) {
    assert.throws(() => parseBenchArgs(args), UsageError);
  }
  const ok = parseBenchArgs(["--threads", "1", "--seed", "4294967295", "--seeds", "3", "--backend", "wasm"]);
  assert.deepStrictEqual([ok.threads, ok.seed, ok.seeds, ok.backend, ok.preset], [1, 4294967295, 3, "wasm", "quick"]);
});

Deno.test("bench args: --update-baseline writes a committed baseline only for the committed preset as committed", () => {
  const target = (args: string[]) => baselineTarget(parseBenchArgs(["--update-baseline", ...args]), "ci-gate");
  assert.strictEqual(target(["--preset", "ci-gate"]), "fixtures/baselines/ci-gate.json");
  assert.throws(
    () => target(["--preset", "/tmp/elsewhere/ci-gate.json"]),
    /--update-baseline refused: fixtures\/baselines\/ci-gate.json .* a preset file \(\/tmp\/elsewhere\/ci-gate.json\); give --baseline-out PATH/,
  );
  assert.throws(() => target(["--preset", "ci-gate", "--heads", "arcface"]), /this run has --heads/);
  assert.throws(() => target(["--preset", "ci-gate", "--seed", "7", "--threads", "1"]), /--threads, --seed/);
  assert.throws(() => target(["--preset", "ci-gate", "--train", "a.rec", "--eval", "lfw.bin"]), /has --train, --eval/);
  assert.strictEqual(target(["--preset", "ci-gate", "--heads", "arcface", "--baseline-out", "b.json"]), "b.json");
});

Deno.test("bench args: an output folder that cannot be written is refused with its path", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await checkWritable(`${dir}/new/reports`);
    await Deno.writeTextFile(`${dir}/file`, "");
    await assert.rejects(checkWritable(`${dir}/file/reports`), /--out .*\/file\/reports: cannot write there/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bench args: --backends lists known backends (wasm-fast included), once each, never with --backend", () => {
  const refused = (args: string[], message: RegExp) => assert.throws(() => parseBenchArgs(args), message);
  refused(["--backends", "wasm,cuda"], /--backends: unknown backend\(s\) "cuda" \(known: .*wasm-fast/);
  refused(["--backends", "wasm"], /--backends: a comparison needs at least two backends/);
  refused(["--backends", "wasm,webgpu,wasm"], /--backends: backend "wasm" is listed twice/);
  refused(["--backends", "wasm,webgpu", "--backend", "wasm"], /--backend and --backends: give one/);
  assert.throws(() => parseBenchArgs(["--backends", "x,y"]), UsageError);
  assert.deepStrictEqual(parseBenchArgs(["--backends", "wasm, wasm-fast"]).backends, ["wasm", "wasm-fast"]);
  assert.strictEqual(parseBenchArgs([]).backends, undefined);
});

Deno.test("bench args: --keep-models is off unless given", () => {
  assert.strictEqual(parseBenchArgs([]).keepModels, false);
  assert.strictEqual(parseBenchArgs(["--keep-models"]).keepModels, true);
  assert.throws(() => parseBenchArgs(["--keep-models=yes"]), /keep-models/);
});
