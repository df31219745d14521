// The vector math of the fused kernels: exponentials on f32x4 and f64x2 lanes, written here because
// AssemblyScript has none. Each kernel module (one per op family, see ../README) inlines what it uses.
//
// All of them reduce x = k·ln2 + t with |t| ≤ ln2/2 (k by the 1.5·2^23 rounding trick), approximate e^t by a
// polynomial fitted for minimax relative error on that interval (the fits are in ../README.md), and scale by 2^k
// built in the exponent bits. No tables: a module may have no data segment.

// biome-ignore-all lint/complexity/noStaticOnlyClass: AssemblyScript's @inline works on methods, not on functions

const LOG2E: f32 = <f32>Math.LOG2E;
/** 1.5·2^23 + 127: adding it rounds z·log2(e) to an integer k and leaves k + 127 (the biased exponent) in the low bits. */
const MAGIC: f32 = 12583039.0;
/** ln 2 in float32, for the ELU term, whose absolute error near -1 only needs k·LN2 rounded once (see Exp32.m1). */
const LN2: f32 = <f32>Math.LN2;
// ln 2 split in two (Cody-Waite) for e^z itself: LN2_HI has few mantissa bits, so k·LN2_HI is exact.
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.1219444e-4;
/** e^z - 1 rounds to -1 in float32 below this. */
const EXPM1_SAT: f32 = -17.5;

/** e^x on f32x4 lanes. */
export class Exp32 {
  /**
   * e^z - 1 for z ≤ 0 (z = NaN gives a number: callers select x for NaN lanes), accurate to about 1 ulp:
   * degree-6 polynomial (relative error 3e-9 on e^t) and the reconstruction (2^k - 1) + 2^k·t·(1 + t·P(t)),
   * which keeps the relative accuracy near 0. A single ln 2 is enough here: the rounding of k·ln2 costs
   * e^z·|k|·2^-24 absolute, which is below half an ulp of e^z - 1 ∈ [-1, 0] for every k.
   */
  @inline static m1(z: v128): v128 {
    const zc = f32x4.pmax(f32x4.splat(EXPM1_SAT), z);
    let n = f32x4.add(f32x4.mul(zc, f32x4.splat(LOG2E)), f32x4.splat(MAGIC));
    const s = i32x4.shl(n, 23);
    n = f32x4.sub(n, f32x4.splat(MAGIC));
    const t = f32x4.sub(zc, f32x4.mul(n, f32x4.splat(LN2)));
    let p = f32x4.add(f32x4.mul(f32x4.splat(0.001381461275741458), t), f32x4.splat(0.008368710055947304));
    p = f32x4.add(f32x4.mul(p, t), f32x4.splat(0.04166838899254799));
    p = f32x4.add(f32x4.mul(p, t), f32x4.splat(0.1666652113199234));
    p = f32x4.add(f32x4.mul(p, t), f32x4.splat(0.4999999403953552));
    p = f32x4.mul(p, t);
    const ts = f32x4.mul(t, s);
    return f32x4.add(f32x4.add(f32x4.mul(p, ts), ts), f32x4.sub(s, f32x4.splat(1)));
  }

  /**
   * e^z for z ≤ 0 (any: -∞ gives 0, NaN stays NaN), accurate to a few ulp, subnormal results included:
   * degree-5 polynomial (relative error 1.1e-7 on e^t) in Horner form, ln 2 in two parts, then p(t)·2^(k+64)
   * (a normal float32 down to k = -190) times 2^-64, which is exact for normal results and rounds once into the
   * subnormal range. Below -104 (under half the smallest subnormal) the result is 0. (A per-vector branch to a
   * separate subnormal path measured 20% slower in softmax than this one extra multiplication.)
   */
  @inline static neg(z: v128): v128 {
    const e = f32x4.mul(Exp32.core(z, MAGIC + 64), f32x4.splat(5.421010862427522e-20));
    return v128.andnot(e, f32x4.lt(z, f32x4.splat(-104)));
  }

  /** e^z for z in [-87, 0] (results in the normal range; NaN stays NaN): p(t)·2^k. */
  @inline static normal(z: v128): v128 {
    return Exp32.core(z, MAGIC);
  }

  /** p(t)·2^k with `magic` = 1.5·2^23 + 127 + a bias folded into 2^k. */
  @inline static core(z: v128, magic: f32): v128 {
    let n = f32x4.add(f32x4.mul(z, f32x4.splat(LOG2E)), f32x4.splat(magic));
    const s = i32x4.shl(n, 23);
    n = f32x4.sub(n, f32x4.splat(magic));
    let t = f32x4.sub(z, f32x4.mul(n, f32x4.splat(LN2_HI)));
    t = f32x4.sub(t, f32x4.mul(n, f32x4.splat(LN2_LO)));
    let p = f32x4.add(f32x4.mul(f32x4.splat(0.008312525227665901), t), f32x4.splat(0.041890114545822144));
    p = f32x4.add(f32x4.mul(p, t), f32x4.splat(0.16667114198207855));
    p = f32x4.add(f32x4.mul(p, t), f32x4.splat(0.499992311000824));
    p = f32x4.add(f32x4.mul(p, t), f32x4.splat(1));
    p = f32x4.add(f32x4.mul(p, t), f32x4.splat(1));
    return f32x4.mul(p, s);
  }
}

