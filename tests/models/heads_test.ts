/**
 * Registry-driven head tests: every head with logits gives [N, C] finite logits and applies its margin to the target
 * column only (a metric-learning head, tag "metric", gives no logits and a finite loss); the gradients of its
 * objective (Σ w·logits plus its extra loss) match finite differences (float64 reference backend); and — where it
 * has margins — it reduces to normalised softmax s·cos θ when they are 0. Golden forward values and gradients come
 * from tools/golden_heads.py (PyTorch).
 */
import assert from "node:assert";
import type { Backend } from "../../src/core/backend.ts";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { Rng } from "../../src/core/rng.ts";
import { scope } from "../../src/core/scope.ts";
import { noGrad } from "../../src/core/tape.ts";
import { backward } from "../../src/ops/backward.ts";
import type { Tensor } from "../../src/core/tensor.ts";
import { type Head, headObjective } from "../../src/models/heads/head.ts";
import { lowerMedian } from "../../src/models/heads/adacos.ts";
import type { SphereFaceHead } from "../../src/models/heads/sphereface.ts";
import { heads } from "../../src/models/mod.ts";
import { mul, reduceSum, tensor } from "../../src/ops/mod.ts";
import { backendCases, backendTest } from "../_util/backends.ts";
import { relativeError } from "../_util/op_case.ts";
import { hostCosines } from "./heads/_host_cosines.ts";

const f64 = new ReferenceBackend({ precision: "f64" });
const N = 4;
const D = 6;
const C = 3;
const LABELS = [0, 2, 1, 2];

function randomValues(seed: string, n: number, scale = 1): Float64Array {
  const rng = new Rng(hashOf(seed), "test-inputs");
  return Float64Array.from({ length: n }, () => rng.uniform(-scale, scale));
}

function hashOf(text: string): number {
  let h = 7;
  for (const ch of text) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h;
}

function makeHead(backend: Backend, name: string, options: Record<string, unknown> = {}): Head {
  return heads.get(name).create({ embeddingSize: D, numClasses: C, ...options }, { backend, rng: new Rng(3, "init") });
}

async function logitsOf(head: Head, backend: Backend, x: Float64Array, labels: number[]): Promise<Float64Array> {
  const xt = tensor(backend, x, [labels.length, D]);
  const lt = tensor(backend, labels, [labels.length], "i32");
  const out = noGrad(() => scope(() => head.forward(xt, lt).logits));
  if (out === null) throw new Error(`${head.constructor.name} gives no logits`);
  const values = Float64Array.from(await out.read());
  for (const t of [xt, lt, out]) t.dispose();
  return values;
}

/** Σ w·logits + the extra loss (a head's whole objective for the weights `w` [N, C]). */
function weightedObjective(head: Head, x: Tensor, labels: Tensor, w: Tensor): Tensor {
  return headObjective(head.forward(x, labels), (logits) => reduceSum(mul(logits, w)));
}

/** The objective's value for embeddings `x` (no gradient). */
async function objectiveOf(head: Head, backend: Backend, x: Float64Array, w: Float64Array): Promise<number> {
  const tensors = [tensor(backend, x, [N, D]), tensor(backend, LABELS, [N], "i32"), tensor(backend, w, [N, C])];
  const out = noGrad(() => scope(() => weightedObjective(head, tensors[0], tensors[1], tensors[2])));
  const value = await out.item();
  for (const t of [...tensors, out]) t.dispose();
  return value;
}

/** s·cos θ computed on the host, the margin-free reference. */
async function scaledCosines(head: Head, x: Float64Array, s: number): Promise<Float64Array> {
  return hostCosines(x, await head.state().get("weight")!.read(), N, D, C).map((v) => s * v);
}

/**
 * Heads whose gradient, like their PyTorch originals', skips a detached factor that depends on the input (ArcNegFace's
 * re-weighting, NPCFace's per-sample margin): finite differences see that dependence, so they are taken with options
 * that make the factor constant. Their exact gradients are checked against PyTorch in the golden tests below.
 */
const FROZEN_FACTOR: Readonly<Record<string, Record<string, unknown>>> = {
  arcnegface: { sigma: 1e12 },
  npcface: { m1: 0 },
};

