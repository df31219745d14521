// Shared by every kernel family: dtype codes, element access, the strided-loop odometer and integer semantics.

/** dtype codes, as the JS side passes them. */
export const F64: i32 = 0;
export const F32: i32 = 1;
export const I32: i32 = 2;
export const U8: i32 = 3;

/** Most outer axes an odometer walks (core's rank limit is far below). */
const MAX_OUTER = 64;
/** Per outer axis, how far it has counted. */
const COUNTERS: usize = memory.data(MAX_OUTER * 4, 16);
/** Per operand (at most 4), its current element offset. */
export const OFFSETS: usize = memory.data(4 * 4, 16);

/**
 * A loop plan lives in a JS-written i32 array: `dims[r]`, then `strides[k][r]` (in elements) for each of the k
 * operands. Only the last two dims form the block kernels run over; the rest are walked by `advance`.
 */
@inline export function dim(meta: usize, i: i32): i32 {
  return load<i32>(meta + (<usize>i << 2));
}

@inline export function strideOf(meta: usize, r: i32, operand: i32, i: i32): isize {
  return <isize>load<i32>(meta + (<usize>(r * (1 + operand) + i) << 2));
}

/** Number of blocks (product of the outer dims); also zeroes the odometer and sets the operands' base offsets. */
export function startBlocks(meta: usize, r: i32, k: i32, base0: i32, base1: i32, base2: i32): i32 {
  let blocks = 1;
  for (let i = 0; i < r - 2; i++) {
    blocks *= dim(meta, i);
    store<i32>(COUNTERS + (<usize>i << 2), 0);
  }
  store<i32>(OFFSETS, base0);
  if (k > 1) store<i32>(OFFSETS, base1, 4);
  if (k > 2) store<i32>(OFFSETS, base2, 8);
  return blocks;
}

@inline export function offsetOf(operand: i32): isize {
  return <isize>load<i32>(OFFSETS + (<usize>operand << 2));
}

/** Steps the odometer over the outer dims, updating each operand's offset by adding strides (no division). */
export function advance(meta: usize, r: i32, k: i32): void {
  for (let axis = r - 3; axis >= 0; axis--) {
    const counter = COUNTERS + (<usize>axis << 2);
    const count = load<i32>(counter) + 1;
    const size = dim(meta, axis);
    for (let j = 0; j < k; j++) {
      const at = OFFSETS + (<usize>j << 2);
      const s = load<i32>(meta + (<usize>(r * (1 + j) + axis) << 2));
      store<i32>(at, load<i32>(at) + (count < size ? s : s - s * size));
    }
    if (count < size) {
      store<i32>(counter, count);
      return;
    }
    store<i32>(counter, 0);
  }
}

/** JS's ToInt32, the conversion an Int32Array store applies: truncation, then wrap-around modulo 2^32. */
@inline export function toInt32(x: f64): i32 {
  if (abs(x) < 2147483648.0) return <i32>x;
  if (!isFinite(x)) return 0;
  return <i32><i64>(x % 4294967296.0);
}

/** Integer power by squaring, wrapping; negative exponents give C's truncated 1/a^-b. */
export function intPow(base: i32, exp: i32): i32 {
  if (exp < 0) return base == 1 ? 1 : base == -1 ? (exp & 1 ? -1 : 1) : 0;
  let result = 1;
  while (exp > 0) {
    if (exp & 1) result *= base;
    exp >>>= 1;
    base *= base;
  }
  return result;
}

/** Python's integer `%` (sign of the divisor); `x % 0` is 0, as NumPy returns. */
@inline export function intMod(a: i32, b: i32): i32 {
  if (b == 0) return 0;
  const m = a % b;
  return m != 0 && (m < 0) != (b < 0) ? m + b : m;
}

/** NumPy's float remainder: fmod moved to the divisor's sign; a zero result takes the divisor's sign. */
@inline export function floatMod(a: f64, b: f64): f64 {
  const m = a % b;
  if (m != 0) return (b < 0) != (m < 0) ? m + b : m;
  return b < 0 ? -0.0 : 0.0;
}

/** C's pow: pow(1, y), pow(x, 0) and pow(-1, ±inf) are 1, even with a NaN (AssemblyScript's Math.pow gives NaN). */
@inline export function floatPow(a: f64, b: f64): f64 {
  if (a == 1 || b == 0 || (a == -1 && !isFinite(b) && !isNaN(b))) return 1;
  return Math.pow(a, b);
}

/** Bytes per element of a dtype code. */
@inline export function sizeOfDtype(dt: i32): usize {
  return dt == F64 ? 8 : dt == U8 ? 1 : 4;
}
