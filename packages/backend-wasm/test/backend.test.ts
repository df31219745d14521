// What only the wasm backend has: asynchronous loading from bytes or a module, a configurable singleton, copies
// on read, growing and reused linear memory, and its typed errors (use before init, a bad module, out of
// memory). The storage, memory and dispose contract it shares with every backend is in kernels.test.ts.
import { readFileSync } from 'node:fs';
import { MgError, MgTypeError, MgValueError, PRIMITIVE_NAMES, type TensorInfo } from '@mg/core';
import { describe, expect, it } from 'vitest';
import { UNZEROED_COPY_BYTES } from '../src/backend.js';
import { createWasmBackend, WasmData, WasmMemoryError, WasmModuleError, wasm } from '../src/index.js';

const MiB = 2 ** 20;

async function ready(options: Parameters<typeof createWasmBackend>[0] = {}) {
  const backend = createWasmBackend(options);
  await backend.init();
  return backend;
}

describe('wasm()', () => {
  it('is named wasm, initialises asynchronously, and has every primitive kernel', async () => {
    const backend = createWasmBackend();
    expect(backend.name).toBe('wasm');
    expect(backend.garbageCollected).toBe(false);
    expect(backend.ready).toBe(false);
    const pending = backend.init();
    expect(pending).toBeInstanceOf(Promise);
    expect(backend.init()).toBe(pending);
    await pending;
    expect(backend.ready).toBe(true);
    for (const name of PRIMITIVE_NAMES) expect(typeof backend.kernels[name], name).toBe('function');
  });

  it('is one instance, configurable until it is initialised', async () => {
    expect(wasm()).toBe(wasm());
    expect(wasm({ initialMemory: MiB })).toBe(wasm());
    await wasm().init();
    expect(() => wasm({ maxMemory: MiB })).toThrow(MgValueError);
  });

  it('refuses to work before init, with a typed error', () => {
    const backend = createWasmBackend();
    expect(() => backend.write(new Float64Array(1), [1], 'float64')).toThrow(WasmModuleError);
  });

  it('loads the kernels from other bytes or a compiled module', async () => {
    const bytes = readFileSync(new URL('../build/mg.wasm', import.meta.url));
    const fromModule = await ready({ module: new WebAssembly.Module(bytes) });
    const fromBytes = await ready({ module: new Uint8Array(bytes) });
    for (const backend of [fromModule, fromBytes]) {
      const id = backend.write(new Float64Array([1, 4]), [2], 'float64');
      const out = backend.kernels.unary(
        'sqrt',
        { dataId: id, shape: [2], dtype: 'float64' },
        { shape: [2], dtype: 'float64' },
      );
      expect(Array.from(backend.readSync(out))).toEqual([1, 2]);
    }
  });

  it('rejects a module that is not wasm, or lacks the kernels, with WasmModuleError', async () => {
    await expect(ready({ module: new Uint8Array([1, 2, 3, 4]) })).rejects.toThrow(WasmModuleError);
    // The smallest valid module: no exports at all.
    const empty = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    const err = await ready({ module: empty }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WasmModuleError);
    expect(err).toBeInstanceOf(MgError);
    expect((err as Error).message).toMatch(/does not export alloc, free, unary/);
  });
});

