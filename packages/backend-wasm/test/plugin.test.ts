// Third-party kernel modules on the wasm backend: a valid hand-assembled module runs on tensors' data in
// place (also after memory growth), every unsafe kind of module is rejected before it can touch memory, and
// the pointer and allocation helpers a fused kernel uses.
import { MgTypeError, makeTensor, registerBackend, setBackend, tensor } from '@mg/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  allocateLike,
  allocateWasm,
  createWasmBackend,
  loadWasmKernels,
  validateWasmKernels,
  WasmData,
  WasmModuleError,
  wasm,
  wasmData,
} from '../src/index.js';

// ---- a tiny module assembler (WebAssembly binary format), enough for the good module and each bad variant ----

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
};
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const name = (s: string) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
/** "\0asm", version 1. */
const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const body = (code: number[]) => [...uleb(code.length + 1), 0, ...code];

interface Variant {
  /** A second import, `env.abort`, as AssemblyScript's default build has. */
  readonly extraImport?: boolean;
  /** A memory of its own instead of importing the backend's. */
  readonly ownMemory?: boolean;
  readonly start?: boolean;
  readonly data?: boolean;
}

/** A module exporting scale(ptr: i32, factor: f32): the float32 at ptr is multiplied by factor. */
function moduleBytes(v: Variant = {}): Uint8Array<ArrayBuffer> {
  const memoryImport = [...name('env'), ...name('memory'), 0x02, 0x00, 0x00];
  const imports = [
    ...(v.ownMemory ? [] : [memoryImport]),
    ...(v.extraImport ? [[...name('env'), ...name('abort'), 0x00, 0x01]] : []),
  ];
  const imported = v.extraImport ? 1 : 0;
  // scale: *ptr = *ptr * factor (f32.load/f32.store with alignment 2, offset 0).
  const scale = [0x20, 0, 0x20, 0, 0x2a, 2, 0, 0x20, 1, 0x94, 0x38, 2, 0, 0x0b];
  return new Uint8Array([
    ...HEADER,
    ...section(
      1,
      vec([
        [0x60, 2, 0x7f, 0x7d, 0],
        [0x60, 0, 0],
      ]),
    ),
    ...(imports.length > 0 ? section(2, vec(imports)) : []),
    ...section(3, vec(v.start ? [[0], [1]] : [[0]])),
    ...(v.ownMemory ? section(5, vec([[0x00, 0x01]])) : []),
    ...section(7, vec([[...name('scale'), 0x00, imported]])),
    ...(v.start ? section(8, uleb(imported + 1)) : []),
    ...section(10, vec(v.start ? [body(scale), body([0x0b])] : [body(scale)])),
    ...(v.data ? section(11, vec([[0x00, 0x41, 0x00, 0x0b, ...vec([[1], [2], [3]])]])) : []),
  ]);
}

interface Scale {
  scale(ptr: number, factor: number): void;
}

beforeAll(async () => {
  registerBackend(wasm());
  await setBackend('wasm');
});