for (const entry of heads.list()) {
  const name = entry.name;
  // Hard-negative heads re-weight non-target logits by comparing them with the target's: only there may a non-target
  // logit depend on the label. Stateful heads run in eval mode here, so their buffers stay fixed between calls.
  const hardNegative = entry.tags.includes("hard-negative");

  if (entry.tags.includes("metric")) {
    Deno.test(`head ${name}: gives no logits and a finite scalar loss`, async () => {
      const head = makeHead(f64, name);
      const x = tensor(f64, randomValues(name, N * D, 2), [N, D]);
      const labels = tensor(f64, LABELS, [N], "i32");
      const out = noGrad(() => head.forward(x, labels));
      assert.strictEqual(out.logits, null);
      assert.deepStrictEqual(out.extraLoss!.shape, []);
      assert.ok(Number.isFinite(await out.extraLoss!.item()));
      head.dispose();
    });
  } else {
    Deno.test(`head ${name}: logits are [N, C], finite, margined on the target column only`, async () => {
      const head = makeHead(f64, name);
      head.train(false);
      const x = randomValues(name, N * D, 2);
      const a = await logitsOf(head, f64, x, LABELS);
      const shifted = LABELS.map((y) => (y + 1) % C);
      const b = await logitsOf(head, f64, x, shifted);
      assert.strictEqual(a.length, N * C);
      assert.ok(a.every(Number.isFinite), `${name}: non-finite logits ${a}`);
      let targetsDiffer = 0;
      for (let n = 0; n < N; n++) {
        for (let c = 0; c < C; c++) {
          const i = n * C + c;
          if (c !== LABELS[n] && c !== shifted[n]) {
            if (hardNegative) continue;
            assert.ok(Math.abs(a[i] - b[i]) < 1e-9, `${name}: non-target logit [${n}, ${c}] depends on the label`);
          } else if (Math.abs(a[i] - b[i]) > 1e-6) targetsDiffer++;
        }
      }
      if (entry.tags.includes("margin")) assert.ok(targetsDiffer > 0, `${name}: the label changed no logit`);
      else assert.strictEqual(targetsDiffer, 0, `${name}: logits depend on the label`);
      head.dispose();
    });
  }

  const defaults = entry.parse({ numClasses: C });
  // A straight-through head's gradient is by design that of its margin-free twin (same init seed, same weights).
  const straightThrough = defaults.straightThrough === true;

  // In evaluation mode, so that heads with running state (center loss's centres) keep it across the evaluations.
  // A head tagged "detached" takes part of its forward value without gradient by design (circle loss's α weights),
  // so its gradient is not the derivative of its value; its own test checks it against finite differences with
  // those parts frozen, and the golden cases against PyTorch.
  if (!entry.tags.includes("detached")) {
    Deno.test(`head ${name}: gradients match finite differences (float64 reference)`, async () => {
      const head = makeHead(f64, name, FROZEN_FACTOR[name]);
      const fdHead = straightThrough ? makeHead(f64, name, { m1: 1, m2: 0, m3: 0 }) : head;
      for (const h of [head, fdHead]) {
        h.train(false);
        h.step(1000);
      }
      const x = randomValues(`${name}/grad`, N * D, 2);
      const w = randomValues(`${name}/loss`, N * C, 1).map((v) => v + 1.5);
      const loss = (xs: Float64Array): Promise<number> => objectiveOf(fdHead, f64, xs, w);
      const xt = tensor(f64, x, [N, D]);
      xt.requiresGrad = true;
      const lt = tensor(f64, LABELS, [N], "i32");
      scope(() => backward(weightedObjective(head, xt, lt, tensor(f64, w, [N, C]))));
      const h = 1e-6;
      const numericX = new Float64Array(x.length);
      for (let i = 0; i < x.length; i++) {
        const plus = x.slice(), minus = x.slice();
        plus[i] += h;
        minus[i] -= h;
        numericX[i] = ((await loss(plus)) - (await loss(minus))) / (2 * h);
      }
      const errX = relativeError(await xt.grad!.read(), numericX);
      assert.ok(errX < 1e-5, `${name}: embedding gradient off by ${errX}`);
      for (const p of head.parameters()) {
        const base = Float64Array.from(await p.tensor.read());
        const numeric = new Float64Array(base.length);
        const setParam = (values: Float64Array) => {
          const t = tensor(f64, values, p.tensor.shape);
          fdHead.load(new Map([[p.path, t]]), { strict: false });
          t.dispose();
        };
        for (let i = 0; i < base.length; i++) {
          const v = base.slice();
          v[i] += h;
          setParam(v);
          const plus = await loss(x);
          v[i] -= 2 * h;
          setParam(v);
          numeric[i] = (plus - (await loss(x))) / (2 * h);
        }
        setParam(base);
        const err = relativeError(await p.tensor.grad!.read(), numeric);
        assert.ok(err < 1e-5, `${name}: gradient of ${p.path} off by ${err}`);
      }
      for (const t of [xt, lt]) {
        t.grad?.dispose();
        t.dispose();
      }
      head.dispose();
      if (fdHead !== head) fdHead.dispose();
    });
  }

  if (["m1", "m2", "m3", "s"].every((k) => k in defaults)) {
    Deno.test(`head ${name}: zero margins give normalised softmax s·cos θ`, async () => {
      const oneCentre = "subCenters" in defaults ? { subCenters: 1 } : {};
      const head = makeHead(f64, name, { m1: 1, m2: 0, m3: 0, ...oneCentre });
      const x = randomValues(`${name}/plain`, N * D, 2);
      const got = await logitsOf(head, f64, x, LABELS);
      const want = await scaledCosines(head, x, defaults.s as number);
      assert.ok(relativeError(got, want) < 1e-9, `${name}: ${got} vs ${want}`);
      head.dispose();
    });
  }
}

