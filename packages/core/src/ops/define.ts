// Factories that turn a forward kernel call and a gradient formula into an Operation class plus its public
// function, so each element-wise op is one table entry instead of a hand-written class.

import type { BinaryOp, UnaryOp } from '../backend.js';
import { type DType, floatResult } from '../dtype.js';
import { executeOp } from '../engine.js';
import { MgValueError } from '../errors.js';
import { Operation, type OpId } from '../operation.js';
import { registerOp } from '../registry.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { binaryKernel, castTo, computeDType, unaryKernel } from './kernel.js';

/** The options every differentiable function takes. */
export interface OpOptions {
  /** Force the output to be (or not be) a constant; default: constant iff every input is. */
  constant?: boolean | null;
}

/** A public element-wise function of one tensor. */
export type UnaryFunction = (x: TensorLike, options?: OpOptions) => Tensor;
/** A public element-wise function of two tensors (broadcast together). */
export type BinaryFunction = (x1: TensorLike, x2: TensorLike, options?: OpOptions) => Tensor;

function named<T extends object>(target: T, name: string): T {
  Object.defineProperty(target, 'name', { value: name });
  return target;
}

function pascal(name: string): string {
  return name[0]!.toUpperCase() + name.slice(1);
}

/** What a unary op computes: its forward (from the input) and ∂ℒ/∂x from the upstream grad, x and y. */
export interface UnarySpec {
  forward(x: Tensor): Tensor;
  grad(grad: Tensor, x: Tensor, y: Tensor): Tensor;
}

/** Defines, registers and returns the public function of a differentiable unary op. */
export function defineUnary(id: OpId, name: string, spec: UnarySpec): UnaryFunction {
  const Op = named(
    class extends Operation<{}> {
      static readonly id = id;
      private output!: Tensor;
      forward([x]: readonly Tensor[]): Tensor {
        this.output = spec.forward(x!);
        return this.output;
      }
      backwardVar(grad: Tensor): Tensor {
        return spec.grad(grad, this.variables[0]!, this.output);
      }
    },
    pascal(name),
  );
  registerOp(Op);
  return named(
    (x: TensorLike, options: OpOptions = {}) => executeOp(Op, [x], { constant: options.constant }),
    name,
  );
}

/** A float unary kernel: ints and bools are computed (and returned) as float64, like NumPy. */
export function floatUnary(op: UnaryOp): (x: Tensor) => Tensor {
  return (x) => unaryKernel(op, castTo(x, floatResult(x.dtype)));
}

/** What a binary op computes: forward from both inputs, and ∂ℒ/∂x1 and ∂ℒ/∂x2 (before broadcast reduction). */
export interface BinarySpec {
  forward(a: Tensor, b: Tensor): Tensor;
  grads: readonly [
    (grad: Tensor, a: Tensor, b: Tensor, y: Tensor) => Tensor,
    (grad: Tensor, a: Tensor, b: Tensor, y: Tensor) => Tensor,
  ];
}

/** Defines, registers and returns the public function of a differentiable binary op. */
export function defineBinary(id: OpId, name: string, spec: BinarySpec): BinaryFunction {
  const Op = named(
    class extends Operation<{}> {
      static readonly id = id;
      private output!: Tensor;
      forward([a, b]: readonly Tensor[]): Tensor {
        this.output = spec.forward(a!, b!);
        return this.output;
      }
      backwardVar(grad: Tensor, index: number): Tensor {
        const [a, b] = this.variables;
        return spec.grads[index as 0 | 1](grad, a!, b!, this.output);
      }
    },
    pascal(name),
  );
  registerOp(Op);
  return named(
    (x1: TensorLike, x2: TensorLike, options: OpOptions = {}) =>
      executeOp(Op, [x1, x2], { constant: options.constant }),
    name,
  );
}

/** A binary kernel in the inputs' promoted dtype (floats only when `float`: ints become float64). */
export function binaryForward(name: string, op: BinaryOp, float = false): (a: Tensor, b: Tensor) => Tensor {
  return (a, b) => {
    const dtype: DType = computeDType(a, b);
    return binaryKernel(name, op, a, b, float ? floatResult(dtype) : dtype === 'bool' ? 'int32' : dtype);
  };
}

/** MyGrad refuses to run non-differentiable functions (floor, sign, …) on non-constant tensors. */
export function requireConstant(name: string, ...inputs: readonly (TensorLike | undefined)[]): void {
  for (const x of inputs) {
    if (x !== null && typeof x === 'object' && 'constant' in x && x.constant === false) {
      throw new MgValueError(`${name} cannot involve non-constant mygrad tensors`);
    }
  }
}

/** Whether `value` is a trailing options object: a plain object, not a tensor, array or TypedArray. */
export function isOptions(value: unknown): value is OpOptions {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Tensor) &&
    !Array.isArray(value) &&
    !ArrayBuffer.isView(value)
  );
}

/** Splits the arguments of a variadic call (MyGrad's `*args`) from a trailing options object. */
export function splitOptions<T>(args: readonly (T | OpOptions)[]): [T[], OpOptions] {
  const last = args[args.length - 1];
  return isOptions(last) ? [args.slice(0, -1) as T[], last] : [args as T[], {}];
}