describe('storage', () => {
  it('reads back a fresh copy each time, from 16-byte aligned memory', async () => {
    const backend = await ready();
    const id = backend.write(new Float32Array([1, 2, 3]), [3], 'float32');
    const values = backend.readSync(id);
    values[1] = -1;
    expect(Array.from(backend.readSync(id))).toEqual([1, 2, 3]);
    expect(backend.readSync(id)).not.toBe(values);
    expect(id).toBeInstanceOf(WasmData);
    expect((id as WasmData).ptr % 16).toBe(0);
  });

  it('reads large data back into an ArrayBuffer of its own, every byte written (unzeroed in Node)', async () => {
    const backend = await ready();
    // Sizes around UNZEROED_COPY_BYTES, each dtype, in memory that held other data before (garbage to leak).
    for (const [dtype, make] of [
      ['float32', (n: number) => Float32Array.from({ length: n }, (_, i) => i - 7.5)],
      ['float64', (n: number) => Float64Array.from({ length: n }, (_, i) => i * 0.25 - 3)],
      ['int32', (n: number) => Int32Array.from({ length: n }, (_, i) => (i * 7919) | 0)],
      ['bool', (n: number) => Uint8Array.from({ length: n }, (_, i) => Number(i % 3 === 0))],
    ] as const) {
      const width = make(1).BYTES_PER_ELEMENT;
      for (const bytes of [UNZEROED_COPY_BYTES - 16, UNZEROED_COPY_BYTES, 4 * MiB]) {
        const n = bytes / width;
        const junk = backend.write(new Float64Array(bytes / 8).fill(Number.NaN), [bytes / 8], 'float64');
        backend.dispose(junk);
        const values = make(n);
        const id = backend.write(values, [n], dtype);
        const back = backend.readSync(id);
        expect(back.constructor).toBe(values.constructor);
        expect([back.byteOffset, back.buffer.byteLength]).toEqual([0, bytes]);
        expect(Buffer.from(back.buffer).equals(Buffer.from(values.buffer)), `${dtype} ${bytes}`).toBe(true);
        back[0] = 99;
        expect(backend.readSync(id)[0]).toBe(values[0]);
        backend.dispose(id);
      }
    }
  });

  it('keeps tensors intact and readable when memory grows (views are re-made)', async () => {
    const backend = await ready({ initialMemory: 64 * 1024 });
    const ids = [1, 2, 3].map((v) => backend.write(new Float64Array(1000).fill(v), [1000], 'float64'));
    const before = backend.heapBytes();
    const big = backend.kernels.fill(5, { shape: [3 * MiB], dtype: 'float32' });
    expect(backend.heapBytes()).toBeGreaterThan(before);
    ids.forEach((id, i) => {
      expect(backend.readSync(id).every((v) => v === i + 1)).toBe(true);
    });
    const next = backend.write(new Float64Array([8]), [1], 'float64');
    expect(Array.from(backend.readSync(next))).toEqual([8]);
    expect(backend.readSync(big)[3 * MiB - 1]).toBe(5);
  });

  it('reuses freed memory: alternating allocations and disposals do not grow it', async () => {
    const backend = await ready();
    const x: TensorInfo = {
      dataId: backend.write(new Float32Array(MiB), [MiB], 'float32'),
      shape: [MiB],
      dtype: 'float32',
    };
    const spec = { shape: [MiB], dtype: 'float32' } as const;
    backend.dispose(backend.kernels.unary('exp', x, spec));
    const size = backend.heapBytes();
    for (let i = 0; i < 20; i++) backend.dispose(backend.kernels.unary('exp', x, spec));
    expect(backend.heapBytes()).toBe(size);
  });
});

describe('errors', () => {
  it('rejects DataIds that another wasm instance made (its pointers mean nothing here)', async () => {
    const a = await ready();
    const b = await ready();
    const foreign = b.write(new Float64Array([1]), [1], 'float64');
    expect(() => a.readSync(foreign)).toThrow(MgTypeError);
    expect(() => a.dispose(foreign)).toThrow(MgTypeError);
  });

  it('throws WasmMemoryError, never a wrong number, when memory cannot grow; existing data survives', async () => {
    const backend = await ready({ maxMemory: 16 * MiB });
    const keep = backend.write(new Float64Array([1, 2, 3]), [3], 'float64');
    const x: TensorInfo = {
      dataId: backend.write(new Float64Array(MiB / 2), [MiB / 2], 'float64'),
      shape: [MiB / 2],
      dtype: 'float64',
    };
    const live: object[] = [];
    const grow = () => {
      for (;;) live.push(backend.kernels.unary('exp', x, { shape: [MiB / 2], dtype: 'float64' }));
    };
    expect(grow).toThrow(WasmMemoryError);
    expect(live.length).toBeGreaterThan(0);
    expect(live.length).toBeLessThan(3);
    const counted = backend.memory();
    expect(counted.buffers).toBe(2 + live.length);
    expect(Array.from(backend.readSync(keep))).toEqual([1, 2, 3]);
    expect(() => backend.write(new Float64Array(2 * MiB), [2 * MiB], 'float64')).toThrow(WasmMemoryError);
    expect(() => backend.kernels.fill(0, { shape: [2 * MiB], dtype: 'float64' })).toThrow(/cannot allocate/);
    expect(backend.memory()).toEqual(counted);
    // After freeing, the same allocations succeed again.
    for (const id of live) backend.dispose(id);
    const again = backend.kernels.unary('exp', x, { shape: [MiB / 2], dtype: 'float64' });
    expect(backend.readSync(again)[0]).toBe(1);
  });

  it('throws WasmMemoryError for a tensor larger than one block (1 GiB)', async () => {
    const backend = await ready();
    const err = (() => {
      try {
        backend.kernels.fill(1, { shape: [2 ** 28], dtype: 'float64' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(WasmMemoryError);
    expect((err as WasmMemoryError).pythonErrors).toEqual(['MemoryError']);
    expect(backend.memory()).toEqual({ bytes: 0, buffers: 0 });
  });
});