describe('loadWasmKernels', () => {
  it('runs a valid module on tensor data in place, sharing the backend memory', async () => {
    const kernels = await loadWasmKernels<Scale>(moduleBytes(), { functions: ['scale'] });
    expect(kernels.memory).toBe(wasm().wasmMemory());
    const x = tensor([1.5, -2], { dtype: 'float32' });
    const data = wasmData(x);
    expect(data).toBeInstanceOf(WasmData);
    kernels.exports.scale(data.ptr, 4);
    kernels.exports.scale(data.ptr + 4, 0.5);
    expect(Array.from(x.dataSync())).toEqual([6, -1]);
  });

  it('keeps working after the memory grew between calls (pointers stay valid, views are made anew)', async () => {
    const backend = createWasmBackend({ initialMemory: 2 ** 17 });
    const kernels = await loadWasmKernels<Scale>(moduleBytes(), { backend });
    const data = backend.write(new Float32Array([3]), [1], 'float32') as WasmData;
    kernels.exports.scale(data.ptr, 2);
    const before = backend.heapBytes();
    const big = backend.write(new Float32Array(4 * 2 ** 20).fill(1), [4 * 2 ** 20], 'float32');
    expect(backend.heapBytes()).toBeGreaterThan(before);
    expect(kernels.memory.buffer.byteLength).toBe(backend.heapBytes());
    kernels.exports.scale(data.ptr, 2);
    expect(Array.from(backend.readSync(data))).toEqual([12]);
    expect(backend.readSync(big)[4 * 2 ** 20 - 1]).toBe(1);
  });

  it('also loads synchronously from the backend object (for small modules)', () => {
    const kernels = wasm().loadKernelsSync<Scale>(moduleBytes());
    const x = tensor([2], { dtype: 'float32' });
    kernels.exports.scale(wasmData(x).ptr, 3);
    expect(x.item()).toBe(6);
  });

  it.each([
    ['a data segment', { data: true }, /1 data segment/],
    ['a start function', { start: true }, /start function/],
    ['a memory of its own', { ownMemory: true }, /memory of its own/],
    ['an import other than env.memory', { extraImport: true }, /imports function env\.abort/],
  ] as const)('rejects a module with %s, before instantiating it', async (_what, variant, message) => {
    const backend = createWasmBackend();
    await backend.init();
    const data = backend.write(new Float64Array(64).fill(7), [64], 'float64');
    const bytes = moduleBytes(variant);
    // The variant is a valid wasm module: only the plugin rules reject it.
    expect(WebAssembly.validate(bytes)).toBe(true);
    await expect(loadWasmKernels(bytes, { backend })).rejects.toThrow(message);
    await expect(loadWasmKernels(bytes, { backend })).rejects.toThrow(WasmModuleError);
    expect(() => backend.loadKernelsSync(bytes)).toThrow(WasmModuleError);
    expect(() => validateWasmKernels(bytes)).toThrow(WasmModuleError);
    expect(Array.from(backend.readSync(data)).every((v) => v === 7)).toBe(true);
  });

  it('rejects what is not a module, and a module lacking a required function', async () => {
    await expect(loadWasmKernels(new Uint8Array([1, 2, 3]))).rejects.toThrow(/not a WebAssembly/);
    await expect(loadWasmKernels(moduleBytes().subarray(0, 20))).rejects.toThrow(WasmModuleError);
    await expect(
      loadWasmKernels<Scale & { shift(): void }>(moduleBytes(), { functions: ['scale', 'shift'] }),
    ).rejects.toThrow(/shift/);
  });

  it('matches the bytes of the README/TSDoc example', () => {
    expect(Array.from(moduleBytes())).toEqual([
      0, 97, 115, 109, 1, 0, 0, 0, 1, 9, 2, 96, 2, 127, 125, 0, 96, 0, 0, 2, 15, 1, 3, 101, 110, 118, 6, 109,
      101, 109, 111, 114, 121, 2, 0, 0, 3, 2, 1, 0, 7, 9, 1, 5, 115, 99, 97, 108, 101, 0, 0, 10, 17, 1, 15, 0,
      32, 0, 32, 0, 42, 2, 0, 32, 1, 148, 56, 2, 0, 11,
    ]);
  });
});

describe('wasmData, allocateWasm, allocateLike', () => {
  it('give a tensor pointer and output blocks that makeTensor wraps, counted in memory()', () => {
    const x = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'float32' },
    );
    const data = wasmData(x);
    expect([data.length, data.dtype, data.ptr % 16, data.byteLength]).toEqual([4, 'float32', 0, 16]);
    const before = wasm().memory();
    const out = allocateLike(x, 'float64');
    expect([out.length, out.dtype]).toEqual([4, 'float64']);
    expect(wasm().memory()).toEqual({ bytes: before.bytes + 32, buffers: before.buffers + 1 });
    const view = new Float64Array(wasm().wasmMemory().buffer, out.ptr, 4);
    view.set([5, 6, 7, 8]);
    const t = makeTensor(out, [2, 2], 'float64');
    expect(t.toArray()).toEqual([
      [5, 6],
      [7, 8],
    ]);
    t.dispose();
    expect(wasm().memory()).toEqual(before);
    expect(allocateWasm('int32', 0).ptr).toBe(0);
    expect(() => allocateWasm('float32', -1)).toThrow(MgTypeError);
    expect(() => allocateWasm('float32', 1.5)).toThrow(MgTypeError);
  });
});
