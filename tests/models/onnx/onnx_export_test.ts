/**
 * ONNX export and parity, registry-driven: every `*_tiny` backbone preset is exported with seeded weights (BatchNorm
 * statistics and per-channel vectors perturbed, `perturbState`) and run in onnxruntime-web (WASM EP) on seeded inputs
 * at batch 2 and batch 3 (the batch dimension is dynamic); the outputs must match the engine's eval-mode forward on
 * the reference backend within max |diff| ≤ 1e-4 × max |output| (`ONNX_PARITY_TOLERANCE`). Also: the model's
 * declared opset, input/output signature and node kinds; a trainer checkpoint (by its sidecar, and its tensor file
 * alone) exported through the CLI's `exportToFile` keeps parity with the checkpointed weights; bad input (unknown backbone, invalid options,
 * missing/corrupt/mismatched checkpoint, unwritable output, bad flags) is rejected with a clear error and exit code 2;
 * an unsupported kernel is named in the error.
 */
import assert from "node:assert";
import * as ort from "onnxruntime-web";
import onnxProto from "onnx-proto";
import { RecordingBackend } from "../../../src/backends/recording/backend.ts";
import { ReferenceBackend } from "../../../src/backends/reference/backend.ts";
import { Rng } from "../../../src/core/rng.ts";
import type { Tensor } from "../../../src/core/tensor.ts";
import { directoryStore } from "../../../src/train/directory_store.ts";
import { ExportInputError, exportToFile, main, parseExportArgs } from "../../../src/cli/export.ts";
import { Backbone } from "../../../src/models/backbones/backbone.ts";
import { backbones } from "../../../src/models/mod.ts";
import type { RepVggBackbone } from "../../../src/models/backbones/repvgg.ts";
import { exportBackboneOnnx } from "../../../src/models/onnx/export.ts";
import { ONNX_OPSET } from "../../../src/models/onnx/graph.ts";
import { OnnxExportError } from "../../../src/models/onnx/lowering.ts";
import { ONNX_PARITY_TOLERANCE, onnxParity, perturbState } from "../../../src/models/onnx/parity.ts";
import { logSoftmax, reshape, zeros } from "../../../src/ops/mod.ts";
import { type CheckpointState, saveCheckpoint } from "../../../src/train/checkpoint.ts";
import { readTensors } from "../../../src/train/weight_hash.ts";
import { withTempDir } from "../../_util/temp_files.ts";

ort.env.wasm.numThreads = 1;
const { onnx } = onnxProto;
const backend = new RecordingBackend(new ReferenceBackend());

/** A seeded, perturbed tiny preset on the recorder. */
async function tinyModel(name: string, seed = 1): Promise<Backbone> {
  const model = backbones.get(name).create({}, { backend, rng: new Rng(seed, "init") });
  await perturbState(model, new Rng(seed, "perturb"));
  return model;
}

const tiny = backbones.list("*_tiny");

Deno.test("every family has a tiny preset to export", () => {
  assert.ok(tiny.length >= 15, `only ${tiny.length} tiny presets`);
});

for (const entry of tiny) {
  Deno.test(`${entry.name}: ONNX export matches the eval forward at batch 2 and 3`, async () => {
    const model = await tinyModel(entry.name);
    try {
      const exported = await exportBackboneOnnx(model, backend, entry.name);
      for (const [batch, seed] of [[2, 3], [3, 4]]) {
        const parity = await onnxParity(exported.bytes, model, batch, new Rng(seed, "input"));
        assert.deepStrictEqual(parity.onnxShape, [batch, model.embeddingSize]);
        assert.ok(parity.maxAbs > 0, "all-zero output");
        assert.ok(
          parity.relative <= ONNX_PARITY_TOLERANCE,
          `batch ${batch}: max |diff| ${parity.maxAbsDiff} = ${parity.relative} × max |output| ${parity.maxAbs}`,
        );
      }
    } finally {
      model.dispose();
    }
  });
}

