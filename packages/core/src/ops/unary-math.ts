// Exponents, logarithms, trigonometric, hyperbolic, sqrt/cbrt/abs: element-wise float functions with
// MyGrad's gradients (including its conventions at the domain edges).
import { floatResult } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import { add, divide, multiply, negative, reciprocal, square, subtract } from './arithmetic.js';
import { equal, greater, isnan, less, select } from './compare.js';
import { binaryForward, defineBinary, defineUnary, floatUnary, type UnaryFunction } from './define.js';
import { binaryKernel, castTo, computeDType, numeric, unaryKernel } from './kernel.js';
import { absolute as absKernel } from './unary-abs.js';

declare module '../operation.js' {
  interface OpAttrs {
    'mg.exp': {};
    'mg.exp2': {};
    'mg.expm1': {};
    'mg.log': {};
    'mg.log2': {};
    'mg.log10': {};
    'mg.log1p': {};
    'mg.sin': {};
    'mg.cos': {};
    'mg.tan': {};
    'mg.arcsin': {};
    'mg.arccos': {};
    'mg.arctan': {};
    'mg.sinc': {};
    'mg.cot': {};
    'mg.csc': {};
    'mg.sec': {};
    'mg.arccot': {};
    'mg.arccsc': {};
    'mg.arcsec': {};
    'mg.sinh': {};
    'mg.cosh': {};
    'mg.tanh': {};
    'mg.arcsinh': {};
    'mg.arccosh': {};
    'mg.arctanh': {};
    'mg.coth': {};
    'mg.csch': {};
    'mg.sech': {};
    'mg.arccoth': {};
    'mg.arccsch': {};
    'mg.sqrt': {};
    'mg.cbrt': {};
    'mg.absolute': {};
    'mg.absoluteNanGrad': {};
    'mg.logaddexp': {};
    'mg.logaddexp2': {};
    'mg.arctan2': {};
  }
}

const LN2 = Math.LN2;
const LN10 = Math.LN10;
const f = floatUnary;
/** 1 / kernel(x) computed in x's float dtype. */
const inverseOf =
  (op: Parameters<typeof floatUnary>[0]) => (x: Parameters<ReturnType<typeof floatUnary>>[0]) =>
    reciprocal(f(op)(x));
/** kernel(1 / x). */
const ofInverse =
  (op: Parameters<typeof floatUnary>[0]) => (x: Parameters<ReturnType<typeof floatUnary>>[0]) =>
    f(op)(reciprocal(x));
/** Zero where |x| == 1 (MyGrad's convention at the edges of arcsin/arccos/arcsec/arccsc), else `value`. */
const zeroAtUnitMagnitude = (
  x: Parameters<ReturnType<typeof floatUnary>>[0],
  value: ReturnType<typeof add>,
) => select(equal(absKernel(x), 1), 0, value);

/**
 * Element-wise e^x.
 * @example
 * ```ts
 * exp(tensor([0, 1])).toArray(); // [1, 2.718281828459045]
 * ```
 */
export const exp: UnaryFunction = defineUnary('mg.exp', 'exp', {
  forward: f('exp'),
  grad: (g, _x, y) => multiply(g, y),
});

/** Element-wise 2^x. @example ```ts
 * exp2(tensor([3])).toArray(); // [8]
 * ``` */
export const exp2: UnaryFunction = defineUnary('mg.exp2', 'exp2', {
  forward: f('exp2'),
  grad: (g, _x, y) => multiply(multiply(g, y), LN2),
});

/** Element-wise e^x - 1, accurate near 0. @example ```ts
 * expm1(tensor([0])).toArray(); // [0]
 * ``` */
export const expm1: UnaryFunction = defineUnary('mg.expm1', 'expm1', {
  forward: f('expm1'),
  grad: (g, x) => multiply(g, exp(x)),
});

/** Element-wise natural log (log(0) = -inf, log(x<0) = NaN). @example ```ts
 * log(tensor([1])).toArray(); // [0]
 * ``` */
