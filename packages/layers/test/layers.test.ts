// Every layer against its definition written out in plain JS, against central differences, through MyGrad's
// validation, constant propagation and memory; on whichever backend the run selects (cpu, or wasm with
// MG_BACKEND=wasm).
import { MgNotImplementedError, MgTypeError, MgValueError, type Tensor, tensor, tidy } from '@mg/core';
import { checkGradients, checkNoLeaks, expectClose } from '@mg/testing';
import { describe, expect, it } from 'vitest';
import { batchnorm, convNd, gru, maxPool } from '../src/index.js';

/** n fixed pseudo-random values in [lo, hi). */
function values(n: number, seed = 7, lo = -2, hi = 2): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return lo + ((hi - lo) * s) / 2 ** 31;
  });
}

function expectGradientsMatch(
  fn: (...xs: Tensor[]) => Tensor,
  inputs: { data: number[]; shape: number[] }[],
) {
  expect(checkGradients(fn, inputs).mismatches).toEqual([]);
}

describe('convNd', () => {
  /** 2-d convolution of x (N, C, H, W) with w (F, C, KH, KW), in plain JS. */
  function conv2d(
    x: number[],
    [n, c, h, w]: number[],
    f: number[],
    [nf, , kh, kw]: number[],
    stride: [number, number],
    pad: [number, number],
    dil: [number, number],
  ): number[] {
    const oh = (h + 2 * pad[0] - ((kh - 1) * dil[0] + 1)) / stride[0] + 1;
    const ow = (w + 2 * pad[1] - ((kw - 1) * dil[1] + 1)) / stride[1] + 1;
    const out: number[] = [];
    for (let a = 0; a < n; a++)
      for (let b = 0; b < nf; b++)
        for (let i = 0; i < oh; i++)
          for (let j = 0; j < ow; j++) {
            let total = 0;
            for (let ch = 0; ch < c; ch++)
              for (let p = 0; p < kh; p++)
                for (let q = 0; q < kw; q++) {
                  const y = i * stride[0] + p * dil[0] - pad[0];
                  const z = j * stride[1] + q * dil[1] - pad[1];
                  if (y < 0 || y >= h || z < 0 || z >= w) continue;
                  total += x[((a * c + ch) * h + y) * w + z]! * f[((b * c + ch) * kh + p) * kw + q]!;
                }
            out.push(total);
          }
    return out;
  }

  it.each([
    ['plain', [1, 1], [0, 0], [1, 1]],
    ['strided', [1, 2], [0, 0], [1, 1]],
    ['padded', [1, 1], [1, 2], [1, 1]],
    ['dilated', [1, 2], [1, 0], [2, 1]],
  ] as const)(
    'is the 2-d cross-correlation (%s), with gradients matching finite differences',
    (_, s, p, d) => {
      const xs = [2, 3, 5, 6];
      const ws = [2, 3, 2, 2];
      const x = values(2 * 3 * 5 * 6);
      const w = values(2 * 3 * 2 * 2, 11);
      const options = { padding: [...p], dilation: [...d] };
      const y = convNd(tensor(x).reshape(xs), tensor(w).reshape(ws), [...s], options);
      const expected = conv2d(
        x,
        xs,
        w,
        ws,
        [...s] as [number, number],
        [...p] as [number, number],
        [...d] as [number, number],
      );
      expectClose(y.reshape([-1]), expected);
      expectGradientsMatch(
        (a, b) => convNd(a!, b!, [...s], options),
        [
          { data: x, shape: xs },
          { data: w, shape: ws },
        ],
      );
    },
  );

  it('convolves 1-d and 3-d data too, and keeps float32', () => {
    const f32 = { dtype: 'float32' } as const;
    expect(
      convNd(tensor(values(14), f32).reshape([1, 2, 7]), tensor(values(6), f32).reshape([1, 2, 3]), 2).shape,
    ).toEqual([1, 1, 3]);
    const y3 = convNd(
      tensor(values(64)).reshape([1, 1, 4, 4, 4]),
      tensor(values(16)).reshape([2, 1, 2, 2, 2]),
      2,
    );
    expect(y3.shape).toEqual([1, 2, 2, 2, 2]);
    expect(convNd(tensor(values(16), f32).reshape([1, 1, 4, 4]), tensor([[[[1]]]], f32), 1).dtype).toBe(
      'float32',
    );
  });

  it("raises MyGrad's ValueErrors, and MgValueError/MgTypeError where MyGrad asserts", () => {
    const x = tensor(values(16)).reshape([1, 1, 4, 4]);
    const w = tensor(values(4)).reshape([1, 1, 2, 2]);
    expect(() => convNd(tensor(values(10)).reshape([2, 5]), tensor(values(10)).reshape([2, 5]), 1)).toThrow(
      /at least three dimensions, got 2/,
    );
    expect(() => convNd(x, tensor(values(8)).reshape([1, 1, 2, 2, 2]), 1)).toThrow(/same dimensionality/);
    expect(() => convNd(x, tensor(values(8)).reshape([1, 2, 2, 2]), 1)).toThrow(
      /must match `filter_bank.shape\[1\]`/,
    );
    expect(() => convNd(tensor(values(25)).reshape([1, 1, 5, 5]), w, 2)).toThrow(
      /Stride and kernel dimensions are incompatible/,
    );
    expect(() => convNd(x, w, 0)).toThrow(MgValueError);
    expect(() => convNd(x, w, 1, { padding: -1 })).toThrow(MgValueError);
    expect(() => convNd(x, w, 1.5)).toThrow(MgTypeError);
  });
});