/**
 * Logits (where the head has them), the objective Σ w·logits + extra loss, its gradients w.r.t. the embeddings and
 * every head parameter, then the head's buffers, after `steps` training steps on the same batch (only the last one
 * differentiated).
 */
async function forwardBackward(
  backend: Backend,
  name: string,
  options: Record<string, unknown> = {},
  steps = 1,
): Promise<number[][]> {
  const head = makeHead(backend, name, options);
  const x = tensor(backend, randomValues(`${name}/parity`, N * D, 2), [N, D]);
  x.requiresGrad = true;
  const labels = tensor(backend, LABELS, [N], "i32");
  const w = tensor(backend, randomValues(`${name}/parity-loss`, N * C, 1), [N, C]);
  for (let k = 0; k < steps - 1; k++) {
    head.step(k);
    noGrad(() => scope(() => void head.forward(x, labels)));
  }
  head.step(steps - 1);
  const outputs = scope(() => {
    const out = head.forward(x, labels);
    const objective = headObjective(out, (logits) => reduceSum(mul(logits, w)));
    backward(objective);
    return out.logits ? [out.logits, objective] : [objective];
  });
  const grads = [x, ...head.parameters().map((p) => p.tensor)].map((t) => t.grad!);
  const buffers = head.buffers().map((b) => b.tensor);
  const result = await Promise.all([...outputs, ...grads, ...buffers].map((t) => t.toArray()));
  for (const t of [x, labels, w, ...outputs, ...grads]) t.dispose();
  head.dispose();
  return result;
}

for (const bc of backendCases()) {
  backendTest(
    bc,
    `head subcenter_arcface, online drop after 2 steps: ${bc.label} matches reference`,
    async (backend) => {
      const drop = { dropAfterIteration: 2 };
      const want = await forwardBackward(new ReferenceBackend(), "subcenter_arcface", drop, 3);
      const got = await forwardBackward(backend, "subcenter_arcface", drop, 3);
      want.forEach((w, k) => {
        const err = relativeError(got[k], w);
        assert.ok(err <= bc.tolerance, `subcenter_arcface drop on ${bc.label}: output ${k} off by ${err}`);
      });
    },
  );
  for (const entry of heads.list()) {
    backendTest(bc, `head ${entry.name}: ${bc.label} matches reference (logits and gradients)`, async (backend) => {
      const want = await forwardBackward(new ReferenceBackend(), entry.name);
      const got = await forwardBackward(backend, entry.name);
      want.forEach((w, k) => {
        const err = relativeError(got[k], w);
        assert.ok(err <= bc.tolerance, `${entry.name} on ${bc.label}: output ${k} off by ${err}`);
      });
    });
  }
}