Deno.test("exported model: opset, dynamic-batch NCHW input, embedding output, BatchNorm kept, no dropout", async () => {
  const model = await tinyModel("ir_tiny");
  try {
    const { bytes } = await exportBackboneOnnx(model, backend, "ir_tiny");
    const decoded = onnx.ModelProto.decode(bytes);
    const graph = decoded.graph!;
    assert.deepStrictEqual(decoded.opsetImport.map((o) => [o.domain, Number(o.version)]), [["", ONNX_OPSET]]);
    const dims = (info: onnxProto.onnx.IValueInfoProto) =>
      info.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue));
    assert.deepStrictEqual(graph.input!.map((i) => [i.name, dims(i)]), [["input", ["N", 3, 112, 112]]]);
    assert.deepStrictEqual(graph.output!.map((o) => [o.name, dims(o)]), [["embedding", ["N", 512]]]);
    const ops = graph.node!.map((n) => n.opType);
    const batchNorms = model.buffers().filter((b) => b.path.endsWith("running_mean")).length;
    assert.strictEqual(ops.filter((op) => op === "BatchNormalization").length, batchNorms);
    assert.ok(!ops.includes("Dropout"));
    const [path, filter] = [...model.state()].find(([, t]) => t.shape.length === 4)!;
    const [kh, kw, ci, co] = filter.shape;
    const stored = graph.initializer!.find((t) => t.name === path);
    assert.deepStrictEqual(stored?.dims?.map(Number), [co, ci, kh, kw], `${path}: conv weights stored OIHW`);
  } finally {
    model.dispose();
  }
});

/** A backbone whose forward uses log_softmax, which has no ONNX lowering. */
class LogSoftmaxBackbone extends Backbone {
  readonly inputSize = 16;
  readonly embeddingSize = 768;
  forward(x: Tensor): Tensor {
    return logSoftmax(reshape(x, [x.shape[0], 768]));
  }
}

Deno.test("an unsupported kernel is named in the export error", async () => {
  await assert.rejects(
    () => exportBackboneOnnx(new LogSoftmaxBackbone(), backend, "log_softmax"),
    (error: Error) =>
      error instanceof OnnxExportError && /kernel "log_softmax" has no ONNX lowering/.test(error.message),
  );
});

/** A backbone whose reshape [N, 768] → [3, 256·N] splits the batch across two axes. */
class BatchSplittingBackbone extends Backbone {
  readonly inputSize = 16;
  readonly embeddingSize = 768;
  forward(x: Tensor): Tensor {
    const n = x.shape[0];
    return reshape(reshape(reshape(x, [n, 768]), [3, 256 * n]), [n, 768]);
  }
}

Deno.test("a reshape that splits the batch axis is refused", async () => {
  await assert.rejects(
    () => exportBackboneOnnx(new BatchSplittingBackbone(), backend, "split"),
    /kernel "reshape" \[2, 768\] → \[3, 512\] splits the batch axis 0/,
  );
});

/** Saves `model`'s state as a trainer checkpoint would (`backbone.` prefix, plus a head tensor) in `dir/step-1`. */
async function saveBackboneCheckpoint(dir: string, model: Backbone): Promise<string> {
  const entries = [...model.state()].map(([path, tensor]) => ({ path: `backbone.${path}`, tensor }));
  const head = { path: "head.weight", tensor: zeros(backend, [2, 512]) };
  const state: CheckpointState = {
    step: 1,
    schedule: { kind: "multistep", lr: 0.1 },
    optimizer: {},
    rng: [],
    sampler: null,
  };
  await saveCheckpoint(directoryStore(dir), "step-1", state, await readTensors([...entries, head]));
  head.tensor.dispose();
  return `${dir}/step-1`;
}

