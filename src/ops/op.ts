/**
 * The single dispatch path of every op: validate → allocate outputs → run the backend kernel of the same name →
 * record a grad node when an input requires a gradient.
 * @module
 */
import type { DType, KernelAttrs, OpName } from "../core/kernels.ts";
import { formatShape, sameShape, ShapeError } from "../core/shape.ts";
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
  /**
   * Indices of the inputs the kernel overwrites in place with these attributes (optimizer updates, running
   * statistics); absent when it writes none. The dispatch records each such write ({@link Tensor.markWritten}).
   */
  writes?: (attrs: KernelAttrs[K]) => readonly number[];
}

/** The backend that every one of `tensors` lives on; throws on a disposed tensor or a mix of backends. */
function sharedBackend(op: OpName, tensors: readonly Tensor[], role: string): Tensor["backend"] {
  const backend = tensors[0]?.backend;
  for (const [i, t] of tensors.entries()) {
    if (t.disposed) throw new ShapeError(op, `${role} ${i}`, `was disposed before use`);
    if (t.backend !== backend) {
      throw new ShapeError(op, `${role} ${i}`, `lives on backend "${t.backend.name}", expected "${backend?.name}"`);
    }
  }
  if (!backend) throw new Error(`${op}: needs at least one ${role} tensor`);
  return backend;
}

/** Records the in-place writes the kernel of `spec` is about to make into `inputs` (and into `outputs`, if given). */
function markWrites<K extends OpName>(
  spec: OpSpec<K>,
  inputs: readonly Tensor[],
  attrs: KernelAttrs[K],
  outputs: readonly Tensor[] = [],
): void {
  for (const i of spec.writes?.(attrs) ?? []) inputs[i].markWritten();
  for (const o of outputs) o.markWritten();
}

/** Runs an op. This file is the only place outside the backends where kernels are invoked. */
export function runOp<K extends OpName>(spec: OpSpec<K>, inputs: readonly Tensor[], attrs: KernelAttrs[K]): Tensor[] {
  return runOpOn(sharedBackend(spec.name, inputs, "input"), spec, inputs, attrs);
}

/**
 * Runs an op into existing output tensors, which it overwrites (an in-place write, such as loading saved weights
 * into a model's parameters). The outputs must match the op's shape rule and live on the inputs' backend; nothing
 * is recorded on the tape, and each output's write is recorded ({@link Tensor.markWritten}).
 */
export function runOpInto<K extends OpName>(
  spec: OpSpec<K>,
  inputs: readonly Tensor[],
  outputs: readonly Tensor[],
  attrs: KernelAttrs[K],
): void {
  const backend = sharedBackend(spec.name, [...inputs, ...outputs], "operand");
  const specs = spec.outputs(inputs, attrs);
  if (specs.length !== outputs.length) {
    throw new Error(`${spec.name}: expected ${specs.length} outputs, got ${outputs.length}`);
  }
  specs.forEach((o, i) => {
    if (!sameShape(o.shape, outputs[i].shape) || o.dtype !== outputs[i].dtype) {
      throw new ShapeError(
        spec.name,
        `output ${i}`,
        `expected ${o.dtype} ${formatShape(o.shape)}, got ${outputs[i].dtype} ${formatShape(outputs[i].shape)}`,
      );
    }
  });
  markWrites(spec, inputs, attrs, outputs);
  backend.kernels[spec.name](inputs, outputs, attrs);
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
  markWrites(spec, inputs, attrs);
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

/**
 * Throws unless there is one input per name in `args`, each f32 and of the first input's shape (the in-place
 * optimizer updates: a parameter, its gradient and its state buffers).
 */
export function expectSameShapeF32(op: string, args: readonly string[], inputs: readonly Tensor[]): void {
  expectInputCount(op, inputs, args.length);
  inputs.forEach((t, i) => {
    expectDType(op, args[i], t, "f32");
    if (!sameShape(t.shape, inputs[0].shape)) {
      throw new ShapeError(op, args[i], `expected shape ${formatShape(inputs[0].shape)}, got ${formatShape(t.shape)}`);
    }
  });
}

/** Throws unless exactly `n` inputs were given. */
export function expectInputCount(op: string, inputs: readonly Tensor[], n: number): void {
  if (inputs.length !== n) throw new Error(`${op}: expected ${n} inputs, got ${inputs.length}`);
}
