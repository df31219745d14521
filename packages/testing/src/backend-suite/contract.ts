// The suite's tests of the backend object itself: the kernel table, storage and reads, memory accounting,
// dispose, and that kernels never hand back their input's buffer. Each test works on a new backend.
import {
  type Backend,
  DisposedTensorError,
  type DType,
  MgTypeError,
  PRIMITIVE_NAMES,
  type PrimitiveKernels,
  type Shape,
  type TensorInfo,
  type TypedArray,
} from '@mg/core';
import { expect } from 'vitest';
import { expectValues } from './expect.js';
import type { SuiteContext } from './harness.js';

function vector(backend: Backend, values: number[]): TensorInfo {
  return {
    dataId: backend.write(new Float64Array(values), [values.length], 'float64'),
    shape: [values.length],
    dtype: 'float64',
  };
}

/** Registers the groups about the backend object. */
export function contractTests({ root, fresh }: SuiteContext): void {
  root.group('backend', (g) => {
    g.test('has a name and every primitive kernel', async () => {
      const backend = await fresh();
      expect(typeof backend.name).toBe('string');
      expect(backend.name.length).toBeGreaterThan(0);
      for (const name of PRIMITIVE_NAMES) expect(typeof backend.kernels[name], name).toBe('function');
    });
  });

  root.group('storage', (g) => {
    g.test(
      "copies on write and reads back the values as the dtype's TypedArray, sync and async",
      async () => {
        const backend = await fresh();
        const source = new Float32Array([1, 2, 3]);
        const id = backend.write(source, [3], 'float32');
        source[0] = 99;
        const values = backend.readSync(id);
        expect(values).toBeInstanceOf(Float32Array);
        expect(Array.from(values)).toEqual([1, 2, 3]);
        const later = await backend.read(id);
        expect(later).toBeInstanceOf(Float32Array);
        expect(Array.from(later)).toEqual([1, 2, 3]);
      },
    );

    g.test('stores each dtype in its TypedArray, and empty and 0-d tensors', async () => {
      const backend = await fresh();
      const cases: [TypedArray, Shape, DType][] = [
        [new Float64Array([1.5, -0]), [2], 'float64'],
        [new Float32Array([0.5]), [1], 'float32'],
        [new Int32Array([1, -2]), [2], 'int32'],
        [new Uint8Array([1, 0]), [2], 'bool'],
        [new Float64Array([7]), [], 'float64'],
        [new Float32Array(0), [0, 3], 'float32'],
      ];
      for (const [values, shape, dtype] of cases) {
        const out = backend.readSync(backend.write(values, shape, dtype));
        expect(out).toBeInstanceOf(values.constructor);
        expect(Array.from(out)).toEqual(Array.from(values));
      }
    });
  });

  root.group('memory', (g) => {
    g.test(
      'counts bytes and buffers of writes and of every kernel output, and releases them on dispose',
      async () => {
        const backend = await fresh();
        const base = backend.memory();
        const at = (bytes: number, buffers: number) => ({
          bytes: base.bytes + bytes,
          buffers: base.buffers + buffers,
        });
        const x = backend.write(new Float64Array([1, 2, 3]), [3], 'float64');
        const m = backend.write(new Uint8Array([1, 0, 1]), [3], 'bool');
        expect(backend.memory()).toEqual(at(24 + 3, 2));
        const xi: TensorInfo = { dataId: x, shape: [3], dtype: 'float64' };
        const f = backend.kernels.cast(xi, { shape: [3], dtype: 'float32' });
        const s = backend.kernels.reduce('sum', xi, [0], { shape: [], dtype: 'float64' });
        const i = backend.kernels.argReduce('argmax', xi, 0, { shape: [], dtype: 'int32' });
        expect(backend.memory()).toEqual(at(27 + 12 + 8 + 4, 5));
        backend.dispose(f);
        expect(backend.memory()).toEqual(at(39, 4));
        // Disposing twice is a no-op.
        backend.dispose(f);
        expect(backend.memory()).toEqual(at(39, 4));
        for (const id of [x, m, s, i]) backend.dispose(id);
        expect(backend.memory()).toEqual(base);
      },
    );

    g.test('counts empty tensors as buffers of zero bytes, and temporaries not at all', async () => {
      const backend = await fresh();
      const base = backend.memory();
      const id = backend.kernels.fill(1, { shape: [0, 3], dtype: 'float64' });
      expect(backend.memory()).toEqual({ bytes: base.bytes, buffers: base.buffers + 1 });
      backend.dispose(id);
      const x = backend.write(new Float32Array(24), [2, 3, 4], 'float32');
      // Non-adjacent axes may go through a transposed temporary, matmul through a packing workspace.
      const r = backend.kernels.reduce('sum', { dataId: x, shape: [2, 3, 4], dtype: 'float32' }, [0, 2], {
        shape: [3],
        dtype: 'float32',
      });
      const a = { dataId: x, shape: [2, 3, 4], dtype: 'float32' } as const;
      const p = backend.kernels.matmul(a, a, false, true, { shape: [2, 3, 3], dtype: 'float32' });
      expect(backend.memory()).toEqual({ bytes: base.bytes + 96 + 12 + 72, buffers: base.buffers + 3 });
      for (const dataId of [r, p, x]) backend.dispose(dataId);
      expect(backend.memory()).toEqual(base);
    });

    g.test('keeps the accounts of separately created backends apart', async () => {
      const a = await fresh();
      const b = await fresh();
      if (a === b) return; // `create` hands out one instance: nothing to compare.
      const before = b.memory();
      const id = a.write(new Float64Array(4), [4], 'float64');
      expect(b.memory()).toEqual(before);
      a.dispose(id);
    });
  });

  root.group('dispose', (g) => {
    g.test('makes later use an error (DisposedTensorError), for reads and for kernels', async () => {
      const backend = await fresh();
      const base = backend.memory();
      const x = vector(backend, [1]);
      backend.dispose(x.dataId);
      expect(() => backend.readSync(x.dataId)).toThrow(DisposedTensorError);
      await expect(backend.read(x.dataId)).rejects.toThrow(DisposedTensorError);
      expect(() => backend.kernels.unary('neg', x, { shape: [1], dtype: 'float64' })).toThrow(
        DisposedTensorError,
      );
      expect(backend.memory()).toEqual(base);
    });

    g.test('rejects DataIds that another backend made (MgTypeError)', async () => {
      const backend = await fresh();
      const foreign = {};
      expect(() => backend.readSync(foreign)).toThrow(MgTypeError);
      expect(() => backend.dispose(foreign)).toThrow(MgTypeError);
    });
  });

  // Kernels that could be tempted to hand back their input unchanged: each must own a fresh buffer, so disposing
  // the input leaves the output intact.
  root.group('kernel outputs', (g) => {
    const out = { shape: [2, 2], dtype: 'float64' } as const;
    const IDENTITIES: [string, (k: PrimitiveKernels, t: TensorInfo) => object][] = [
      ['cast to the same dtype', (k, t) => k.cast(t, out)],
      ['broadcastTo the same shape', (k, t) => k.broadcastTo(t, out)],
      ['identity transpose', (k, t) => k.transpose(t, [0, 1], out)],
      ['full slice', (k, t) => k.slice(t, [0, 0], [1, 1], out)],
      ['sum over no axes', (k, t) => k.reduce('sum', t, [], out)],
      ['max over no axes', (k, t) => k.reduce('max', t, [], out)],
      [
        'zero padding',
        (k, t) =>
          k.pad(
            t,
            [
              [0, 0],
              [0, 0],
            ],
            0,
            out,
          ),
      ],
      ['concat of one tensor', (k, t) => k.concat([t], 0, out)],
    ];
    for (const [name, run] of IDENTITIES) {
      g.test(`${name} returns a new buffer`, async () => {
        const backend = await fresh();
        const input: TensorInfo = { ...vector(backend, [1, 2, 3, 4]), shape: [2, 2] };
        const id = run(backend.kernels, input);
        expect(id).not.toBe(input.dataId);
        expect(backend.readSync(id)).not.toBe(backend.readSync(input.dataId));
        backend.dispose(input.dataId);
        expectValues(backend.readSync(id), [1, 2, 3, 4], 'float64');
        backend.dispose(id);
      });
    }
  });
}
