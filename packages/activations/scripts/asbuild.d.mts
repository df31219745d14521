/** The asc flags of a plugin module. */
export declare const ASC_FLAGS: readonly string[];
/** The kernel modules' names (assembly/<name>.ts). */
export declare function kernelModules(): string[];
/** Builds every module into src/build/<name>.wasm; throws on the first compile error. */
export declare function buildKernels(): Promise<void>;
