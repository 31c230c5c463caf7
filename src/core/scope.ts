/**
 * Memory scopes: `scope(fn)` frees every tensor created inside `fn` that is neither returned nor kept.
 *
 * Returned tensors (found in arrays and plain objects of the result) move to the enclosing scope. Kept tensors
 * (parameters, gradients, optimizer state) are never freed by a scope. Scopes nest; async scopes must not
 * interleave with each other (run one training step at a time).
 * @module
 */
import type { Tensor } from "./tensor.ts";

const stack: Set<Tensor>[] = [];

/** Registers a new tensor with the innermost scope (called by the Tensor constructor). */
export function trackTensor(t: Tensor): void {
  stack[stack.length - 1]?.add(t);
}

/** Marks a tensor as kept: no scope will free it. Returns the tensor. */
export function keep<T extends Tensor>(t: T): T {
  t.kept = true;
  for (const s of stack) s.delete(t);
  return t;
}

function collectTensors(value: unknown, found: Set<Tensor>, seen = new Set<unknown>()): void {
  if (value === null || typeof value !== "object" || seen.has(value)) return;
  seen.add(value);
  if ("storage" in value && "backend" in value && "shape" in value) {
    found.add(value as Tensor);
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) collectTensors(v, found, seen);
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collectTensors(v, found, seen);
  }
}

function closeScope(result: unknown): void {
  const created = stack.pop()!;
  const returned = new Set<Tensor>();
  collectTensors(result, returned);
  const parent = stack[stack.length - 1];
  for (const t of created) {
    if (returned.has(t)) parent?.add(t);
    else if (!t.kept) t.dispose();
  }
}

/** Runs `fn` in a new scope and frees its intermediates. */
export function scope<T>(fn: () => T): T {
  stack.push(new Set());
  let result: T | undefined;
  try {
    result = fn();
    return result;
  } finally {
    closeScope(result);
  }
}

/** Async variant of {@link scope}; do not run two async scopes concurrently. */
export async function scopeAsync<T>(fn: () => Promise<T>): Promise<T> {
  stack.push(new Set());
  let result: T | undefined;
  try {
    result = await fn();
    return result;
  } finally {
    closeScope(result);
  }
}