export const log: UnaryFunction = defineUnary('mg.log', 'log', {
  forward: f('log'),
  grad: (g, x) => divide(g, x),
});

/** Element-wise base-2 log. @example ```ts
 * log2(tensor([8])).toArray(); // [3]
 * ``` */
export const log2: UnaryFunction = defineUnary('mg.log2', 'log2', {
  forward: f('log2'),
  grad: (g, x) => divide(g, multiply(x, LN2)),
});

/** Element-wise base-10 log. @example ```ts
 * log10(tensor([100])).toArray(); // [2]
 * ``` */
export const log10: UnaryFunction = defineUnary('mg.log10', 'log10', {
  forward: f('log10'),
  grad: (g, x) => divide(g, multiply(x, LN10)),
});

/** Element-wise log(1 + x), accurate near 0. @example ```ts
 * log1p(tensor([0])).toArray(); // [0]
 * ``` */
export const log1p: UnaryFunction = defineUnary('mg.log1p', 'log1p', {
  forward: f('log1p'),
  grad: (g, x) => divide(g, add(x, 1)),
});

/** Element-wise sine. @example ```ts
 * sin(tensor([0])).toArray(); // [0]
 * ``` */
export const sin: UnaryFunction = defineUnary('mg.sin', 'sin', {
  forward: f('sin'),
  grad: (g, x) => multiply(g, cos(x)),
});

/** Element-wise cosine. @example ```ts
 * cos(tensor([0])).toArray(); // [1]
 * ``` */
export const cos: UnaryFunction = defineUnary('mg.cos', 'cos', {
  forward: f('cos'),
  grad: (g, x) => negative(multiply(g, sin(x))),
});

/** Element-wise tangent. @example ```ts
 * tan(tensor([0])).toArray(); // [0]
 * ``` */
export const tan: UnaryFunction = defineUnary('mg.tan', 'tan', {
  forward: f('tan'),
  grad: (g, x) => divide(g, square(cos(x))),
});

/** Element-wise inverse sine; its gradient is 0 (not NaN) at ±1, as in MyGrad. @example ```ts
 * arcsin(tensor([0])).toArray(); // [0]
 * ``` */
export const arcsin: UnaryFunction = defineUnary('mg.arcsin', 'arcsin', {
  forward: f('asin'),
  grad: (g, x) => zeroAtUnitMagnitude(x, divide(g, f('sqrt')(subtract(1, square(x))))),
});

/** Element-wise inverse cosine; its gradient is 0 at ±1. @example ```ts
 * arccos(tensor([1])).toArray(); // [0]
 * ``` */
export const arccos: UnaryFunction = defineUnary('mg.arccos', 'arccos', {
  forward: f('acos'),
  grad: (g, x) => zeroAtUnitMagnitude(x, negative(divide(g, f('sqrt')(subtract(1, square(x)))))),
});

/** Element-wise inverse tangent. @example ```ts
 * arctan(tensor([0])).toArray(); // [0]
 * ``` */
export const arctan: UnaryFunction = defineUnary('mg.arctan', 'arctan', {
  forward: f('atan'),
  grad: (g, x) => divide(g, add(1, square(x))),
});

/**
 * NumPy's normalised sinc, sin(πx)/(πx), with sinc(0) = 1 and a gradient of 0 at 0.
 * @example
 * ```ts
 * sinc(tensor([0, 1])).toArray(); // [1, 3.8981718325193755e-17]
 * ```
 */
export const sinc: UnaryFunction = defineUnary('mg.sinc', 'sinc', {
  forward: (x) => {
    const px = multiply(castTo(x, floatResult(x.dtype)), Math.PI);
    return select(equal(px, 0), 1, divide(sin(px), px));
  },
  grad: (g, x) => {
    const px = multiply(x, Math.PI);
    const d = divide(subtract(multiply(px, cos(px)), sin(px)), square(px));
    // MyGrad treats |x| < 1e-162 as 0 (where the formula becomes NaN).
    return multiply(multiply(g, Math.PI), select(less(absKernel(x), 1e-162), 0, d));
  },
});

