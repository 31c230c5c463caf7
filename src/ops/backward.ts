/**
 * Reverse-mode differentiation over the tape: `backward(loss)` walks the grad nodes that ops recorded on their
 * outputs in reverse topological order and applies each op's grad rule. Gradients are seeded, accumulated and
 * copied with ops (`fill`, `add`, `copy`), like everything else that computes.
 * @module
 */
import { keep, scope } from "../core/scope.ts";
import { formatShape, sameShape } from "../core/shape.ts";
import { noGrad } from "../core/tape.ts";
import type { GradNode, Tensor } from "../core/tensor.ts";
import { add } from "./add.ts";
import { copy } from "./copy.ts";
import { ones } from "./create.ts";

function topologicalNodes(root: Tensor): GradNode[] {
  const order: GradNode[] = [];
  const visited = new Set<GradNode>();
  const stack: [GradNode, boolean][] = root.node ? [[root.node, false]] : [];
  while (stack.length > 0) {
    const [node, expanded] = stack.pop()!;
    if (expanded) {
      order.push(node);
      continue;
    }
    if (visited.has(node)) continue;
    visited.add(node);
    stack.push([node, true]);
    for (const input of node.inputs) {
      if (input.node && !visited.has(input.node)) stack.push([input.node, false]);
    }
  }
  return order;
}

/**
 * Backpropagates from `loss`. Leaves with `requiresGrad` receive (accumulate into) `.grad`, which is kept
 * outside every scope; intermediate gradients are freed as soon as they are used.
 * @param loss a tensor on the tape; a one-element tensor unless `seed` is given
 * @param seed gradient of the loss (default 1)
 */
export function backward(loss: Tensor, seed?: Tensor): void {
  if (!loss.requiresGrad) {
    throw new Error(`backward: ${loss} does not require a gradient (no input of its ops required one)`);
  }
  if (!seed && loss.size !== 1) {
    throw new Error(`backward: loss must have one element without a seed gradient, got ${formatShape(loss.shape)}`);
  }
  const grads = new Map<Tensor, Tensor>();
  const addGrad = (t: Tensor, g: Tensor) => {
    if (!sameShape(t.shape, g.shape)) {
      throw new Error(`backward: gradient of shape ${formatShape(g.shape)} for ${t} (op ${t.node?.op ?? "leaf"})`);
    }
    const prev = grads.get(t);
    if (!prev) {
      grads.set(t, g);
      return;
    }
    grads.set(t, add(prev, g));
    prev.dispose();
    g.dispose();
  };
  noGrad(() => {
    grads.set(loss, seed ? copy(seed) : ones(loss.backend, loss.shape));
    const nodes = topologicalNodes(loss);
    for (let i = nodes.length - 1; i >= 0; i--) {
      const node = nodes[i];
      const outGrads = node.outputs.map((o) => grads.get(o) ?? null);
      if (outGrads.every((g) => g === null)) continue;
      // a grad rule's intermediates (reshapes, partial products) are freed as soon as it returns
      const inGrads = scope(() => node.backward(outGrads));
      // A grad rule may return an output gradient itself, or one tensor for two inputs: every use but the last
      // gets a copy, so that every gradient on the tape has exactly one owner. The last use of an output gradient
      // takes it over, since the node's output gradients are dropped here anyway.
      const pending: [Tensor, Tensor][] = [];
      node.inputs.forEach((input, k) => {
        const g = inGrads[k];
        if (g && input.requiresGrad) pending.push([input, g]);
      });
      const owned = pending.map(([, g], j) => pending.slice(j + 1).some(([, later]) => later === g) ? copy(g) : g);
      for (const g of inGrads) {
        if (g && !owned.includes(g) && !outGrads.includes(g)) g.dispose();
      }
      pending.forEach(([input], j) => addGrad(input, owned[j]));
      for (const o of node.outputs) {
        const g = grads.get(o);
        if (g && !owned.includes(g)) g.dispose();
        grads.delete(o);
      }
    }
    for (const [leaf, g] of grads) {
      if (leaf.grad) {
        const summed = add(leaf.grad, g);
        leaf.grad.dispose();
        g.dispose();
        leaf.grad = keep(summed);
      } else {
        leaf.grad = keep(g);
      }
    }
  });
}
