// The backend object: storage, reads, memory accounting, dispose, the kernel table, and output ownership.
import { DisposedTensorError, MgTypeError, makeTensor, PRIMITIVE_NAMES, type TensorInfo } from '@mg/core';
import { describe, expect, it } from 'vitest';
import { CpuData, cpu, createCpuBackend } from '../src/index.js';
import { specializer } from '../src/kernels/specialize.js';
import { expectValues } from './helpers.js';

describe('cpu()', () => {
  it('is named cpu, initialises synchronously (no Promise), and has every primitive kernel', () => {
    const backend = cpu();
    expect(backend.name).toBe('cpu');
    expect(backend.ready).toBe(true);
    expect(backend.init()).toBeUndefined();
    for (const name of PRIMITIVE_NAMES) expect(typeof backend.kernels[name], name).toBe('function');
  });

  it('is one instance, so registering it twice is a no-op', () => {
    expect(cpu()).toBe(cpu());
  });

  it('createCpuBackend makes independent backends', () => {
    const a = createCpuBackend();
    const b = createCpuBackend();
    a.write(new Float64Array(4), [4], 'float64');
    expect(a.memory()).toEqual({ bytes: 32, buffers: 1 });
    expect(b.memory()).toEqual({ bytes: 0, buffers: 0 });
  });
});

describe('storage', () => {
  it('copies on write and reads back its own TypedArray, without copying', async () => {
    const backend = createCpuBackend();
    const source = new Float32Array([1, 2, 3]);
    const id = backend.write(source, [3], 'float32');
    source[0] = 99;
    const values = backend.readSync(id);
    expect(values).toBeInstanceOf(Float32Array);
    expect(Array.from(values)).toEqual([1, 2, 3]);
    expect(backend.readSync(id)).toBe(values);
    expect(await backend.read(id)).toBe(values);
    expect(id).toBeInstanceOf(CpuData);
    expect((id as CpuData).values).toBe(values);
  });

  it('stores each dtype in its TypedArray', () => {
    const backend = createCpuBackend();
    expect(backend.readSync(backend.write(new Float64Array([1]), [1], 'float64'))).toBeInstanceOf(
      Float64Array,
    );
    expect(backend.readSync(backend.write(new Int32Array([1, 2]), [2], 'int32'))).toBeInstanceOf(Int32Array);
    expect(backend.readSync(backend.write(new Uint8Array([1, 0]), [2], 'bool'))).toBeInstanceOf(Uint8Array);
    expect(backend.readSync(backend.write(new Float64Array([7]), [], 'float64'))).toHaveLength(1);
  });
});

describe('memory accounting', () => {
  it('counts bytes and buffers of writes and of every kernel output, and releases them on dispose', () => {
    const backend = createCpuBackend();
    expect(backend.memory()).toEqual({ bytes: 0, buffers: 0 });
    const x = backend.write(new Float64Array([1, 2, 3]), [3], 'float64');
    const m = backend.write(new Uint8Array([1, 0, 1]), [3], 'bool');
    expect(backend.memory()).toEqual({ bytes: 24 + 3, buffers: 2 });

    const xi: TensorInfo = { dataId: x, shape: [3], dtype: 'float64' };
    const f = backend.kernels.cast(xi, { shape: [3], dtype: 'float32' });
    const s = backend.kernels.reduce('sum', xi, [0], { shape: [], dtype: 'float64' });
    const i = backend.kernels.argReduce('argmax', xi, 0, { shape: [], dtype: 'int32' });
    expect(backend.memory()).toEqual({ bytes: 27 + 12 + 8 + 4, buffers: 5 });

    backend.dispose(f);
    expect(backend.memory()).toEqual({ bytes: 39, buffers: 4 });
    backend.dispose(f);
    expect(backend.memory()).toEqual({ bytes: 39, buffers: 4 });
    for (const id of [x, m, s, i]) backend.dispose(id);
    expect(backend.memory()).toEqual({ bytes: 0, buffers: 0 });
  });

  it('counts empty tensors as buffers of zero bytes', () => {
    const backend = createCpuBackend();
    const id = backend.kernels.fill(1, { shape: [0, 3], dtype: 'float64' });
    expect(backend.memory()).toEqual({ bytes: 0, buffers: 1 });
    backend.dispose(id);
    expect(backend.memory()).toEqual({ bytes: 0, buffers: 0 });
  });
});

