// Tests of matmul, multiMatmul and einsum: NumPy's shape rules, dtypes, constant flags, gradients and errors.
import { checkGradients } from '@mg/testing';
import { describe, expect, it } from 'vitest';
import {
  ConstantIntegerError,
  einsum,
  MgTypeError,
  MgValueError,
  matmul,
  multiMatmul,
  ShapeError,
  type Tensor,
  tensor,
} from '../src/index.js';

/** Deterministic test data in [-1, 1). */
function values(n: number, seed = 1): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * 2 - 1;
  });
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

function input(shape: number[], seed = 1): { data: number[]; shape: number[] } {
  return { data: values(size(shape), seed), shape };
}

/** A plain-loop reference of NumPy's matmul (1-D promotion, broadcast batch dimensions). */
function reference(
  a: readonly number[],
  sa: readonly number[],
  b: readonly number[],
  sb: readonly number[],
): { data: number[]; shape: number[] } {
  const a2 = sa.length === 1 ? [1, sa[0]!] : [...sa];
  const b2 = sb.length === 1 ? [sb[0]!, 1] : [...sb];
  const [m, k] = a2.slice(-2) as [number, number];
  const n = b2[b2.length - 1]!;
  const ba = a2.slice(0, -2);
  const bb = b2.slice(0, -2);
  const rank = Math.max(ba.length, bb.length);
  const pa = [...new Array<number>(rank - ba.length).fill(1), ...ba];
  const pb = [...new Array<number>(rank - bb.length).fill(1), ...bb];
  const batch = pa.map((d, i) => Math.max(d, pb[i]!));
  const out: number[] = [];
  const nBatch = size(batch);
  for (let t = 0; t < nBatch; t++) {
    let rest = t;
    let offA = 0;
    let offB = 0;
    let strideA = 1;
    let strideB = 1;
    for (let i = rank - 1; i >= 0; i--) {
      const idx = rest % batch[i]!;
      rest = Math.floor(rest / batch[i]!);
      if (pa[i] !== 1) offA += idx * strideA;
      if (pb[i] !== 1) offB += idx * strideB;
      strideA *= pa[i]!;
      strideB *= pb[i]!;
    }
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let q = 0; q < k; q++) acc += a[offA * m * k + i * k + q]! * b[offB * k * n + q * n + j]!;
        out.push(acc);
      }
    }
  }
  const shape = [...batch, ...(sa.length > 1 ? [m] : []), ...(sb.length > 1 ? [n] : [])];
  return { data: out, shape };
}

function expectClose(actual: ArrayLike<number>, expected: readonly number[], tol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++)
    expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(tol);
}

const SHAPE_CASES: [number[], number[]][] = [
  [[3], [3]],
  [[2, 3], [3]],
  [[3], [3, 4]],
  [
    [2, 3],
    [3, 4],
  ],
  [
    [2, 1, 2, 3],
    [4, 3, 2],
  ],
  [
    [2, 2, 3],
    [3, 2],
  ],
  [
    [3, 2],
    [2, 2, 4],
  ],
  [[2, 2, 3], [3]],
  [[3], [2, 3, 2]],
  [
    [1, 2, 3],
    [5, 3, 1],
  ],
  [
    [2, 1, 3, 2],
    [1, 4, 2, 3],
  ],
];

