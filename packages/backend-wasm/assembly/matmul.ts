// Matrix product C = op(A) op(B), one matrix at a time, by the usual packed, cache-blocked scheme: a KC x NC
// block of B and an MC x KC block of A are copied into panels (zero-padded to the tile), and a register-tiled
// micro-kernel (4 rows x two v128 columns: 4x8 for f32, 4x4 for f64, eight accumulators) multiplies them.
// Transposed operands only change how the panels are read, so all four transpose combinations run equally fast.
import { F64 } from './common';

const MR = 4;
const KC = 256;
const MC = 64;
const NC = 256;

/** Bytes of workspace matmul needs for dtype size S: A panels, B panels and one edge tile. */
export function matmulWorkspace(dt: i32): i32 {
  const S = dt == F64 ? 8 : 4;
  return (MC * KC + KC * NC + MR * 8) * S;
}

/** Packs rows [i0, i0 + mc) x cols [p0, p0 + kc) of op(A) into MR-row panels: panel[p * MR + ii]. */
function packA<T>(a: usize, transA: bool, m: i32, k: i32, i0: i32, mc: i32, p0: i32, kc: i32, dst: usize): void {
  const S = sizeof<T>();
  for (let ir = 0; ir < mc; ir += MR) {
    const panel = dst + <usize>ir * <usize>kc * S;
    const rows = min(MR, mc - ir);
    const i = i0 + ir;
    if (transA) {
      // A is stored (K, M): the MR values of one p are contiguous.
      for (let p = 0; p < kc; p++) {
        const src = a + (<usize>(p0 + p) * <usize>m + <usize>i) * S;
        const w = panel + <usize>p * MR * S;
        if (rows == MR) {
          v128.store(w, v128.load(src));
          if (S == 8) v128.store(w, v128.load(src, 16), 16);
        } else {
          for (let ii = 0; ii < MR; ii++) store<T>(w + <usize>ii * S, ii < rows ? load<T>(src + <usize>ii * S) : <T>0);
        }
      }
    } else {
      for (let ii = 0; ii < MR; ii++) {
        if (ii < rows) {
          const src = a + (<usize>(i + ii) * <usize>k + <usize>p0) * S;
          for (let p = 0; p < kc; p++) store<T>(panel + (<usize>p * MR + <usize>ii) * S, load<T>(src + <usize>p * S));
        } else {
          for (let p = 0; p < kc; p++) store<T>(panel + (<usize>p * MR + <usize>ii) * S, <T>0);
        }
      }
    }
  }
}

/** Packs rows [p0, p0 + kc) x cols [j0, j0 + nc) of op(B) into NR-column panels: panel[p * NR + jj]. */
function packB<T>(b: usize, transB: bool, k: i32, n: i32, p0: i32, kc: i32, j0: i32, nc: i32, dst: usize): void {
  const S = sizeof<T>();
  const NR = 32 / <i32>S;
  for (let jr = 0; jr < nc; jr += NR) {
    const panel = dst + <usize>jr * <usize>kc * S;
    const cols = min(NR, nc - jr);
    const j = j0 + jr;
    if (!transB) {
      for (let p = 0; p < kc; p++) {
        const src = b + (<usize>(p0 + p) * <usize>n + <usize>j) * S;
        const w = panel + <usize>p * <usize>NR * S;
        if (cols == NR) {
          v128.store(w, v128.load(src));
          v128.store(w, v128.load(src, 16), 16);
        } else {
          for (let jj = 0; jj < NR; jj++) store<T>(w + <usize>jj * S, jj < cols ? load<T>(src + <usize>jj * S) : <T>0);
        }
      }
    } else {
      // B is stored (N, K): each column of op(B) is a contiguous row.
      for (let jj = 0; jj < NR; jj++) {
        if (jj < cols) {
          const src = b + (<usize>(j + jj) * <usize>k + <usize>p0) * S;
          for (let p = 0; p < kc; p++) store<T>(panel + (<usize>p * NR + <usize>jj) * S, load<T>(src + <usize>p * S));
        } else {
          for (let p = 0; p < kc; p++) store<T>(panel + (<usize>p * NR + <usize>jj) * S, <T>0);
        }
      }
    }
  }
}