Deno.test("head sphereface: m = 1 gives ‖x‖·cos θ, and λ anneals as face.evoLVe", async () => {
  const head = makeHead(f64, "sphereface", { m: 1 }) as SphereFaceHead;
  const x = randomValues("sphere/m1", N * D, 2);
  const got = await logitsOf(head, f64, x, LABELS);
  const cosines = await scaledCosines(head, x, 1);
  const want = cosines.map((v, i) => {
    const n = Math.floor(i / C);
    return v * Math.hypot(...x.subarray(n * D, (n + 1) * D));
  });
  assert.ok(relativeError(got, want) < 1e-9, `${got} vs ${want}`);
  assert.ok(Math.abs(head.lambdaAt(0) - 1000 / 1.12) < 1e-9);
  head.step(9);
  assert.ok(Math.abs(head.status().lambda - 1000 / 2.2) < 1e-9);
  head.step(1e6);
  assert.strictEqual(head.status().lambda, 5);
  head.dispose();
});

interface GoldenHead {
  head: string;
  options: Record<string, unknown>;
  logits: number[];
  gradEmbeddings: number[];
  gradWeight: number[];
  /** tensors loaded besides weight and bias, by path */
  state?: Record<string, number[]>;
  /** embeddings replacing the shared ones */
  embeddings?: number[];
  /** the head's extra loss */
  extraLoss?: number;
  /** gradients of every trained parameter, by path */
  gradParams?: Record<string, number[]>;
  /** the head's own weight and its shape, where it is not the shared [C, D] one (sub-center ArcFace) */
  weight?: number[];
  weightShape?: number[];
}

/** One training step of a stateful head: its batch, outputs, and buffers after the step. */
interface GoldenStep {
  labels: number[];
  embeddings: number[];
  logits: number[];
  gradEmbeddings: number[];
  gradWeight: number[];
  state: Record<string, number[]>;
}

const golden = JSON.parse(await Deno.readTextFile(new URL("../../fixtures/golden/heads.json", import.meta.url)));

for (const backend of [f64, new ReferenceBackend()]) {
  const tolerance = backend === f64 ? 1e-9 : 1e-4;
  for (const g of golden.heads as GoldenHead[]) {
    const { iteration, ...options } = g.options;
    const label = `${g.head} ${JSON.stringify(g.options)}`;
    Deno.test(`head ${label}: matches PyTorch golden values (reference ${backend === f64 ? "f64" : "f32"})`, async () => {
      const { n, d, c } = golden.shapes;
      const head = heads.get(g.head).create({ embeddingSize: d, numClasses: c, ...options }, {
        backend,
        rng: new Rng(1, "init"),
      });
      const state = new Map<string, Tensor>([[
        "weight",
        tensor(backend, g.weight ?? golden.weight, g.weightShape ?? [c, d]),
      ]]);
      if (head.state().has("bias")) state.set("bias", tensor(backend, golden.bias, [c]));
      for (const [path, values] of Object.entries(g.state ?? {})) {
        state.set(path, tensor(backend, values, head.state().get(path)!.shape));
      }
      head.load(state, { strict: false });
      head.step((iteration as number | undefined) ?? 0);
      const x = tensor(backend, g.embeddings ?? golden.embeddings, [n, d]);
      x.requiresGrad = true;
      const labels = tensor(backend, golden.labels, [n], "i32");
      const lossWeights = tensor(backend, golden.lossWeights, [n, c]);
      const [logits, extraLoss] = scope(() => {
        const out = head.forward(x, labels);
        backward(headObjective(out, (z) => reduceSum(mul(z, lossWeights))));
        return [out.logits!, out.extraLoss ?? null];
      });
      const weight = head.state().get("weight")!;
      const errors: Record<string, number> = {
        logits: relativeError(await logits.read(), g.logits),
        gradEmbeddings: relativeError(await x.grad!.read(), g.gradEmbeddings),
        gradWeight: relativeError(await weight.grad!.read(), g.gradWeight),
      };
      for (const [path, want] of Object.entries(g.gradParams ?? {})) {
        errors[`grad ${path}`] = relativeError(await head.state().get(path)!.grad!.read(), want);
      }
      assert.strictEqual(extraLoss !== null, g.extraLoss !== undefined, `${label}: extra loss present or not`);
      if (extraLoss) errors.extraLoss = relativeError([await extraLoss.item()], [g.extraLoss!]);
      for (const [what, err] of Object.entries(errors)) {
        assert.ok(err < tolerance, `${label}: ${what} off by ${err} (tolerance ${tolerance})`);
      }
      for (const t of [...state.values(), x, x.grad!, labels, lossWeights, logits, ...(extraLoss ? [extraLoss] : [])]) {
        t.dispose();
      }
      head.dispose();
    });
  }
}