/** Element-wise cotangent, 1/tan(x). @example ```ts
 * cot(tensor([Math.PI / 4])).toArray(); // [1.0000000000000002]
 * ``` */
export const cot: UnaryFunction = defineUnary('mg.cot', 'cot', {
  forward: inverseOf('tan'),
  grad: (g, x) => negative(divide(g, square(sin(x)))),
});

/** Element-wise cosecant, 1/sin(x). @example ```ts
 * csc(tensor([Math.PI / 2])).toArray(); // [1]
 * ``` */
export const csc: UnaryFunction = defineUnary('mg.csc', 'csc', {
  forward: inverseOf('sin'),
  grad: (g, x) => negative(divide(multiply(g, cos(x)), square(sin(x)))),
});

/** Element-wise secant, 1/cos(x). @example ```ts
 * sec(tensor([0])).toArray(); // [1]
 * ``` */
export const sec: UnaryFunction = defineUnary('mg.sec', 'sec', {
  forward: inverseOf('cos'),
  grad: (g, x) => divide(multiply(g, sin(x)), square(cos(x))),
});

/** Element-wise inverse cotangent (π/2 at 0). @example ```ts
 * arccot(tensor([1])).toArray(); // [0.7853981633974483]
 * ``` */
export const arccot: UnaryFunction = defineUnary('mg.arccot', 'arccot', {
  forward: (x) => {
    const fx = castTo(x, floatResult(x.dtype));
    return select(equal(fx, 0), Math.PI / 2, f('atan')(reciprocal(fx)));
  },
  grad: (g, x) => negative(divide(g, add(1, square(x)))),
});

/** Element-wise inverse cosecant, arcsin(1/x); gradient 0 at ±1. @example ```ts
 * arccsc(tensor([1])).toArray(); // [1.5707963267948966]
 * ``` */
export const arccsc: UnaryFunction = defineUnary('mg.arccsc', 'arccsc', {
  forward: ofInverse('asin'),
  grad: (g, x) =>
    zeroAtUnitMagnitude(x, negative(divide(g, multiply(absKernel(x), f('sqrt')(subtract(square(x), 1)))))),
});

/** Element-wise inverse secant, arccos(1/x); gradient 0 at ±1. @example ```ts
 * arcsec(tensor([1])).toArray(); // [0]
 * ``` */
export const arcsec: UnaryFunction = defineUnary('mg.arcsec', 'arcsec', {
  forward: ofInverse('acos'),
  grad: (g, x) =>
    zeroAtUnitMagnitude(x, divide(g, multiply(absKernel(x), f('sqrt')(subtract(square(x), 1))))),
});

/** Element-wise hyperbolic sine. @example ```ts
 * sinh(tensor([0])).toArray(); // [0]
 * ``` */
export const sinh: UnaryFunction = defineUnary('mg.sinh', 'sinh', {
  forward: f('sinh'),
  grad: (g, x) => multiply(g, cosh(x)),
});

/** Element-wise hyperbolic cosine. @example ```ts
 * cosh(tensor([0])).toArray(); // [1]
 * ``` */
export const cosh: UnaryFunction = defineUnary('mg.cosh', 'cosh', {
  forward: f('cosh'),
  grad: (g, x) => multiply(g, sinh(x)),
});

/** Element-wise hyperbolic tangent. @example ```ts
 * tanh(tensor([0])).toArray(); // [0]
 * ``` */
export const tanh: UnaryFunction = defineUnary('mg.tanh', 'tanh', {
  forward: f('tanh'),
  grad: (g, _x, y) => multiply(g, subtract(1, square(y))),
});

/** Element-wise inverse hyperbolic sine. @example ```ts
 * arcsinh(tensor([0])).toArray(); // [0]
 * ``` */
