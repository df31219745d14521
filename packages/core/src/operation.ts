// Operation: MyGrad's two-method op contract (forward saves what backward needs; backwardVar returns the
// gradient for one input), plus the types that tie op ids, attrs and fused kernels together.
import type { Tensor } from './tensor.js';

/**
 * Op id → attrs type, filled in by declaration merging, so `executeOp` and `registerKernel` check attrs with
 * no casts. Core's ops, `@mg/activations` and third-party plugins all augment it the same way:
 *
 * @example
 * ```typescript
 * declare module '@mg/core' {
 *   interface OpAttrs { 'acme.swish': { beta: number } }
 * }
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by declaration merging
export interface OpAttrs {}

/** A registered op id (namespaced, e.g. `mg.add`, `acme.swish`). */
export type OpId = keyof OpAttrs & string;

/**
 * The base class of every differentiable op. `executeOp` creates one instance per call, sets `variables` and
 * `attrs`, calls `forward` with graph recording off, and during back-propagation calls `backwardVar` for each
 * non-constant input. The engine, not the op, sums gradients over broadcast dimensions, skips constant inputs,
 * casts to the input's dtype and accumulates. Write `backwardVar` with public mg ops.
 *
 * @example
 * ```ts
 * import { Operation, executeOp, multiply, exp, type Tensor } from '@mg/core';
 * class Exp2x extends Operation {
 *   static readonly id = 'demo.exp2x';
 *   private out!: Tensor;
 *   forward([x]: readonly Tensor[]) {
 *     this.out = exp(multiply(x!, 2));
 *     return this.out;
 *   }
 *   backwardVar(grad: Tensor) {
 *     return multiply(grad, multiply(this.out, 2));
 *   }
 * }
 * const x = tensor([0, 1]);
 * const y = executeOp(Exp2x, [x]);
 * y.backward();
 * x.grad?.toArray(); // [2, 14.7781121978613]
 * ```
 */
export abstract class Operation<A = {}> {
  /** The input tensors, in order (non-tensor inputs arrive as constant tensors). */
  variables: readonly Tensor[] = [];
  /** The op's non-tensor parameters. */
  attrs!: A;
  /** Computes the output from the inputs; runs with graph recording off. */
  abstract forward(inputs: readonly Tensor[], attrs: A): Tensor;
  /** ∂ℒ/∂variables[index], given `grad` = ∂ℒ/∂output. May have the output's (broadcast) shape. */
  abstract backwardVar(grad: Tensor, index: number): Tensor;
}

/** An Operation subclass with its id: what `executeOp` and `registerOp` take. */
export interface OpClass<A = unknown> {
  readonly id: string;
  readonly name: string;
  new (): Operation<A>;
}

/**
 * A fused kernel for one (op, backend): a forward that returns the output and whatever its backward reuses
 * (`saved`), and the matching backward. Both run with graph recording off.
 */
export interface FusedKernel<A = unknown, S = unknown> {
  forward(inputs: readonly Tensor[], attrs: A): { output: Tensor; saved: S };
  backwardVar(grad: Tensor, index: number, saved: S, inputs: readonly Tensor[], attrs: A): Tensor;
}