describe('maxPool', () => {
  it('takes the maximum of each window over the trailing dimensions', () => {
    const x = tensor(values(2 * 4 * 4)).reshape([2, 4, 4]);
    const y = maxPool(x, [2, 2], 2);
    const data = x.toArray() as number[][][];
    const expected = data.map((plane) =>
      [0, 1].map((i) =>
        [0, 1].map((j) =>
          Math.max(
            plane[2 * i]![2 * j]!,
            plane[2 * i]![2 * j + 1]!,
            plane[2 * i + 1]![2 * j]!,
            plane[2 * i + 1]![2 * j + 1]!,
          ),
        ),
      ),
    );
    expect(y.toArray()).toEqual(expected);
    expectGradientsMatch((t) => maxPool(t, [3], 1), [{ data: values(2 * 6), shape: [2, 6] }]);
  });

  it('sends the gradient to the first maximum of each window, as MyGrad, overlapping windows adding up', () => {
    const x = tensor([
      [3, 3, 1],
      [0, 3, 2],
    ]);
    maxPool(x, [2, 2], 1).backward();
    // Windows: [[3,3],[0,3]] (first 3 at (0,0)) and [[3,1],[3,2]] (first 3 at (0,1)).
    expect(x.grad!.toArray()).toEqual([
      [1, 1, 0],
      [0, 0, 0],
    ]);
  });

  it('refuses windows that do not tile, and pools that are not positive integers', () => {
    const x = tensor(values(25)).reshape([1, 5, 5]);
    expect(() => maxPool(x, [2, 2], 2)).toThrow(/Stride and kernel dimensions are incompatible/);
    expect(() => maxPool(x, [2, 2, 2, 2], 1)).toThrow(/cannot exceed/);
    expect(() => maxPool(x, [0, 1], 1)).toThrow(MgValueError);
    expect(() => maxPool(x, [1.5, 1], 1)).toThrow(MgTypeError);
    expect(() => maxPool(x, [1, 1], [1])).toThrow(MgValueError);
  });
});

describe('batchnorm', () => {
  const shape = [4, 3, 2];
  const x = values(24);
  const gamma = [0.5, 2, -1];
  const beta = [1, 0, 3];

  it('normalises every channel over the other axes, then scales and shifts it', () => {
    const y = batchnorm(tensor(x).reshape(shape), 1e-5, { gamma, beta }).toArray() as number[][][];
    for (let c = 0; c < 3; c++) {
      const channel = [0, 1, 2, 3].flatMap((n) => [0, 1].map((k) => x[(n * 3 + c) * 2 + k]!));
      const mean = channel.reduce((a, b) => a + b, 0) / channel.length;
      const variance = channel.reduce((a, b) => a + (b - mean) ** 2, 0) / channel.length;
      const got = [0, 1, 2, 3].flatMap((n) => y[n]![c]!);
      expectClose(
        got,
        channel.map((v) => ((v - mean) / Math.sqrt(variance + 1e-5)) * gamma[c]! + beta[c]!),
      );
    }
  });

  it('has gradients for x, gamma and beta matching finite differences', () => {
    expectGradientsMatch(
      (t, g, b) => batchnorm(t!, 1e-5, { gamma: g, beta: b }),
      [
        { data: x, shape },
        { data: gamma, shape: [3] },
        { data: beta, shape: [3] },
      ],
    );
    expectGradientsMatch((t) => batchnorm(t, 1e-5), [{ data: x, shape }]);
  });

  it('keeps float32, treats empty gamma/beta as absent, and is constant when asked', () => {
    const f32 = tensor(x, { dtype: 'float32' }).reshape(shape);
    expect(batchnorm(f32, 1e-5).dtype).toBe('float32');
    expect(batchnorm(tensor(x).reshape(shape), 1e-5, { gamma: [], beta: [] }).toArray()).toEqual(
      batchnorm(tensor(x).reshape(shape), 1e-5).toArray(),
    );
    expect(batchnorm(tensor(x).reshape(shape), 1e-5, { beta, constant: true }).constant).toBe(true);
  });
});