export const arcsinh: UnaryFunction = defineUnary('mg.arcsinh', 'arcsinh', {
  forward: f('asinh'),
  grad: (g, x) => divide(g, f('sqrt')(add(1, square(x)))),
});

/** Element-wise inverse hyperbolic cosine. @example ```ts
 * arccosh(tensor([1])).toArray(); // [0]
 * ``` */
export const arccosh: UnaryFunction = defineUnary('mg.arccosh', 'arccosh', {
  forward: f('acosh'),
  grad: (g, x) => divide(g, f('sqrt')(subtract(square(x), 1))),
});

/** Element-wise inverse hyperbolic tangent. @example ```ts
 * arctanh(tensor([0])).toArray(); // [0]
 * ``` */
export const arctanh: UnaryFunction = defineUnary('mg.arctanh', 'arctanh', {
  forward: f('atanh'),
  grad: (g, x) => divide(g, subtract(1, square(x))),
});

/** Element-wise hyperbolic cotangent. @example ```ts
 * coth(tensor([1])).toArray(); // [1.3130352854993315]
 * ``` */
export const coth: UnaryFunction = defineUnary('mg.coth', 'coth', {
  forward: inverseOf('tanh'),
  grad: (g, x) => negative(divide(g, square(sinh(x)))),
});

/** Element-wise hyperbolic cosecant. @example ```ts
 * csch(tensor([1])).toArray(); // [0.8509181282393216]
 * ``` */
export const csch: UnaryFunction = defineUnary('mg.csch', 'csch', {
  forward: inverseOf('sinh'),
  grad: (g, x) => negative(divide(multiply(g, cosh(x)), square(sinh(x)))),
});

/** Element-wise hyperbolic secant. @example ```ts
 * sech(tensor([0])).toArray(); // [1]
 * ``` */
export const sech: UnaryFunction = defineUnary('mg.sech', 'sech', {
  forward: inverseOf('cosh'),
  grad: (g, x) => negative(divide(multiply(g, sinh(x)), square(cosh(x)))),
});

/** Element-wise inverse hyperbolic cotangent, arctanh(1/x). @example ```ts
 * arccoth(tensor([2])).toArray(); // [0.5493061443340549]
 * ``` */
export const arccoth: UnaryFunction = defineUnary('mg.arccoth', 'arccoth', {
  forward: ofInverse('atanh'),
  grad: (g, x) => divide(g, subtract(1, square(x))),
});

/** Element-wise inverse hyperbolic cosecant, arcsinh(1/x). @example ```ts
 * arccsch(tensor([1])).toArray(); // [0.881373587019543]
 * ``` */
export const arccsch: UnaryFunction = defineUnary('mg.arccsch', 'arccsch', {
  forward: ofInverse('asinh'),
  grad: (g, x) => negative(divide(g, multiply(absKernel(x), f('sqrt')(add(1, square(x)))))),
});

/** Element-wise square root; its gradient at 0 is +inf, as in MyGrad. @example ```ts
 * sqrt(tensor([4])).toArray(); // [2]
 * ``` */
export const sqrt: UnaryFunction = defineUnary('mg.sqrt', 'sqrt', {
  forward: f('sqrt'),
  grad: (g, _x, y) => divide(g, multiply(y, 2)),
});

/** Element-wise cube root (negative for negative inputs). @example ```ts
 * cbrt(tensor([-8])).toArray(); // [-2]
 * ``` */
export const cbrt: UnaryFunction = defineUnary('mg.cbrt', 'cbrt', {
  forward: f('cbrt'),
  grad: (g, x) => divide(g, multiply(f('cbrt')(square(x)), 3)),
});

