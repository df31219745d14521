// Deliberately empty: passed to asc as `--runtime`, so the kernels get no allocator, no GC and no start function.