describe('gru', () => {
  const [T, N, C, D] = [3, 2, 2, 3];
  const shapes = [[T, N, C], [C, D], [D, D], [D], [C, D], [D, D], [D], [C, D], [D, D], [D]];
  const inputs = shapes.map((shape, i) => ({
    data: values(
      shape.reduce((a, b) => a * b, 1),
      5 + i,
      -1,
      1,
    ),
    shape,
  }));
  const sig = (v: number) => 1 / (1 + Math.exp(-v));

  it('runs the recurrence (hidden states s0…sT)', () => {
    const [X, Uz, Wz, bz, Ur, Wr, br, Uh, Wh, bh] = inputs.map(({ data, shape }) =>
      tensor(data).reshape(shape),
    );
    const out = gru(X!, Uz!, Wz!, bz!, Ur!, Wr!, br!, Uh!, Wh!, bh!);
    expect(out.shape).toEqual([T + 1, N, D]);
    // One datum, one step, in plain JS.
    const at = (k: number, i: number, j: number, cols: number) => inputs[k]!.data[i * cols + j]!;
    const x0 = [0, 1].map((c) => inputs[0]!.data[c]!); // t = 0, n = 0
    const gate = (u: number, b: number, f: (v: number) => number) =>
      [0, 1, 2].map((j) => f(x0.reduce((acc, xc, c) => acc + xc * at(u, c, j, D), 0) + inputs[b]!.data[j]!));
    const z = gate(1, 3, sig);
    const h = gate(7, 9, Math.tanh); // s = 0, so (r·s)·Wh and s·W vanish
    const s1 = z.map((zj, j) => (1 - zj) * h[j]!);
    expectClose((out.toArray() as number[][][])[1]![0]!, s1);
  });

  it('has the gradients of every input and weight that finite differences give', () => {
    expectGradientsMatch(
      (...ts) =>
        gru(...(ts as [Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor])),
      inputs,
    );
  });

  it('refuses a non-constant s0, dropout and truncated back-propagation', () => {
    const ts = inputs.map(({ data, shape }) => tensor(data).reshape(shape)) as [
      Tensor,
      Tensor,
      Tensor,
      Tensor,
      Tensor,
      Tensor,
      Tensor,
      Tensor,
      Tensor,
      Tensor,
    ];
    expect(() => gru(...ts, { s0: tensor(values(N * D)).reshape([N, D]) })).toThrow(MgValueError);
    expect(gru(...ts, { s0: tensor(values(N * D), { constant: true }).reshape([N, D]) }).shape).toEqual([
      T + 1,
      N,
      D,
    ]);
    expect(() => gru(...ts, { dropout: 0.5 })).toThrow(MgNotImplementedError);
    expect(() => gru(...ts, { bpLim: 1 })).toThrow(MgNotImplementedError);
    expect(gru(...ts, { bpLim: T - 1 }).shape).toEqual([T + 1, N, D]);
  });
});

describe('every layer', () => {
  const cases: [string, () => [Tensor, () => Tensor]][] = [
    [
      'convNd',
      () => {
        const x = tensor(values(32)).reshape([1, 2, 4, 4]);
        const w = tensor(values(8, 3), { constant: true }).reshape([1, 2, 2, 2]);
        return [x, () => convNd(x, w, 1, { padding: 1 })];
      },
    ],
    [
      'maxPool',
      () => {
        const x = tensor(values(16)).reshape([1, 4, 4]);
        return [x, () => maxPool(x, [2, 2], 2)];
      },
    ],
    [
      'batchnorm',
      () => {
        const x = tensor(values(12)).reshape([4, 3]);
        return [x, () => batchnorm(x, 1e-5, { gamma: [1, 2, 3] })];
      },
    ],
  ];

  it.each(cases)('%s leaves no memory behind in a tidy, backward included', (_name, make) => {
    const [x, fn] = make();
    const step = () =>
      tidy(() => {
        fn().sum().backward();
        x.grad?.dispose();
        x.nullGrad();
      });
    step(); // the first backward may fill caches of the engine (its size-1 seeds), which later runs reuse
    const report = checkNoLeaks(step);
    expect([report.bytes, report.buffers]).toEqual([0, 0]);
  });
});
