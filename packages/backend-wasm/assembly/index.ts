// The kernel module: allocator exports for the JS side, and every primitive kernel over pointers and lengths.
export { binary, cast, where } from './binary';
export { concat, fill, gatherAxis, gatherStrided, scatterAdd, scatterStrided } from './layout';
export { matmul, matmulWorkspace } from './matmul';
export { argReduce, cumulative, reduceRows, reduceRuns } from './reduce';
export { unary } from './unary';

/** Allocates `bytes` (16-byte aligned) from the TLSF heap; grows memory as needed, traps when it cannot. */
export function alloc(bytes: usize): usize {
  return heap.alloc(bytes);
}

/** Returns a block from alloc to the heap. */
export function free(ptr: usize): void {
  heap.free(ptr);
}
