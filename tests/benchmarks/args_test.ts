/**
 * The benchmark scripts' command lines (`benchmarks/_args.ts`): each script prints its usage for `--help` and exits 0,
 * and rejects an unknown option, a malformed number or an unknown choice with a message naming the option and exit
 * status 2 — never an uncaught stack trace. Runs each script as a child process; none gets as far as measuring.
 */
import assert from "node:assert";
import { someOf } from "../../benchmarks/_args.ts";

const SCRIPTS = [
  "eval_batch_bits",
  "family_throughput",
  "heap_across_models",
  "kernels_bench",
  "onnx_parity",
  "onnx_speed",
  "stream_memory",
  "train_profile",
  "winograd_bench",
];

/** Exit code and output of `deno run -A benchmarks/<script>.ts ...args`. */
async function run(script: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const path = new URL(`../../benchmarks/${script}.ts`, import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), { args: ["run", "-A", "--no-check", path, ...args] }).output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

for (const script of SCRIPTS) {
  Deno.test(`benchmarks/${script}.ts: --help prints the usage; an unknown option exits 2 naming it`, async () => {
    const help = await run(script, "--help");
    assert.strictEqual(help.code, 0, help.stderr);
    assert.match(help.stdout, new RegExp(`^Usage: deno run -A benchmarks/${script}\\.ts`));
    const bad = await run(script, "--no-such-option");
    assert.strictEqual(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /Unknown option '--no-such-option'/);
    assert.doesNotMatch(bad.stderr, /Uncaught|at file:/);
  });
}

Deno.test("benchmark options: a malformed number or an unknown choice exits 2 naming the option", async () => {
  const cases: [string, string[], RegExp][] = [
    ["onnx_speed", ["--batches", "1,x"], /--batches: expected a whole number ≥ 1, got "x"/],
    ["onnx_speed", ["--backbones", "no_such_net"], /--backbones no_such_net matches no registered backbone/],
    ["onnx_speed", ["--settle", "2.5"], /--settle: expected a whole number ≥ 0, got "2.5"/],
    ["onnx_speed", ["--peer-isa", "native,avx512"], /--peer-isa: expected one of native, avx2, got "avx512"/],
    ["kernels_bench", ["--table", "--peer-isa", "sse"], /--peer-isa: expected one of native, avx2, got "sse"/],
    ["kernels_bench", ["--table", "--models", "ir_50,resnet"], /--models: expected one of mobilefacenet, ir_50, vit_t/],
    ["train_profile", ["--winograd", "3x3"], /--winograd: expected one of auto, 2x2, off, got "3x3"/],
    ["heap_across_models", ["--steps", "0"], /--steps: expected a whole number ≥ 1, got "0"/],
    ["eval_batch_bits", ["--batch", "1"], /--batch: expected a whole number ≥ 2, got "1"/],
    ["eval_batch_bits", ["--backend", "cuda"], /--backend: expected one of .*wasm.*, got "cuda"/],
  ];
  for (const [script, args, message] of cases) {
    const result = await run(script, ...args);
    assert.strictEqual(result.code, 2, `${script} ${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.doesNotMatch(result.stderr, /Uncaught|at file:/);
  }
});

Deno.test("someOf keeps the choices in the order given, each once", () => {
  assert.deepStrictEqual(someOf(" avx2,native,avx2", "--peer-isa", ["native", "avx2"]), ["avx2", "native"]);
  assert.deepStrictEqual(someOf("native", "--peer-isa", ["native", "avx2"]), ["native"]);
});

Deno.test("benchmarks/eval_batch_bits.ts: a tiny preset embeds an image with the same bits alone and in a batch", async () => {
  const result = await run("eval_batch_bits", "--backbones", "ir_tiny", "--threads", "1");
  assert.strictEqual(result.code, 0, result.stderr);
  assert.match(result.stdout, /\| ir_tiny \| 0 of 512 \| 0\.00e\+0 \|/);
  assert.match(result.stdout, /0 of 1 backbone\(s\) embed an image differently/);
});
