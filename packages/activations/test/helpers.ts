// Test helpers shared by the activation tests: flat values and kink-free generated inputs.
import type { Tensor } from '@mg/core';
import { arbArray, arbShape, type GeneratedArray } from '@mg/testing';
import type { Arbitrary } from 'fast-check';

/** A tensor's values as a flat list of numbers. */
export function values(t: Tensor | null | undefined): number[] {
  if (!t) throw new Error('expected a tensor, got none');
  return Array.from(t.dataSync(), Number);
}

/**
 * One generated float64 array (up to 2-d, sides up to 3) with values in [-3, 3] pushed at least `margin` away
 * from every point in `kinks`, where finite differences straddle a kink and disagree with any convention.
 */
export function awayFrom(kinks: readonly number[], margin = 1e-2): Arbitrary<readonly GeneratedArray[]> {
  return arbArray({ shape: arbShape({ maxDims: 2, maxSide: 3 }), min: -3, max: 3 }).map((x) => [
    {
      ...x,
      data: x.data.map((v) => {
        for (const k of kinks) if (Math.abs(v - k) < margin) return v < k ? k - margin : k + margin;
        return v;
      }),
    },
  ]);
}