/** C tile (rows x cols at c, row pitch ldc bytes) = (or +=) the MR x NR product of two panels over kc. */
@inline function micro<T>(ap: usize, bp: usize, kc: i32, c: usize, ldc: usize, add: bool, rows: i32, cols: i32, tile: usize): void {
  const S = sizeof<T>();
  let c00 = v128.splat<T>(<T>0);
  let c01 = c00;
  let c10 = c00;
  let c11 = c00;
  let c20 = c00;
  let c21 = c00;
  let c30 = c00;
  let c31 = c00;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    const a0 = v128.load_splat<T>(ap);
    const a1 = v128.load_splat<T>(ap + S);
    const a2 = v128.load_splat<T>(ap + 2 * S);
    const a3 = v128.load_splat<T>(ap + 3 * S);
    c00 = v128.add<T>(c00, v128.mul<T>(a0, b0));
    c01 = v128.add<T>(c01, v128.mul<T>(a0, b1));
    c10 = v128.add<T>(c10, v128.mul<T>(a1, b0));
    c11 = v128.add<T>(c11, v128.mul<T>(a1, b1));
    c20 = v128.add<T>(c20, v128.mul<T>(a2, b0));
    c21 = v128.add<T>(c21, v128.mul<T>(a2, b1));
    c30 = v128.add<T>(c30, v128.mul<T>(a3, b0));
    c31 = v128.add<T>(c31, v128.mul<T>(a3, b1));
    ap += <usize>MR * S;
    bp += 32;
  }
  const NR = 32 / <i32>S;
  if (rows == MR && cols == NR) {
    if (add) {
      c00 = v128.add<T>(c00, v128.load(c));
      c01 = v128.add<T>(c01, v128.load(c, 16));
      c10 = v128.add<T>(c10, v128.load(c + ldc));
      c11 = v128.add<T>(c11, v128.load(c + ldc, 16));
      c20 = v128.add<T>(c20, v128.load(c + 2 * ldc));
      c21 = v128.add<T>(c21, v128.load(c + 2 * ldc, 16));
      c30 = v128.add<T>(c30, v128.load(c + 3 * ldc));
      c31 = v128.add<T>(c31, v128.load(c + 3 * ldc, 16));
    }
    v128.store(c, c00);
    v128.store(c, c01, 16);
    v128.store(c + ldc, c10);
    v128.store(c + ldc, c11, 16);
    v128.store(c + 2 * ldc, c20);
    v128.store(c + 2 * ldc, c21, 16);
    v128.store(c + 3 * ldc, c30);
    v128.store(c + 3 * ldc, c31, 16);
    return;
  }
  v128.store(tile, c00);
  v128.store(tile, c01, 16);
  v128.store(tile, c10, 32);
  v128.store(tile, c11, 48);
  v128.store(tile, c20, 64);
  v128.store(tile, c21, 80);
  v128.store(tile, c30, 96);
  v128.store(tile, c31, 112);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = load<T>(tile + (<usize>i * <usize>NR + <usize>j) * S);
      const at = c + <usize>i * ldc + <usize>j * S;
      store<T>(at, add ? load<T>(at) + v : v);
    }
  }
}

function gemm<T>(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, transA: bool, transB: bool, work: usize): void {
  const S = sizeof<T>();
  const NR = 32 / <i32>S;
  if (k == 0) {
    memory.fill(c, 0, <usize>m * <usize>n * S);
    return;
  }
  const apack = work;
  const bpack = work + <usize>(MC * KC) * S;
  const tile = bpack + <usize>(KC * NC) * S;
  const ldc = <usize>n * S;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packB<T>(b, transB, k, n, pc, kc, jc, nc, bpack);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA<T>(a, transA, m, k, ic, mc, pc, kc, apack);
        for (let jr = 0; jr < nc; jr += NR) {
          const bp = bpack + <usize>jr * <usize>kc * S;
          const cols = min(NR, nc - jr);
          for (let ir = 0; ir < mc; ir += MR) {
            micro<T>(
              apack + <usize>ir * <usize>kc * S,
              bp,
              kc,
              c + <usize>(ic + ir) * ldc + <usize>(jc + jr) * S,
              ldc,
              pc > 0,
              min(MR, mc - ir),
              cols,
              tile,
            );
          }
        }
      }
    }
  }
}

/**
 * C (m, n) = op(A) op(B) for one matrix pair: A is stored (m, k), or (k, m) when transA; B is (k, n), or (n, k)
 * when transB. `work` has matmulWorkspace(dt) bytes.
 */
export function matmul(dt: i32, a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, transA: bool, transB: bool, work: usize): void {
  if (dt == F64) gemm<f64>(a, b, c, m, n, k, transA, transB, work);
  else gemm<f32>(a, b, c, m, n, k, transA, transB, work);
}
