// Bundle entry for the benchmark and experiments: the heap / explain modules compiled alone with
// esbuild, so they run even when the rest of @leakproof/core does not build.
export * from '../../packages/core/src/heap/parser.js'
export * from '../../packages/core/src/heap/snapshot.js'
export * from '../../packages/core/src/heap/summary.js'
export * from '../../packages/core/src/heap/filters/index.js'
export * from '../../packages/core/src/heap/paths.js'
export * from '../../packages/core/src/heap/render-path.js'
export * from '../../packages/core/src/heap/context-names.js'
export * from '../../packages/core/src/explain/three-snapshots.js'
export * from '../../packages/core/src/explain/allocation-sites.js'
export * from '../../packages/core/src/heap/strings.js'