// e^x on f64x2 lanes in [EXP64_LO, 0], as fdlibm's e_exp.c (under 1 ulp): x = k·ln2 + r with ln 2 split in two,
// a rational approximation of e^r, 2^k put into the exponent bits; 1.5·2^52 rounds to an integer.
const EXP64_LO: f64 = -708.0;
const INV_LN2: f64 = Math.LOG2E;
const LN2_HI64: f64 = 0.6931471803691238;
const LN2_LO64: f64 = 1.9082149292705877e-10;
const ROUND64: f64 = 6755399441055744.0;

/** e^x on f64x2 lanes. */
export class Exp64 {
  @inline static fast(x: v128): v128 {
    const shifted = f64x2.add(f64x2.mul(x, f64x2.splat(INV_LN2)), f64x2.splat(ROUND64));
    const k = f64x2.sub(shifted, f64x2.splat(ROUND64));
    const hi = f64x2.sub(x, f64x2.mul(k, f64x2.splat(LN2_HI64)));
    const lo = f64x2.mul(k, f64x2.splat(LN2_LO64));
    const r = f64x2.sub(hi, lo);
    const rr = f64x2.mul(r, r);
    let p = f64x2.splat(4.1381367970572385e-8);
    p = f64x2.add(f64x2.mul(p, rr), f64x2.splat(-1.6533902205465252e-6));
    p = f64x2.add(f64x2.mul(p, rr), f64x2.splat(0.00006613756321437934));
    p = f64x2.add(f64x2.mul(p, rr), f64x2.splat(-0.0027777777777015593));
    p = f64x2.add(f64x2.mul(p, rr), f64x2.splat(0.16666666666666602));
    const c = f64x2.sub(r, f64x2.mul(rr, p));
    const rc = f64x2.div(f64x2.mul(r, c), f64x2.sub(f64x2.splat(2.0), c));
    const er = f64x2.sub(f64x2.splat(1.0), f64x2.sub(f64x2.sub(lo, rc), hi));
    const kBits = i64x2.sub(shifted, i64x2.splat(reinterpret<i64>(ROUND64)));
    return i64x2.add(er, i64x2.shl(kBits, 52));
  }

  /**
   * e^x on two lanes; a vector with a lane outside [EXP64_LO, 0] (or NaN) is done lane by lane. Inlined where
   * the module has room (a call per two elements costs as much as the exp in softmax), else `neg`.
   */
  @inline static negInline(x: v128): v128 {
    const inRange = v128.and(f64x2.ge(x, f64x2.splat(EXP64_LO)), f64x2.le(x, f64x2.splat(0)));
    if (v128.all_true<i64>(inRange)) return Exp64.fast(x);
    return f64x2(Math.exp(f64x2.extract_lane(x, 0)), Math.exp(f64x2.extract_lane(x, 1)));
  }

  /** Exp64.negInline, called (not inlined). */
  static neg(x: v128): v128 {
    return Exp64.negInline(x);
  }
}

/** e^x of one float32, rounded once from double (the scalar tails). */
export function exp1(x: f32): f32 {
  return <f32>Math.exp(<f64>x);
}

/** The logistic function on f32x4 lanes. */
export class Sigmoid32 {
  /** σ(x) from e = e^-|x| (never overflows): 1/(1 + e) where x ≥ 0, e/(1 + e) elsewhere; NaN stays NaN. */
  @inline static of(x: v128): v128 {
    const e = Exp32.neg(f32x4.neg(f32x4.abs(x)));
    const r = f32x4.div(f32x4.splat(1), f32x4.add(e, f32x4.splat(1)));
    return v128.bitselect(r, f32x4.mul(e, r), f32x4.ge(x, f32x4.splat(0)));
  }
}

/** The logistic function on f64x2 lanes, as Sigmoid32. */
export class Sigmoid64 {
  @inline static of(x: v128): v128 {
    const e = Exp64.negInline(f64x2.neg(f64x2.abs(x)));
    const r = f64x2.div(f64x2.splat(1), f64x2.add(e, f64x2.splat(1)));
    return v128.bitselect(r, f64x2.mul(e, r), f64x2.ge(x, f64x2.splat(0)));
  }
}

/** σ(x) of one float64, as the composite computes it. */
export function sigmoid64(x: f64): f64 {
  const e = Math.exp(-Math.abs(x));
  return x >= 0 ? 1 / (e + 1) : e / (e + 1);
}
