// Batched matrix product: cache-blocked loops whose innermost loop always runs over contiguous memory.
import { allocate, type DType, type Shape, sizeOf, type TypedArray } from '@mg/core';
import { broadcastStrides, gatherStrided } from './strided.js';
import type { CpuTensor } from './types.js';

// Block sizes for the i-k-j product: a KB x NB panel of B (KB * NB * 8 bytes = 128 KiB) is reused by every row
// of A from L2, and the NB-long row segment of C it updates stays in L1.
const KB = 64;
const NB = 256;
// Rows of B that the dot-product (transposed B) kernel keeps hot, as a budget of elements (~128 KiB).
const NT_PANEL = 16384;

/**
 * C[i, j] += sum_k A[i, k] * B[k, j], with A (M, K), B (K, N) and C (M, N) row-major at the given offsets.
 * For every (i, k) the inner loop streams a contiguous row of B into a contiguous row of C; k still ascends
 * for each C[i, j], so blocking does not change the summation order.
 */
function gemm(
  a: Float64Array,
  ao: number,
  b: Float64Array,
  bo: number,
  c: Float64Array,
  co: number,
  m: number,
  n: number,
  k: number,
): void {
  for (let j0 = 0; j0 < n; j0 += NB) {
    const j1 = Math.min(j0 + NB, n);
    for (let k0 = 0; k0 < k; k0 += KB) {
      const k1 = Math.min(k0 + KB, k);
      for (let i = 0; i < m; i++) {
        const ci = co + i * n;
        const ai = ao + i * k;
        let kk = k0;
        // Two rows of B per pass halve the loads and stores of C.
        for (; kk + 1 < k1; kk += 2) {
          const a0 = a[ai + kk];
          const a1 = a[ai + kk + 1];
          const b0 = bo + kk * n - ci;
          const b1 = b0 + n;
          for (let j = ci + j0; j < ci + j1; j++) c[j] += a0 * b[b0 + j] + a1 * b[b1 + j];
        }
        if (kk < k1) {
          const a0 = a[ai + kk];
          const b0 = bo + kk * n - ci;
          for (let j = ci + j0; j < ci + j1; j++) c[j] += a0 * b[b0 + j];
        }
      }
    }
  }
}

/**
 * C[i, j] = dot(A[i, :], Bt[j, :]) with A (M, K) and Bt (N, K): both operands of each dot product are
 * contiguous rows. Columns are blocked so the rows of Bt in use stay in cache while every row of A visits them.
 */
function gemmTransposedB(
  a: Float64Array,
  ao: number,
  b: Float64Array,
  bo: number,
  c: Float64Array,
  co: number,
  m: number,
  n: number,
  k: number,
): void {
  const jb = Math.max(4, Math.floor(NT_PANEL / Math.max(k, 1)));
  for (let j0 = 0; j0 < n; j0 += jb) {
    const j1 = Math.min(j0 + jb, n);
    for (let i = 0; i < m; i++) {
      const ai = ao + i * k;
      const ci = co + i * n;
      for (let j = j0; j < j1; j++) {
        const bj = bo + j * k - ai;
        // Four partial sums break the add dependency chain.
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        let p = ai;
        const end = ai + k;
        for (; p + 3 < end; p += 4) {
          s0 += a[p] * b[bj + p];
          s1 += a[p + 1] * b[bj + p + 1];
          s2 += a[p + 2] * b[bj + p + 2];
          s3 += a[p + 3] * b[bj + p + 3];
        }
        for (; p < end; p++) s0 += a[p] * b[bj + p];
        c[ci + j] = s0 + s1 + (s2 + s3);
      }
    }
  }
}

function widen(values: TypedArray): Float64Array {
  return values instanceof Float64Array ? values : new Float64Array(values);
}

/** For each output batch index, the index of the input batch it reads (broadcasting size-1 batch axes). */
function batchIndices(batch: Shape, outBatch: Shape): Int32Array {
  const ids = new Int32Array(sizeOf(batch));
  for (let i = 0; i < ids.length; i++) ids[i] = i;
  const out = new Int32Array(sizeOf(outBatch));
  gatherStrided(ids, 0, outBatch, broadcastStrides(batch, outBatch), out);
  return out;
}

/**
 * Batched matmul of a (..., M, K) and b (..., K, N); a transpose flag means that operand is stored with its last
 * two axes swapped. A transposed A is packed into (M, K) rows first (O(MK), small next to the O(MKN) product),
 * so all four combinations run one of the two contiguous kernels. Accumulation is in float64 throughout and
 * float32 outputs are rounded once at the end.
 */
export function matmul(a: CpuTensor, b: CpuTensor, transposeA: boolean, transposeB: boolean, outShape: Shape, dtype: DType): TypedArray {
  const out = allocate(dtype, sizeOf(outShape));
  const r = outShape.length;
  const m = outShape[r - 2];
  const n = outShape[r - 1];
  const k = transposeA ? a.shape[a.shape.length - 2] : a.shape[a.shape.length - 1];
  if (out.length === 0) return out;
  const outBatch = outShape.slice(0, -2);
  const aIds = batchIndices(a.shape.slice(0, -2), outBatch);
  const bIds = batchIndices(b.shape.slice(0, -2), outBatch);
  // Widening float32 operands once keeps every inner loop on Float64Array alone: loops that see two element
  // kinds get polymorphic loads, measured ~1.5x slower.
  const aValues = widen(a.values);
  const bValues = widen(b.values);
  const direct = out instanceof Float64Array;
  const acc = direct ? out : new Float64Array(m * n);
  const packed = transposeA ? new Float64Array(m * k) : undefined;
  for (let t = 0; t < aIds.length; t++) {
    let av = aValues;
    let ao = aIds[t] * m * k;
    if (packed !== undefined) {
      gatherStrided(aValues, ao, [m, k], [1, m], packed);
      av = packed;
      ao = 0;
    }
    const bo = bIds[t] * k * n;
    const co = direct ? t * m * n : 0;
    if (!direct) acc.fill(0);
    if (transposeB) gemmTransposedB(av, ao, bValues, bo, acc, co, m, n, k);
    else gemm(av, ao, bValues, bo, acc, co, m, n, k);
    if (!direct) out.set(acc, t * m * n);
  }
  return out;
}