for (const backend of [f64, new ReferenceBackend()]) {
  const tolerance = backend === f64 ? 1e-9 : 1e-4;
  for (
    const g of golden
      .statefulHeads as (Omit<GoldenHead, "logits" | "gradEmbeddings" | "gradWeight"> & { steps: GoldenStep[] })[]
  ) {
    const precision = backend === f64 ? "f64" : "f32";
    const label = `${g.head} ${JSON.stringify(g.options)}`;
    Deno.test(`head ${label}: 3 training steps match PyTorch, state included (reference ${precision})`, async () => {
      const { n, d, c } = golden.shapes;
      const head = heads.get(g.head).create({ embeddingSize: d, numClasses: c, ...g.options }, {
        backend,
        rng: new Rng(1, "init"),
      });
      const weight = head.state().get("weight")!;
      const source = tensor(backend, g.weight ?? golden.weight, g.weightShape ?? [c, d]);
      head.load(new Map([["weight", source]]), { strict: false });
      source.dispose();
      for (const [k, step] of g.steps.entries()) {
        head.step(k);
        const x = tensor(backend, step.embeddings, [n, d]);
        x.requiresGrad = true;
        const labels = tensor(backend, step.labels, [n], "i32");
        const logits = scope(() => {
          const out = head.forward(x, labels).logits!;
          backward(reduceSum(mul(out, tensor(backend, golden.lossWeights, [n, c]))));
          return out;
        });
        const errors: Record<string, number> = {
          logits: relativeError(await logits.read(), step.logits),
          gradEmbeddings: relativeError(await x.grad!.read(), step.gradEmbeddings),
          gradWeight: relativeError(await weight.grad!.read(), step.gradWeight),
        };
        for (const [name, want] of Object.entries(step.state)) {
          errors[name] = relativeError(await head.state().get(name)!.read(), want);
        }
        for (const [what, err] of Object.entries(errors)) {
          assert.ok(err < tolerance, `${g.head} step ${k}: ${what} off by ${err} (tolerance ${tolerance})`);
        }
        for (const t of [x, x.grad!, labels, logits, weight.grad!]) t.dispose();
        weight.grad = null;
      }
      head.dispose();
    });
  }
}

Deno.test("head adacos: lowerMedian takes torch.median's lower middle value, ties included", async () => {
  const cases: [number[], number][] = [
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2],
    [[5, 5, 1, 9], 5],
    [[2, 2, 2, 2], 2],
    [[0.5], 0.5],
    [[7, 1, 1, 7, 3, 3], 3],
  ];
  for (const [values, want] of cases) {
    const v = tensor(f64, values, [values.length]);
    const median = lowerMedian(v);
    assert.deepStrictEqual(Array.from(await median.read()), [want], `median of ${values}`);
    for (const t of [v, median]) t.dispose();
  }
});

for (const name of ["adacos", "curricularface"]) {
  Deno.test(`head ${name}: the buffer moves in training mode and stays put in eval mode`, async () => {
    const head = makeHead(f64, name);
    const [path] = head.buffers().map((b) => b.path);
    const read = async () => Array.from(await head.state().get(path)!.read());
    const initial = await read();
    const x = randomValues(`${name}/buffer`, N * D, 2);
    head.train(false);
    await logitsOf(head, f64, x, LABELS);
    assert.deepStrictEqual(await read(), initial, `${name}: ${path} changed in eval mode`);
    head.train(true);
    await logitsOf(head, f64, x, LABELS);
    const once = await read();
    assert.notDeepStrictEqual(once, initial, `${name}: ${path} did not move in training mode`);
    await logitsOf(head, f64, x, LABELS);
    assert.notDeepStrictEqual(await read(), once, `${name}: ${path} did not move on the second step`);
    head.dispose();
  });
}

Deno.test("head adacos: starts at s = √2·ln(C − 1)", async () => {
  const head = makeHead(f64, "adacos");
  assert.ok(Math.abs((await head.state().get("s")!.read())[0] - Math.SQRT2 * Math.log(C - 1)) < 1e-12);
  head.dispose();
});