describe('matmul forward', () => {
  it.each(SHAPE_CASES)('matches the reference for %j @ %j', (sa, sb) => {
    const a = input(sa, 3);
    const b = input(sb, 7);
    const out = matmul(tensor(a.data, { shape: sa }), tensor(b.data, { shape: sb }));
    const expected = reference(a.data, sa, b.data, sb);
    expect(out.shape).toEqual(expected.shape);
    expect(out.dtype).toBe('float64');
    expectClose(out.dataSync(), expected.data);
  });

  it('computes simple products exactly', () => {
    expect(
      matmul(
        [
          [1, 0],
          [0, 1],
        ],
        [
          [4, 1],
          [2, 2],
        ],
      ).toArray(),
    ).toEqual([
      [4, 1],
      [2, 2],
    ]);
    expect(
      matmul(
        tensor([
          [1, 2],
          [3, 4],
        ]),
        tensor([1, 1]),
      ).toArray(),
    ).toEqual([3, 7]);
    expect(
      matmul(
        tensor([1, 1]),
        tensor([
          [1, 2],
          [3, 4],
        ]),
      ).toArray(),
    ).toEqual([4, 6]);
    const dot = matmul(tensor([1, 2, 3]), tensor([4, 5, 6]));
    expect(dot.shape).toEqual([]);
    expect(dot.item()).toBe(32);
  });

  it('is available as a method', () => {
    expect(
      tensor([[2]])
        .matmul(tensor([[3]]))
        .toArray(),
    ).toEqual([[6]]);
  });

  it('handles size-0 dimensions', () => {
    const empty = matmul(
      tensor(new Float64Array(0), { shape: [0, 3] }),
      tensor(values(6), { shape: [3, 2] }),
    );
    expect(empty.shape).toEqual([0, 2]);
    const zeroInner = matmul(
      tensor(new Float64Array(0), { shape: [2, 0] }),
      tensor(new Float64Array(0), { shape: [0, 3] }),
    );
    expect(zeroInner.shape).toEqual([2, 3]);
    expect(zeroInner.toArray()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    const batch = matmul(
      tensor(new Float64Array(0), { shape: [0, 2, 3] }),
      tensor(values(6), { shape: [3, 2] }),
    );
    expect(batch.shape).toEqual([0, 2, 2]);
  });
});

describe('matmul dtypes and constant flags', () => {
  it('gives int32 for integer operands, constant', () => {
    const out = matmul(tensor(Int32Array.of(1, 2, 3, 4), { shape: [2, 2] }), tensor(Int32Array.of(5, 6)));
    expect(out.dtype).toBe('int32');
    expect(out.constant).toBe(true);
    expect(out.toArray()).toEqual([17, 39]);
  });

  it('gives bool for bool operands (logical or of ands), as NumPy', () => {
    const a = tensor([
      [true, false],
      [false, false],
    ]);
    const out = matmul(a, tensor([true, true]));
    expect(out.dtype).toBe('bool');
    expect(out.toArray()).toEqual([true, false]);
  });

  it('follows NumPy promotion for mixed dtypes', () => {
    const f32 = tensor([[1, 2]], { dtype: 'float32' });
    expect(matmul(f32, tensor([[1], [1]], { dtype: 'float32' })).dtype).toBe('float32');
    expect(matmul(f32, tensor([[1], [1]])).dtype).toBe('float64');
    expect(matmul(f32, tensor(Int32Array.of(1, 1), { shape: [2, 1] })).dtype).toBe('float64');
    expect(matmul(tensor(Int32Array.of(1, 2)), tensor([0.5, 0.25])).dtype).toBe('float64');
    expect(matmul(tensor([true, true]), tensor(Int32Array.of(2, 3))).dtype).toBe('int32');
  });

  it('computes float32 products in float32', () => {
    const out = matmul(
      tensor([[1.1, 2.2]], { dtype: 'float32' }),
      tensor([[3.3], [4.4]], { dtype: 'float32' }),
    );
    const expected = Math.fround(Math.fround(1.1) * Math.fround(3.3) + Math.fround(2.2) * Math.fround(4.4));
    expect(Math.abs((out.item() as number) - expected)).toBeLessThan(1e-5);
    expect(out.dataSync()).toBeInstanceOf(Float32Array);
  });

  it('sets constant from the inputs, or as asked', () => {
    const x = tensor([[1, 2]]);
    const c = tensor([[1], [2]], { constant: true });
    expect(matmul(x, c).constant).toBe(false);
    expect(matmul(c, x).constant).toBe(false);
    expect(matmul(c, tensor([[3, 4]], { constant: true })).constant).toBe(true);
    expect(matmul(x, c, { constant: true }).constant).toBe(true);
    expect(matmul([[1, 2]], [[3], [4]]).constant).toBe(true);
    expect(() => matmul(tensor(Int32Array.of(1)), tensor(Int32Array.of(1)), { constant: false })).toThrow(
      ConstantIntegerError,
    );
  });
});

describe('matmul gradients', () => {
  it.each(SHAPE_CASES)('match finite differences for %j @ %j', (sa, sb) => {
    const result = checkGradients((a, b) => matmul(a!, b!), [input(sa, 11), input(sb, 13)]);
    expect(result.mismatches).toEqual([]);
  });

  it('match the closed forms for 2-D operands', () => {
    const a = tensor([
      [1, 2],
      [3, 4],
    ]);
    const b = tensor([
      [5, 6, 7],
      [8, 9, 10],
    ]);
    matmul(a, b).backward();
    // ∂/∂a = 1 @ bᵀ (row sums of b); ∂/∂b = aᵀ @ 1 (column sums of a).
    expect(a.grad?.toArray()).toEqual([
      [18, 27],
      [18, 27],
    ]);
    expect(b.grad?.toArray()).toEqual([
      [4, 4, 4],
      [6, 6, 6],
    ]);
  });

  it('accumulate when the same tensor is both operands', () => {
    const result = checkGradients((a) => matmul(a!, a!), [input([3, 3], 5)]);
    expect(result.mismatches).toEqual([]);
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    matmul(x, x).backward();
    // ∂/∂x of sum(x @ x) = 1 @ xᵀ + xᵀ @ 1.
    expect(x.grad?.toArray()).toEqual([
      [7, 11],
      [9, 13],
    ]);
  });

  it('give grads of the inputs dtypes and shapes', () => {
    const a = tensor([[1, 2]], { dtype: 'float32' });
    const b = tensor([3, 4]);
    const y = matmul(a, b);
    expect(y.dtype).toBe('float64');
    y.backward();
    expect(a.grad?.dtype).toBe('float32');
    expect(a.grad?.toArray()).toEqual([[3, 4]]);
    expect(b.grad?.dtype).toBe('float64');
    expect(b.grad?.toArray()).toEqual([1, 2]);
  });

  it('skip constant inputs', () => {
    const a = tensor([[1, 2]]);
    const b = tensor([[3], [4]], { constant: true });
    matmul(a, b).backward();
    expect(a.grad?.toArray()).toEqual([[3, 4]]);
    expect(b.grad).toBeNull();
  });

  it('sum over broadcast batch dimensions', () => {
    const a = tensor(values(6), { shape: [2, 3] });
    const b = tensor(values(24, 3), { shape: [4, 3, 2] });
    matmul(a, b).backward();
    expect(a.grad?.shape).toEqual([2, 3]);
    expect(b.grad?.shape).toEqual([4, 3, 2]);
    const a1 = tensor(values(6), { shape: [1, 2, 3] });
    matmul(a1, b).backward();
    expect(a1.grad?.shape).toEqual([1, 2, 3]);
    expectClose(a1.grad!.dataSync(), [...a.grad!.dataSync()]);
  });

  it('are zeros of the right shape through a size-0 inner dimension', () => {
    const a = tensor(new Float64Array(0), { shape: [2, 0] });
    const b = tensor(new Float64Array(0), { shape: [0, 3] });
    matmul(a, b).backward();
    expect(a.grad?.shape).toEqual([2, 0]);
    expect(b.grad?.shape).toEqual([0, 3]);
  });
});

describe('matmul errors', () => {
  it('rejects 0-d operands with a ValueError', () => {
    expect(() => matmul(tensor(2), tensor([1, 2]))).toThrow(MgValueError);
    expect(() => matmul(tensor([1, 2]), 3)).toThrow(/Input operand 1 does not have enough dimensions/);
    expect(() => matmul(2, tensor([1, 2]))).toThrow(/Input operand 0/);
  });

  it('rejects mismatched inner dimensions, naming both shapes', () => {
    expect(() => matmul(tensor(values(6), { shape: [2, 3] }), tensor(values(6), { shape: [2, 3] }))).toThrow(
      ShapeError,
    );
    expect(() => matmul(tensor(values(6), { shape: [2, 3] }), tensor(values(6), { shape: [2, 3] }))).toThrow(
      /\(2, 3\) and \(2, 3\)/,
    );
    expect(() => matmul(tensor([1, 2]), tensor([1, 2, 3]))).toThrow(ShapeError);
  });

  it('rejects batch dimensions that do not broadcast', () => {
    expect(() =>
      matmul(tensor(values(12), { shape: [2, 2, 3] }), tensor(values(18), { shape: [3, 3, 2] })),
    ).toThrow(/batch dimensions of shapes \(2, 2, 3\) and \(3, 3, 2\)/);
  });
});

describe('multiMatmul', () => {
  const chained = (xs: Tensor[]): Tensor => xs.slice(1).reduce((acc, x) => matmul(acc, x), xs[0]!);

  it.each([
    [
      [
        [2, 3],
        [3, 4],
        [4, 5],
      ],
    ],
    [
      [
        [10, 2],
        [2, 10],
        [10, 3],
      ],
    ],
    [
      [
        [2, 10],
        [10, 2],
        [2, 10],
      ],
    ],
    [[[3], [3, 4], [4, 2]]],
    [[[2, 3], [3, 4], [4]]],
    [[[3], [3, 4], [4]]],
    [
      [
        [2, 3],
        [3, 4],
        [4, 5],
        [5, 2],
      ],
    ],
    [
      [
        [1, 6],
        [6, 2],
        [2, 7],
        [7, 3],
        [3, 1],
      ],
    ],
    [[[4], [4, 3], [3, 5], [5, 2], [2]]],
    [[[2, 3], [3]]],
  ])('equals the left-to-right product for %j', (shapes) => {
    const xs = shapes.map((s, i) => tensor(values(size(s), i + 2), { shape: s }));
    const expected = chained(xs);
    const out = multiMatmul(xs);
    expect(out.shape).toEqual(expected.shape);
    expectClose(out.dataSync(), [...expected.dataSync()], 1e-12);
  });

  it('computes a small chain exactly', () => {
    const b = tensor([
      [1, 0],
      [0, 1],
    ]);
    expect(multiMatmul([tensor([[1, 2]]), b, tensor([[3], [4]])]).toArray()).toEqual([[11]]);
    const dot = multiMatmul([tensor([1, 2]), b, tensor([3, 4])]);
    expect(dot.shape).toEqual([]);
    expect(dot.item()).toBe(11);
  });

  it.each([
    [
      [
        [2, 3],
        [3, 4],
        [4, 2],
      ],
    ],
    [[[3], [3, 2], [2, 4], [4]]],
    [
      [
        [2, 3],
        [3, 2],
        [2, 4],
        [4, 2],
      ],
    ],
  ])('back-propagates like the chain of matmuls for %j', (shapes) => {
    const result = checkGradients(
      (...xs) => multiMatmul(xs),
      shapes.map((s, i) => input(s, i + 20)),
    );
    expect(result.mismatches).toEqual([]);
  });

  it('multiplies in the cheapest order', () => {
    const shaped = (shapes: number[][]): Tensor[] =>
      shapes.map((s, i) => tensor(values(size(s), i + 2), { shape: s }));
    // Three tensors: (10x2)(2x10)(10x3) is cheapest as A(BC); (2x10)(10x2)(2x10) as (AB)C.
    const [a, b, c] = shaped([
      [10, 2],
      [2, 10],
      [10, 3],
    ]);
    expect(multiMatmul([a!, b!, c!]).creator?.variables[0]).toBe(a);
    const [d, e, f] = shaped([
      [2, 10],
      [10, 2],
      [2, 10],
    ]);
    expect(multiMatmul([d!, e!, f!]).creator?.variables[1]).toBe(f);
    // Cormen's dynamic programme: A(10x100) B(100x5) C(5x50) D(50x1) is cheapest as A(B(CD)).
    const [w, x, y, z] = shaped([
      [10, 100],
      [100, 5],
      [5, 50],
      [50, 1],
    ]);
    const out = multiMatmul([w!, x!, y!, z!]);
    expect(out.creator?.variables[0]).toBe(w);
    const inner = out.creator?.variables[1];
    expect(inner?.creator?.variables[0]).toBe(x);
    const last = inner?.creator?.variables[1]?.creator?.variables;
    expect(last?.[0]).toBe(y);
    expect(last?.[1]).toBe(z);
  });

  it('passes constant to the chain', () => {
    const xs = [tensor([[1, 2]]), tensor([[1], [2]]), tensor([[3]])];
    expect(multiMatmul(xs).constant).toBe(false);
    expect(multiMatmul(xs, { constant: true }).constant).toBe(true);
    expect(multiMatmul([[[1, 2]], [[1], [2]], [[3]]]).constant).toBe(true);
  });

  it('validates its inputs', () => {
    expect(() => multiMatmul([tensor([[1]])])).toThrow(MgValueError);
    expect(() => multiMatmul([])).toThrow(/at least two/);
    expect(() => multiMatmul([tensor([[[1]]]), tensor([[1]])])).toThrow(/3-dimensional tensor given/);
    expect(() => multiMatmul([tensor(1), tensor([[1]])])).toThrow(MgValueError);
    expect(() => multiMatmul([tensor([[1, 2]]), tensor([1, 2]), tensor([[1]])])).toThrow(MgValueError);
    expect(() => multiMatmul([tensor([[1, 2]]), tensor([[1, 2]]), tensor([[1]])])).toThrow(ShapeError);
  });
});

/** A plain-loop einsum over every assignment of the labels (explicit '->' only, no ellipsis). */
function einsumReference(
  subscripts: string,
  ...xs: { data: number[]; shape: number[] }[]
): { data: number[]; shape: number[] } {
  const [lhs, out] = subscripts.split('->') as [string, string];
  const subs = lhs.split(',');
  const sizes = new Map<string, number>();
  subs.forEach((s, i) => {
    [...s].forEach((c, a) => {
      sizes.set(c, Math.max(sizes.get(c) ?? 1, xs[i]!.shape[a]!));
    });
  });
  const labels = [...sizes.keys()];
  const shape = [...out].map((c) => sizes.get(c)!);
  const data = new Array<number>(size(shape)).fill(0);
  const assign = new Map<string, number>();
  const visit = (depth: number): void => {
    if (depth === labels.length) {
      let prod = 1;
      subs.forEach((s, i) => {
        let offset = 0;
        [...s].forEach((c, a) => {
          const d = xs[i]!.shape[a]!;
          offset = offset * d + (d === 1 ? 0 : assign.get(c)!);
        });
        prod *= xs[i]!.data[offset]!;
      });
      let o = 0;
      for (const c of out) o = o * sizes.get(c)! + assign.get(c)!;
      data[o] = data[o]! + prod;
      return;
    }
    for (let v = 0; v < sizes.get(labels[depth]!)!; v++) {
      assign.set(labels[depth]!, v);
      visit(depth + 1);
    }
  };
  visit(0);
  return { data, shape };
}

const EINSUM_CASES: [string, number[][]][] = [
  [
    'ij,jk->ik',
    [
      [2, 3],
      [3, 4],
    ],
  ],
  ['i,i->', [[4], [4]]],
  ['ij->ji', [[2, 3]]],
  [
    'bij,bjk->bik',
    [
      [2, 2, 3],
      [2, 3, 2],
    ],
  ],
  ['i,j->ij', [[3], [2]]],
  ['ii->i', [[3, 3]]],
  ['ii->', [[3, 3]]],
  ['ij->', [[2, 3]]],
  ['ij->j', [[2, 3]]],
  ['iji->ij', [[2, 3, 2]]],
  [
    'ijk,jil->kl',
    [
      [2, 3, 4],
      [3, 2, 5],
    ],
  ],
  [
    'ij,jk,kl->il',
    [
      [2, 3],
      [3, 4],
      [4, 2],
    ],
  ],
  [
    'ij,ij->ij',
    [
      [2, 3],
      [2, 3],
    ],
  ],
  [
    'ij,ij->ij',
    [
      [2, 1],
      [2, 3],
    ],
  ],
  ['i,i->i', [[1], [3]]],
  ['i,i->', [[1], [3]]],
  ['ij,k->ijk', [[2, 2], [3]]],
  ['ijk,k->ji', [[2, 3, 4], [4]]],
  [
    'abc,cd,bd->a',
    [
      [2, 3, 4],
      [4, 5],
      [3, 5],
    ],
  ],
  ['i,->i', [[3], []]],
  ['iij,j->i', [[2, 2, 3], [3]]],
];

describe('einsum', () => {
  it.each(EINSUM_CASES)('matches the reference for %s with shapes %j', (subscripts, shapes) => {
    const xs = shapes.map((s, i) => input(s, i + 30));
    const expected = einsumReference(subscripts, ...xs);
    const out = einsum(subscripts, ...xs.map((x) => tensor(x.data, { shape: x.shape })));
    expect(out.shape).toEqual(expected.shape);
    expectClose(out.dataSync(), expected.data);
  });

  it.each(EINSUM_CASES)('back-propagates for %s with shapes %j', (subscripts, shapes) => {
    const result = checkGradients(
      (...xs) => einsum(subscripts, ...xs),
      shapes.map((s, i) => input(s, i + 40)),
    );
    expect(result.mismatches).toEqual([]);
  });

  it('computes small cases exactly', () => {
    expect(einsum('ij,jk->ik', tensor([[1, 2]]), tensor([[3], [4]])).toArray()).toEqual([[11]]);
    expect(
      einsum(
        'ii->i',
        tensor([
          [1, 2],
          [3, 4],
        ]),
      ).toArray(),
    ).toEqual([1, 4]);
    expect(
      einsum(
        'ii',
        tensor([
          [1, 2],
          [3, 4],
        ]),
      ).item(),
    ).toBe(5);
    expect(einsum('ij->ji', tensor([[1, 2]])).toArray()).toEqual([[1], [2]]);
  });

  it('infers the output like NumPy: labels used once, sorted', () => {
    expect(einsum('ji', tensor(values(6), { shape: [2, 3] })).shape).toEqual([3, 2]);
    expect(
      einsum('ij,jk', tensor(values(6), { shape: [2, 3] }), tensor(values(12), { shape: [3, 4] })).shape,
    ).toEqual([2, 4]);
    expect(einsum('i,i', tensor([1, 2]), tensor([3, 4])).item()).toBe(11);
    expect(einsum('Ba,a', tensor(values(6), { shape: [2, 3] }), tensor([1, 1, 1])).shape).toEqual([2]);
  });

  it('expands ellipses like NumPy', () => {
    const a = tensor(values(6), { shape: [3, 2] });
    const b = tensor(values(12), { shape: [4, 3] });
    const ref = einsum('ki,jk->ij', a, b);
    const viaEllipsis = einsum('ki,...k->i...', a, b);
    expect(viaEllipsis.shape).toEqual([2, 4]);
    expectClose(viaEllipsis.dataSync(), [...ref.dataSync()]);
    const implicit = einsum('k...,jk', a, b);
    expect(implicit.shape).toEqual([2, 4]);
    expectClose(implicit.dataSync(), [...ref.dataSync()]);
    const batched = einsum(
      '...ij,...jk->...ik',
      tensor(values(24), { shape: [2, 3, 4] }),
      tensor(values(8), { shape: [4, 2] }),
    );
    expect(batched.shape).toEqual([2, 3, 2]);
    expect(einsum('...,...', tensor([1, 2]), tensor([3, 4])).toArray()).toEqual([3, 8]);
    expect(einsum('i...->...', tensor(values(6), { shape: [3, 2] })).shape).toEqual([2]);
    const r = checkGradients(
      (x, y) => einsum('...ij,...jk->...ik', x!, y!),
      [input([2, 3, 4]), input([4, 2], 9)],
    );
    expect(r.mismatches).toEqual([]);
  });

  it('takes the interleaved sublist form', () => {
    const a = tensor(values(6), { shape: [2, 3] });
    const b = tensor(values(12), { shape: [3, 4] });
    const ref = einsum('ij,jk->ik', a, b);
    expectClose(einsum(a, [0, 1], b, [1, 2], [0, 2]).dataSync(), [...ref.dataSync()]);
    expect(
      einsum(
        tensor([
          [1, 2],
          [3, 4],
        ]),
        [0, 0],
      ).item(),
    ).toBe(5);
    expect(
      einsum(
        tensor([
          [1, 2],
          [3, 4],
        ]),
        ['...', 0],
        ['...'],
      ).toArray(),
    ).toEqual([3, 7]);
    expect(() => einsum(a, [0, 52])).toThrow(MgValueError);
    expect(() => einsum(a, [0, 1.5])).toThrow(MgTypeError);
  });

  it('accumulates the gradient of a tensor used twice', () => {
    const x = tensor([1, 2, 3]);
    const y = einsum('i,i', x, x);
    expect(y.item()).toBe(14);
    y.backward();
    expect(x.grad?.toArray()).toEqual([2, 4, 6]);
    const m = tensor([
      [1, 2],
      [3, 4],
    ]);
    einsum('ij,jk->ik', m, m).backward();
    expect(m.grad?.toArray()).toEqual([
      [7, 11],
      [9, 13],
    ]);
  });

  it('gives the trace a gradient on the diagonal only', () => {
    const x = tensor(values(9), { shape: [3, 3] });
    einsum('ii', x).backward();
    expect(x.grad?.toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
  });

  it('follows dtypes and constant flags', () => {
    const ints = einsum('i,i', tensor(Int32Array.of(1, 2)), tensor(Int32Array.of(3, 4)));
    expect(ints.dtype).toBe('int32');
    expect(ints.constant).toBe(true);
    expect(ints.item()).toBe(11);
    const f32 = tensor([1, 2], { dtype: 'float32' });
    expect(einsum('i,i', f32, f32).dtype).toBe('float32');
    expect(einsum('i,i', f32, tensor([1, 2])).dtype).toBe('float64');
    expect(einsum('i,i', tensor([true, false]), tensor([true, true])).toArray()).toBe(true);
    const x = tensor([1, 2]);
    const c = tensor([3, 4], { constant: true });
    expect(einsum('i,i', x, c).constant).toBe(false);
    expect(einsum('i,i', c, c).constant).toBe(true);
    expect(einsum('i,i', x, c, { constant: true }).constant).toBe(true);
    const y = einsum('i,i', x, c);
    y.backward();
    expect(x.grad?.toArray()).toEqual([3, 4]);
    expect(c.grad).toBeNull();
  });

  it('returns a new tensor for an identity contraction', () => {
    const x = tensor([1, 2]);
    const y = einsum('i->i', x);
    expect(y).not.toBe(x);
    expect(y.toArray()).toEqual([1, 2]);
    y.backward();
    expect(x.grad?.toArray()).toEqual([1, 1]);
  });

  it('handles size-0 dimensions', () => {
    expect(
      einsum(
        'ij,jk->ik',
        tensor(new Float64Array(0), { shape: [2, 0] }),
        tensor(new Float64Array(0), { shape: [0, 3] }),
      ).toArray(),
    ).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(einsum('ii->i', tensor(new Float64Array(0), { shape: [0, 0] })).shape).toEqual([0]);
  });

  it('validates the subscripts', () => {
    const a = tensor(values(6), { shape: [2, 3] });
    expect(() => einsum('ij,jk->ik', a, a)).toThrow(ShapeError);
    expect(() => einsum('ii->i', a)).toThrow(/collapsing index/);
    expect(() => einsum('ij->i', a, a)).toThrow(/more operands/);
    expect(() => einsum('ij,jk->ik', a)).toThrow(/fewer operands/);
    expect(() => einsum('ijk->i', a)).toThrow(/too many subscripts/);
    expect(() => einsum('i->i', a)).toThrow(/more dimensions than subscripts/);
    expect(() => einsum('ij->ii', a)).toThrow(/multiple times/);
    expect(() => einsum('ij->k', a)).toThrow(/never appeared/);
    expect(() => einsum('i$->i', a)).toThrow(/not a valid symbol/);
    expect(() => einsum('ij->i->j', a)).toThrow(/one '->'/);
    expect(() => einsum('i..j->i', a)).toThrow(/Invalid Ellipses/);
    expect(() => einsum('ijk...->i', a)).toThrow(/Ellipses lengths/);
    expect(() => einsum('ij')).toThrow(MgValueError);
  });
});
