/**
 * The single dispatch path of every op: validate → allocate outputs → run the backend kernel of the same name →
 * record a grad node when an input requires a gradient.
 * @module
 */
import type { DType, KernelAttrs, OpName } from "../core/kernels.ts";
import { formatShape, ShapeError } from "../core/shape.ts";
import { isGradEnabled } from "../core/tape.ts";
import { Tensor } from "../core/tensor.ts";

/** Shape and dtype of one op output. */
export interface OutputSpec {
  /** Output dimensions. */
  shape: readonly number[];
  /** Output element type. */
  dtype: DType;
}

/** What a grad rule sees: the op's inputs, outputs, attributes and the incoming output gradients. */
export interface GradContext<K extends OpName> {
  /** Op inputs, in call order. */
  inputs: readonly Tensor[];
  /** Op outputs. */
  outputs: readonly Tensor[];
  /** Kernel attributes the op ran with. */
  attrs: KernelAttrs[K];
  /** Gradient of each output; null where that output received none. */
  grads: readonly (Tensor | null)[];
}

/** Definition of one op: its shape rule and, if differentiable, its grad rule written with other ops. */
export interface OpSpec<K extends OpName> {
  /** Op name; equals the backend kernel name. */
  name: K;
  /** Validates inputs (throwing {@link ShapeError}) and returns the output shapes and dtypes. */
  outputs(inputs: readonly Tensor[], attrs: KernelAttrs[K]): OutputSpec[];
  /** Gradients of the inputs (null for non-differentiable inputs); absent when the op has no gradient. */
  grad?: (ctx: GradContext<K>) => (Tensor | null)[];
}

/** Runs an op: the only place where kernels are invoked for ops. */
export function runOp<K extends OpName>(spec: OpSpec<K>, inputs: readonly Tensor[], attrs: KernelAttrs[K]): Tensor[] {
  const backend = inputs[0]?.backend;
  for (const [i, t] of inputs.entries()) {
    if (t.disposed) throw new ShapeError(spec.name, `input ${i}`, `was disposed before use`);
    if (t.backend !== backend) {
      throw new ShapeError(
        spec.name,
        `input ${i}`,
        `lives on backend "${t.backend.name}", expected "${backend?.name}"`,
      );
    }
  }
  if (!backend) throw new Error(`${spec.name}: needs at least one input tensor`);
  return runOpOn(backend, spec, inputs, attrs);
}

/** Runs an op on an explicit backend (ops without tensor inputs, such as `fill`). */
export function runOpOn<K extends OpName>(
  backend: Tensor["backend"],
  spec: OpSpec<K>,
  inputs: readonly Tensor[],
  attrs: KernelAttrs[K],
): Tensor[] {
  const specs = spec.outputs(inputs, attrs);
  const outputs = specs.map((o) =>
    new Tensor(backend, backend.allocate(o.dtype, o.shape.reduce((a, b) => a * b, 1)), o.shape, o.dtype)
  );
  backend.kernels[spec.name](inputs, outputs, attrs);
  const grad = spec.grad;
  if (grad && isGradEnabled() && inputs.some((t) => t.requiresGrad)) {
    const node = {
      op: spec.name,
      inputs,
      outputs,
      backward: (grads: readonly (Tensor | null)[]) => grad({ inputs, outputs, attrs, grads }),
    };
    for (const o of outputs) {
      if (o.dtype === "f32") {
        o.requiresGrad = true;
        o.node = node;
      }
    }
  }
  return outputs;
}

/** Throws unless `t` has the expected dtype. */
export function expectDType(op: string, arg: string, t: Tensor, dtype: DType): void {
  if (t.dtype !== dtype) {
    throw new ShapeError(op, arg, `expected dtype ${dtype}, got ${t.dtype} (shape ${formatShape(t.shape)})`);
  }
}

/** Throws unless exactly `n` inputs were given. */
export function expectInputCount(op: string, inputs: readonly Tensor[], n: number): void {
  if (inputs.length !== n) throw new Error(`${op}: expected ${n} inputs, got ${inputs.length}`);
}