describe('adopt', () => {
  it('takes a TypedArray as the data without copying, counts it, and releases it on dispose', () => {
    const backend = createCpuBackend();
    const values = new Float32Array([1.5, -2, 3]);
    const id = backend.adopt(values, 'float32');
    expect(id).toBeInstanceOf(CpuData);
    expect(backend.readSync(id)).toBe(values);
    expect(backend.memory()).toEqual({ bytes: 12, buffers: 1 });
    // Kernels read adopted data like written data.
    const neg = backend.kernels.unary(
      'neg',
      { dataId: id, shape: [3], dtype: 'float32' },
      { shape: [3], dtype: 'float32' },
    );
    expectValues(backend.readSync(neg), [-1.5, 2, -3], 'float32');
    backend.dispose(id);
    expect(() => backend.readSync(id)).toThrow(DisposedTensorError);
    expect(backend.memory()).toEqual({ bytes: 12, buffers: 1 });
    expect(backend.readSync(backend.adopt(new Uint8Array(0), 'bool'))).toHaveLength(0);
    expect(backend.memory()).toEqual({ bytes: 12, buffers: 2 });
  });

  it('adopts every dtype and makes tensors through makeTensor', () => {
    const backend = createCpuBackend();
    const cases = [
      [new Float64Array([1, 2]), 'float64'],
      [new Float32Array([1, 2]), 'float32'],
      [new Int32Array([1, 2]), 'int32'],
      [new Uint8Array([1, 0]), 'bool'],
    ] as const;
    for (const [values, dtype] of cases) {
      const t = makeTensor(backend.adopt(values, dtype), [2], dtype, backend);
      expect([t.dtype, t.dataSync()]).toEqual([dtype, values]);
      expect(t.dataSync()).toBe(values);
    }
  });

  it("rejects an array that is not the dtype's TypedArray, naming both", () => {
    const backend = createCpuBackend();
    expect(() => backend.adopt(new Float64Array(2) as unknown as Float32Array, 'float32')).toThrow(
      'cpu backend: adopt: expected a Float32Array for dtype float32, received Float64Array',
    );
    expect(() => backend.adopt(new Uint8ClampedArray(2) as unknown as Uint8Array, 'bool')).toThrow(
      MgTypeError,
    );
    expect(() => backend.adopt([1, 2] as unknown as Float64Array, 'float64')).toThrow(MgTypeError);
    expect(backend.memory()).toEqual({ bytes: 0, buffers: 0 });
  });
});

describe('dispose', () => {
  it('makes later use an error, for reads and for kernels', async () => {
    const backend = createCpuBackend();
    const id = backend.write(new Float64Array([1]), [1], 'float64');
    backend.dispose(id);
    expect(() => backend.readSync(id)).toThrow(DisposedTensorError);
    await expect(backend.read(id)).rejects.toThrow(DisposedTensorError);
    expect(() =>
      backend.kernels.unary(
        'neg',
        { dataId: id, shape: [1], dtype: 'float64' },
        { shape: [1], dtype: 'float64' },
      ),
    ).toThrow(DisposedTensorError);
  });

  it('rejects DataIds that another backend made', () => {
    const backend = createCpuBackend();
    const foreign = {};
    expect(() => backend.readSync(foreign)).toThrow(MgTypeError);
    expect(() => backend.dispose(foreign)).toThrow(MgTypeError);
  });
});

describe('kernel outputs', () => {
  // Kernels that could be tempted to hand back their input unchanged: each must own a fresh buffer, so
  // disposing the input leaves the output intact.
  const backend = createCpuBackend();
  const x = (): TensorInfo => ({
    dataId: backend.write(new Float64Array([1, 2, 3, 4]), [2, 2], 'float64'),
    shape: [2, 2],
    dtype: 'float64',
  });
  const out = { shape: [2, 2], dtype: 'float64' } as const;
  const IDENTITIES: [string, (t: TensorInfo) => object][] = [
    ['cast to the same dtype', (t) => backend.kernels.cast(t, out)],
    ['broadcastTo the same shape', (t) => backend.kernels.broadcastTo(t, out)],
    ['identity transpose', (t) => backend.kernels.transpose(t, [0, 1], out)],
    ['full slice', (t) => backend.kernels.slice(t, [0, 0], [1, 1], out)],
    ['reduce over no axes', (t) => backend.kernels.reduce('sum', t, [], out)],
    [
      'zero padding',
      (t) =>
        backend.kernels.pad(
          t,
          [
            [0, 0],
            [0, 0],
          ],
          0,
          out,
        ),
    ],
    ['concat of one tensor', (t) => backend.kernels.concat([t], 0, out)],
  ];
  it.each(IDENTITIES)('%s returns a new buffer', (_, run) => {
    const input = x();
    const id = run(input);
    expect(backend.readSync(id)).not.toBe(backend.readSync(input.dataId));
    backend.dispose(input.dataId);
    expectValues(backend.readSync(id), [1, 2, 3, 4], 'float64');
  });
});

describe('specializer', () => {
  function template(f: (x: number) => number, out: Float64Array): void {
    for (let i = 0; i < out.length; i++) out[i] = f(i);
  }

  it('makes one working copy per key and reuses it', () => {
    const copyOf = specializer(template);
    const double = (x: number) => 2 * x;
    const square = (x: number) => x * x;
    const a = copyOf(double);
    expect(copyOf(double)).toBe(a);
    expect(copyOf(square)).not.toBe(a);
    const out = new Float64Array(4);
    a(double, out);
    expect(Array.from(out)).toEqual([0, 2, 4, 6]);
    copyOf(square)(square, out);
    expect(Array.from(out)).toEqual([0, 1, 4, 9]);
  });

  it('compiles a separate function from the template where eval is allowed', () => {
    const copyOf = specializer(template);
    expect(copyOf(Math.abs)).not.toBe(template);
  });
});
