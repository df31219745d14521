// The kernels' view of a tensor: its values (row-major, contiguous) with the shape and dtype core gave.
import type { DType, Shape, TypedArray } from '@mg/core';

/** A tensor as the cpu kernels see it: `values` holds `sizeOf(shape)` elements of `dtype`'s TypedArray. */
export interface CpuTensor {
  readonly values: TypedArray;
  readonly shape: Shape;
  readonly dtype: DType;
}