Deno.test("--reparameterize: a RepVGG training-form checkpoint exports folded, one Conv per block, with parity", async () => {
  await withTempDir(async (dir) => {
    const trained = await tinyModel("repvgg_tiny", 7);
    try {
      const checkpoint = await saveBackboneCheckpoint(dir, trained);
      const out = `${dir}/model.onnx`;
      const opsOf = async (reparameterize: boolean) => {
        await exportToFile({ backbone: "repvgg_tiny", checkpoint: `${checkpoint}.json`, out, reparameterize });
        const bytes = await Deno.readFile(out);
        const parity = await onnxParity(bytes, trained, 2, new Rng(5, "input"));
        assert.ok(parity.relative <= ONNX_PARITY_TOLERANCE, `reparameterize ${reparameterize}: ${parity.relative}`);
        return onnx.ModelProto.decode(bytes).graph!.node!.map((n) => n.opType ?? "");
      };
      const [training, folded] = [await opsOf(false), await opsOf(true)];
      const args = ["--backbone", "repvgg_tiny", "--out", out];
      assert.strictEqual(parseExportArgs([...args, "--reparameterize"]).reparameterize, true);
      assert.ok(!parseExportArgs(args).reparameterize);
      const count = (ops: string[], op: string) => ops.filter((o) => o === op).length;
      const blocks = (trained as RepVggBackbone).blocks().length;
      assert.strictEqual(count(folded, "Conv"), blocks);
      assert.strictEqual(count(training, "Conv"), 2 * blocks);
      assert.strictEqual(count(folded, "BatchNormalization"), 2, "only the output layer's BNs remain");
    } finally {
      trained.dispose();
    }
  });
});

Deno.test("a trainer checkpoint exported through the CLI function keeps parity with its weights", async () => {
  await withTempDir(async (dir) => {
    const trained = await tinyModel("mobilefacenet_tiny", 7);
    const fresh = backbones.get("mobilefacenet_tiny").create({}, { backend, rng: new Rng(0, "init") });
    try {
      const checkpoint = await saveBackboneCheckpoint(dir, trained);
      const out = `${dir}/model.onnx`;
      // the verified checkpoint (sidecar), and its tensor file read as it is
      for (const source of [`${checkpoint}.json`, `${checkpoint}.safetensors`]) {
        await exportToFile({ backbone: "mobilefacenet_tiny", checkpoint: source, out });
        const bytes = await Deno.readFile(out);
        const parity = await onnxParity(bytes, trained, 2, new Rng(5, "input"));
        assert.ok(parity.relative <= ONNX_PARITY_TOLERANCE, `${source}: relative diff ${parity.relative}`);
        const untrained = await onnxParity(bytes, fresh, 2, new Rng(5, "input"));
        assert.ok(untrained.relative > 0.01, `${source}: the export ignored the checkpoint`);
        await Deno.remove(out);
      }
    } finally {
      trained.dispose();
      fresh.dispose();
    }
  });
});

Deno.test("bad export input is rejected with a message naming it", async () => {
  await withTempDir(async (dir) => {
    const out = `${dir}/model.onnx`;
    const rejects = (request: Parameters<typeof exportToFile>[0], pattern: RegExp) =>
      assert.rejects(
        () => exportToFile(request),
        (e: Error) => e instanceof ExportInputError && pattern.test(e.message),
      );
    await rejects({ backbone: "ir_51", out }, /unknown backbone "ir_51"; known: .*ir_50.*mobilefacenet/);
    await rejects({ backbone: "ir_tiny", out, options: { inputSize: 100 } }, /inputSize/);
    await rejects({ backbone: "ir_tiny", out: `${dir}/missing/model.onnx` }, /cannot write .*missing/);
    await rejects({ backbone: "ir_tiny", checkpoint: `${dir}/step-9`, out }, /--checkpoint .*step-9.*cannot read/);
    const model = await tinyModel("ir_tiny");
    try {
      const checkpoint = await saveBackboneCheckpoint(dir, model);
      await rejects(
        { backbone: "mobilefacenet_tiny", checkpoint, out },
        /--checkpoint .*step-1: .*tensor "backbone\.[^"]+" is missing/,
      );
      const weights = await Deno.readFile(`${checkpoint}.safetensors`);
      weights[weights.length - 1] ^= 0xff;
      await Deno.writeFile(`${checkpoint}.safetensors`, weights);
      await rejects({ backbone: "ir_tiny", checkpoint, out }, /SHA-256/);
    } finally {
      model.dispose();
    }
    await assert.rejects(() => Deno.stat(out), Deno.errors.NotFound);
  });
  assert.throws(() => parseExportArgs(["--backbone", "ir_tiny"]), /--out is required/);
  assert.throws(
    () => parseExportArgs(["--backbone", "ir_tiny", "--out", "m.onnx", "--options", "{"]),
    /not valid JSON/,
  );
  assert.throws(() => parseExportArgs(["--bogus"]), ExportInputError);
  assert.strictEqual(await main(["--backbone", "nope", "--out", "m.onnx"]), 2);
});