const absoluteOp = defineUnary('mg.absolute', 'absolute', {
  forward: (x) => unaryKernel('abs', numeric(x)),
  grad: (g, x) => multiply(g, signOf(x)),
});
const absoluteNanGradOp = defineUnary('mg.absoluteNanGrad', 'absolute', {
  forward: (x) => unaryKernel('abs', numeric(x)),
  grad: (g, x) => multiply(g, select(equal(x, 0), Number.NaN, signOf(x))),
});

function signOf(x: Parameters<typeof numeric>[0]) {
  // -1, 0 or 1 (NaN stays NaN) in x's dtype.
  return select(isnan(x), x, select(greater(x, 0), 1, select(less(x, 0), -1, 0)));
}

/** Options of `absolute`. */
export interface AbsoluteOptions {
  constant?: boolean | null;
  /** When true (default) the gradient at 0 is 0; when false it is NaN. */
  nanToNum?: boolean;
}

/**
 * Element-wise |x|. Its gradient at 0 is 0 (NaN with `nanToNum: false`), as in MyGrad.
 * @example
 * ```ts
 * const x = tensor([-2, 0, 3]);
 * absolute(x).backward();
 * x.grad?.toArray(); // [-1, 0, 1]
 * ```
 */
export function absolute(x: Parameters<UnaryFunction>[0], options: AbsoluteOptions = {}) {
  const fn = options.nanToNum === false ? absoluteNanGradOp : absoluteOp;
  return fn(x, { constant: options.constant });
}

/** Alias of `absolute`. */
export const abs = absolute;

/**
 * Element-wise log(e^x1 + e^x2), computed stably.
 * @example
 * ```ts
 * logaddexp(tensor([0]), tensor([0])).toArray(); // [0.6931471805599453]
 * ```
 */
export const logaddexp = defineBinary('mg.logaddexp', 'logaddexp', {
  forward: (a, b) => stableLogAddExp(a, b, Math.E),
  grads: [
    (g, a, b) => divide(g, add(1, exp(subtract(b, a)))),
    (g, a, b) => divide(g, add(1, exp(subtract(a, b)))),
  ],
});

/**
 * Element-wise log2(2^x1 + 2^x2), computed stably.
 * @example
 * ```ts
 * logaddexp2(tensor([1]), tensor([1])).toArray(); // [2]
 * ```
 */
export const logaddexp2 = defineBinary('mg.logaddexp2', 'logaddexp2', {
  forward: (a, b) => stableLogAddExp(a, b, 2),
  grads: [
    (g, a, b) => divide(g, add(1, exp2(subtract(b, a)))),
    (g, a, b) => divide(g, add(1, exp2(subtract(a, b)))),
  ],
});

/** max(a, b) + log_base(1 + base^-(|a - b|)), with log_base(2) where a == b == ±inf (NumPy's result). */
function stableLogAddExp(a: Tensor, b: Tensor, base: number): Tensor {
  const fa = castTo(a, floatResult(computeDType(a, b)));
  const fb = castTo(b, fa.dtype);
  const high = binaryKernel('logaddexp', 'maximum', fa, fb);
  const diff = negative(absKernel(subtract(fa, fb)));
  const expDiff = base === 2 ? exp2(diff) : exp(diff);
  const tail = base === 2 ? divide(log1p(expDiff), LN2) : log1p(expDiff);
  // Equal infinities give inf - inf = NaN in the difference; NumPy returns the infinity itself.
  return select(equal(fa, fb), add(fa, base === 2 ? 1 : LN2), add(high, tail));
}

/**
 * Element-wise arctan(x1 / x2) in the correct quadrant.
 * @example
 * ```ts
 * arctan2(tensor([1]), tensor([-1])).toArray(); // [2.356194490192345]
 * ```
 */
export const arctan2 = defineBinary('mg.arctan2', 'arctan2', {
  forward: binaryForward('arctan2', 'atan2', true),
  grads: [
    (g, a, b) => divide(multiply(g, b), add(square(a), square(b))),
    (g, a, b) => negative(divide(multiply(g, a), add(square(a), square(b)))),
  ],
});
