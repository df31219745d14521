// The instantiated kernel module: its memory, typed views that follow memory growth, the allocator with
// typed out-of-memory errors, and two reusable scratch areas (loop plans, kernel workspace).
import type { DType } from '@mg/core';
import { WasmMemoryError, WasmModuleError } from './errors.js';

/** The kernel module's exports (see assembly/index.ts); pointers and sizes are i32 in wasm. */
export interface KernelExports {
  alloc(bytes: number): number;
  free(ptr: number): void;
  unary(op: number, dt: number, x: number, out: number, n: number): void;
  binary(op: number, dt: number, a: number, b: number, out: number, meta: number, r: number): void;
  where(size: number, c: number, a: number, b: number, out: number, meta: number, r: number): void;
  cast(from: number, to: number, x: number, out: number, n: number): void;
  gatherStrided(size: number, x: number, base: number, out: number, meta: number, r: number): void;
  scatterStrided(size: number, x: number, out: number, base: number, meta: number, r: number): void;
  gatherAxis(
    size: number,
    x: number,
    idx: number,
    count: number,
    out: number,
    outer: number,
    axis: number,
    inner: number,
  ): void;
  scatterAdd(
    dt: number,
    u: number,
    idx: number,
    count: number,
    out: number,
    outer: number,
    axis: number,
    inner: number,
  ): void;
  concat(list: number, count: number, out: number, outer: number): void;
  fill(dt: number, out: number, n: number, value: number): void;
  reduceRuns(op: number, dt: number, x: number, out: number, outer: number, size: number): void;
  reduceRows(
    op: number,
    dt: number,
    x: number,
    out: number,
    outer: number,
    size: number,
    inner: number,
    tmp: number,
  ): void;
  argReduce(
    max: number,
    dt: number,
    x: number,
    out: number,
    outer: number,
    size: number,
    inner: number,
    best: number,
  ): void;
  cumulative(
    prod: number,
    dt: number,
    x: number,
    out: number,
    outer: number,
    size: number,
    inner: number,
  ): void;
  matmul(
    dt: number,
    a: number,
    b: number,
    c: number,
    m: number,
    n: number,
    k: number,
    transA: number,
    transB: number,
    work: number,
  ): void;
  matmulWorkspace(dt: number): number;
}

const REQUIRED: readonly (keyof KernelExports)[] = [
  'alloc',
  'free',
  'unary',
  'binary',
  'where',
  'cast',
  'gatherStrided',
  'scatterStrided',
  'gatherAxis',
  'scatterAdd',
  'concat',
  'fill',
  'reduceRuns',
  'reduceRows',
  'argReduce',
  'cumulative',
  'matmul',
  'matmulWorkspace',
];

/** dtype codes the kernels take. */
export const DT: Record<DType, number> = { float64: 0, float32: 1, int32: 2, bool: 3 };
/** Bytes per element. */
export const BYTES: Record<DType, number> = { float64: 8, float32: 4, int32: 4, bool: 1 };

const PAGE = 65536;
// The allocator's largest block (AssemblyScript's TLSF: 1 GiB less its block header).
const MAX_BLOCK = 2 ** 30 - 16;
// wasm32 addresses 4 GiB at most.
const MAX_PAGES = 65536;

/** What `abort` reports (AssemblyScript calls it on "allocation too large"). */
class AbortSignal extends Error {}

/** Where the kernel module comes from. */
export type ModuleSource = BufferSource | WebAssembly.Module | URL | string;

export interface RuntimeOptions {
  readonly module: ModuleSource;
  /** Upper bound on the wasm memory, in bytes (rounded down to 64 KiB pages). */
  readonly maxMemory?: number;
  /** Memory to reserve at start, in bytes (rounded up to pages). */
  readonly initialMemory?: number;
}

async function compile(source: ModuleSource): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (typeof source === 'string' || source instanceof URL) {
    const response = await fetch(source);
    if (!response.ok) throw new Error(`fetching ${String(source)} gave HTTP ${response.status}`);
    return WebAssembly.compile(await response.arrayBuffer());
  }
  return WebAssembly.compile(source);
}

/** The live module: exports, memory and allocation. */
export class Runtime {
  readonly exports: KernelExports;
  readonly memory: WebAssembly.Memory;
  private buffer: ArrayBuffer | null = null;
  private views: Record<DType, Float64Array | Float32Array | Int32Array | Uint8Array> | null = null;
  private scratch = [
    { ptr: 0, bytes: 0 },
    { ptr: 0, bytes: 0 },
  ];
  private readonly maxPages: number;

