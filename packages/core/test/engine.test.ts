// The autodiff engine's contract, MyGrad's semantics: grads, constants, graph clearing, accumulation.
import { describe, expect, it } from 'vitest';
import {
  add,
  ConstantIntegerError,
  executeOp,
  InvalidBackpropError,
  MgTypeError,
  multiply,
  noAutodiff,
  Operation,
  ShapeError,
  subtract,
  type Tensor,
  tensor,
} from '../src/index.js';

describe('backward', () => {
  it('on a non-scalar acts like sum().backward()', () => {
    const x = tensor([1, 2, 3]);
    multiply(x, x).backward();
    expect(x.grad?.toArray()).toEqual([2, 4, 6]);
  });

  it('accumulates over repeated uses of one tensor and broadcast dimensions', () => {
    const x = tensor([[1, 2, 3]]);
    const b = tensor([[1], [2]]);
    // x is broadcast along the rows twice: in the product and in the sum.
    const y = add(multiply(x, b), x);
    y.backward();
    expect(x.grad?.toArray()).toEqual([[5, 5, 5]]);
    expect(b.grad?.toArray()).toEqual([[6], [6]]);
  });

  it('replaces grads from an earlier backward', () => {
    const x = tensor(3);
    multiply(x, 2).backward();
    multiply(x, 5).backward();
    expect(x.grad?.item()).toBe(5);
  });

  it('scales by an upstream gradient that broadcasts to the output', () => {
    const x = tensor([1, 2]);
    multiply(x, x).backward(2);
    expect(x.grad?.toArray()).toEqual([4, 8]);
  });

  it('rejects an upstream gradient that would change the shape', () => {
    const x = tensor([1, 2, 3]);
    expect(() => multiply(x, 1).backward([1, 2])).toThrow(ShapeError);
  });

  it('clears the graph afterwards and on a leaf sets grad to ones', () => {
    const x = tensor([1, 2]);
    const y = multiply(x, 3);
    expect(y.creator).not.toBeNull();
    y.backward();
    expect(y.creator).toBeNull();
    x.backward();
    expect(x.grad?.toArray()).toEqual([1, 1]);
  });

  it('gives grads the dtype of their tensor and makes them constant', () => {
    const x = tensor([1, 2], { dtype: 'float32' });
    multiply(x, 2.5).backward();
    expect(x.grad?.dtype).toBe('float32');
    expect(x.grad?.constant).toBe(true);
  });

  it('raises InvalidBackprop through a sub-graph another backward cleared', () => {
    const x = tensor([1, 2]);
    const shared = multiply(x, 2);
    const a = add(shared, 1);
    const b = add(shared, 2);
    a.backward();
    expect(() => b.backward()).toThrow(InvalidBackpropError);
  });

  it('nulls the grad of a tensor used in a new op', () => {
    const x = tensor([1, 2]);
    multiply(x, 2).backward();
    expect(x.grad).not.toBeNull();
    multiply(x, 3);
    expect(x.grad).toBeNull();
  });
});

describe('constant', () => {
  it('an output is constant iff every input is', () => {
    const x = tensor([1, 2]);
    const c = tensor([1, 2], { constant: true });
    expect(add(x, c).constant).toBe(false);
    expect(add(c, c).constant).toBe(true);
    expect(add([1, 2], 3).constant).toBe(true);
  });

  it('integer and bool tensors are always constant', () => {
    expect(tensor(Int32Array.of(1, 2)).constant).toBe(true);
    expect(tensor([true]).constant).toBe(true);
    expect(() => tensor(Int32Array.of(1), { constant: false })).toThrow(ConstantIntegerError);
    expect(() => add(Int32Array.of(1), Int32Array.of(1), { constant: false })).toThrow(ConstantIntegerError);
  });

  it('constant must be a boolean', () => {
    expect(() => tensor([1], { constant: 1 as unknown as boolean })).toThrow(MgTypeError);
  });

  it('constants get no grad', () => {
    const c = tensor([1, 2], { constant: true });
    const x = tensor([3, 4]);
    multiply(c, x).backward();
    expect(c.grad).toBeNull();
    expect(x.grad?.toArray()).toEqual([1, 2]);
  });
});

describe('noAutodiff', () => {
  it('records no graph and makes backward a no-op', () => {
    const x = tensor([1, 2]);
    const y = noAutodiff(() => multiply(x, 2));
    expect(y.creator).toBeNull();
    noAutodiff(() => y.backward());
    expect(x.grad).toBeNull();
  });
});

// Plugins type their op ids by declaration merging; no casts needed.
declare module '../src/operation.js' {
  interface OpAttrs {
    'test.cube': {};
  }
}

describe('executeOp with a user-defined Operation', () => {
  class Cube extends Operation {
    static readonly id = 'test.cube';
    forward([x]: readonly Tensor[]): Tensor {
      return multiply(multiply(x!, x!), x!);
    }
    backwardVar(grad: Tensor): Tensor {
      const x = this.variables[0]!;
      return multiply(grad, multiply(multiply(x, x), 3));
    }
  }

  it('records one node and back-propagates through it', () => {
    const x = tensor([1, 2]);
    const y = executeOp(Cube, [x]);
    expect(y.creator).toBeInstanceOf(Cube);
    expect(y.creator?.variables).toEqual([x]);
    subtract(y, 0).backward();
    expect(x.grad?.toArray()).toEqual([3, 12]);
  });
});
