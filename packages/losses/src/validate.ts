// The checks MyGrad's losses share (its nnet/losses/_utils.py `check_loss_inputs`), and the class labels they
// take, as mg tensors.
import { MgIndexError, MgTypeError, MgValueError, Tensor, type TensorLike, tensor } from '@mg/core';

/**
 * The class labels of a scores-and-labels loss, checked as MyGrad's `check_loss_inputs` does, in its order: `x`
 * is 2-d (MgValueError), the labels are integers (MgTypeError: an int32 tensor, an integer TypedArray, or a
 * plain array of integer numbers — JS has no integer type, so a plain array counts when every element is an
 * integer; float tensors and Float32/64Arrays do not) and shape-(N,) (MgValueError). Labels index the classes
 * as NumPy does: -1 is the last; out of [-C, C) is an MgIndexError. Returned in [0, C).
 */
export function classLabels(op: string, x: Tensor, yTrue: unknown): Int32Array {
  if (x.ndim !== 2) {
    throw new MgValueError(`${op}: \`x\` must be a 2-dimensional array-like object, got ${x.ndim}-dim`);
  }
  const y = integerArray(op, yTrue);
  const [n, c] = x.shape as [number, number];
  const shape = y.shape;
  const labels = Int32Array.from(y.dataSync() as ArrayLike<number>);
  if (y !== yTrue) y.dispose(); // made here from an array: no need to wait for a GC (wasm memory)
  if (shape.length !== 1 || shape[0] !== n) {
    throw new MgValueError(
      `${op}: \`y_true\` must be a shape-(N,) array: expected shape (${n},), got (${shape.join(', ')}${shape.length === 1 ? ',' : ''})`,
    );
  }
  labels.forEach((label, i) => {
    if (label < -c || label >= c) {
      throw new MgIndexError(`${op}: index ${label} is out of bounds for axis 1 with size ${c}`);
    }
    if (label < 0) labels[i] = label + c;
  });
  return labels;
}

/** `value` as an int32 tensor, or MgTypeError (MyGrad: "`y_true` must be an integer-type array-like object"). */
function integerArray(op: string, value: unknown): Tensor {
  const expected = '`y_true` to be an integer-type array-like object';
  if (value instanceof Tensor) {
    if (value.dtype !== 'int32') throw new MgTypeError(op, expected, `${value.dtype} data`);
    return value;
  }
  if (Array.isArray(value) || typeof value === 'number') {
    const leaves = [value].flat(Number.POSITIVE_INFINITY) as unknown[];
    if (!leaves.every((v) => typeof v === 'number' && Number.isInteger(v))) {
      throw new MgTypeError(op, expected, value);
    }
    return tensor(value as TensorLike, { dtype: 'int32' });
  }
  if (ArrayBuffer.isView(value)) {
    const t = tensor(value as TensorLike);
    if (t.dtype !== 'int32') throw new MgTypeError(op, expected, `${t.dtype} data`);
    return t;
  }
  throw new MgTypeError(op, expected, value);
}

/** The row indices 0…n-1 of a gather `x[rows, labels]` (an Int32Array: getitem needs no tensor for it). */
export function rows(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

/** A bool (N, C) tensor that is true at each row's label, or false there and true elsewhere (`at = false`). */
export function labelMask(labels: Int32Array, classes: number, at = true): Tensor {
  const mask = new Uint8Array(labels.length * classes).fill(at ? 0 : 1);
  labels.forEach((label, i) => {
    mask[i * classes + label] = at ? 1 : 0;
  });
  return tensor(mask, { dtype: 'bool' }).reshape([labels.length, classes]);
}

/** A JS number parameter, or MgTypeError naming the value. */
export function numberParam(op: string, name: string, value: unknown): number {
  if (typeof value !== 'number') throw new MgTypeError(op, `\`${name}\` to be a number`, value);
  return value;
}
