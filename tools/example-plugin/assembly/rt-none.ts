// Deliberately empty: passed to asc as `--runtime`, so that the kernels get no allocator, no GC and no start
// function (code that would allocate does not compile).
