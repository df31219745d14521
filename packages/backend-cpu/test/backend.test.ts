// What only the cpu backend has: a synchronous singleton, reads without copying, and adopt.
// The storage, memory and dispose contract it shares with every backend is in kernels.test.ts.
import { DisposedTensorError, MgTypeError, makeTensor, PRIMITIVE_NAMES } from '@mg/core';
import { expectValues } from '@mg/testing/backend-suite';
import { describe, expect, it } from 'vitest';
import { CpuData, cpu, createCpuBackend } from '../src/index.js';

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
});

describe('storage', () => {
  it('reads back its own TypedArray, without copying', async () => {
    const backend = createCpuBackend();
    const id = backend.write(new Float32Array([1, 2, 3]), [3], 'float32');
    const values = backend.readSync(id);
    expect(backend.readSync(id)).toBe(values);
    expect(await backend.read(id)).toBe(values);
    expect(id).toBeInstanceOf(CpuData);
    expect((id as CpuData).values).toBe(values);
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