  private constructor(instance: WebAssembly.Instance, memory: WebAssembly.Memory, maxPages: number) {
    this.exports = instance.exports as unknown as KernelExports;
    this.memory = memory;
    this.maxPages = maxPages;
  }

  /** Compiles and instantiates the module with a memory of its own. */
  static async create(options: RuntimeOptions): Promise<Runtime> {
    let module: WebAssembly.Module;
    try {
      module = await compile(options.module);
    } catch (e) {
      throw new WasmModuleError(`wasm backend: could not load the kernel module: ${(e as Error).message}`);
    }
    const maxPages = Math.min(MAX_PAGES, Math.floor((options.maxMemory ?? MAX_PAGES * PAGE) / PAGE));
    const initial = Math.min(maxPages, Math.max(2, Math.ceil((options.initialMemory ?? 0) / PAGE)));
    let memory: WebAssembly.Memory;
    try {
      memory = new WebAssembly.Memory({ initial, maximum: maxPages });
    } catch (e) {
      throw new WasmMemoryError(
        `wasm backend: cannot reserve ${initial} pages of memory: ${(e as Error).message}`,
      );
    }
    const abort = () => {
      throw new AbortSignal('abort');
    };
    let instance: WebAssembly.Instance;
    try {
      instance = await WebAssembly.instantiate(module, { env: { memory, abort } });
    } catch (e) {
      throw new WasmModuleError(
        `wasm backend: could not instantiate the kernel module: ${(e as Error).message}`,
      );
    }
    const missing = REQUIRED.filter((name) => typeof instance.exports[name] !== 'function');
    if (missing.length > 0) {
      throw new WasmModuleError(`wasm backend: the module does not export ${missing.join(', ')}`);
    }
    return new Runtime(instance, memory, maxPages);
  }

  /** A view of all of memory as `dtype`'s TypedArray, re-made whenever growth replaced the buffer. */
  view(dtype: DType): Float64Array | Float32Array | Int32Array | Uint8Array {
    const buffer = this.memory.buffer;
    if (buffer !== this.buffer || this.views === null) {
      this.buffer = buffer;
      this.views = {
        float64: new Float64Array(buffer),
        float32: new Float32Array(buffer),
        int32: new Int32Array(buffer),
        bool: new Uint8Array(buffer),
      };
    }
    return this.views[dtype];
  }

  /** Bytes of wasm memory in use by the module (live data, scratch and free blocks). */
  get memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }

  /**
   * A 16-byte aligned block of `bytes` (0 gives the null pointer, which no kernel reads).
   * @throws WasmMemoryError when the block is too large or memory cannot grow to hold it.
   */
  alloc(bytes: number): number {
    if (bytes === 0) return 0;
    const fail = (why: string) =>
      new WasmMemoryError(
        `wasm backend: cannot allocate ${bytes} bytes: ${why} (memory: ${this.memoryBytes} bytes, at most ${this.maxPages * PAGE})`,
      );
    if (!(bytes <= MAX_BLOCK)) throw fail('larger than the largest block, 1 GiB');
    try {
      return this.exports.alloc(bytes) >>> 0;
    } catch (e) {
      if (e instanceof AbortSignal || e instanceof WebAssembly.RuntimeError) throw fail('out of memory');
      throw e;
    }
  }

  free(ptr: number): void {
    if (ptr !== 0) this.exports.free(ptr);
  }

  /** Scratch area `slot` (0: loop plans, 1: kernel workspace) of at least `bytes`, reused across calls. */
  scratchPtr(slot: 0 | 1, bytes: number): number {
    const s = this.scratch[slot]!;
    if (s.bytes < bytes) {
      const size = Math.max(bytes, 2 * s.bytes, 1024);
      const ptr = this.alloc(size);
      this.free(s.ptr);
      s.ptr = ptr;
      s.bytes = size;
    }
    return s.ptr;
  }

  /** Writes int32 values into scratch slot 0 and returns their address. */
  ints(values: readonly number[]): number {
    const ptr = this.scratchPtr(0, values.length * 4);
    const view = this.view('int32') as Int32Array;
    const at = ptr >>> 2;
    for (let i = 0; i < values.length; i++) view[at + i] = values[i]!;
    return ptr;
  }
}
