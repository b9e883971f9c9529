import { defineConfig } from 'tsup'

export default defineConfig({
  entry: { index: 'src/index.ts', 'report/index': 'src/report/index.ts', 'adapter/index': 'src/adapter/index.ts' },
  format: ['esm', 'cjs'],
  // Shared chunks in CommonJS too (Jest loads that build): one copy of the engine and its error
  // classes behind every entry, so `instanceof LeakError` holds whichever entry threw it.
  splitting: true,
  // import.meta.url in CommonJS chunks too (explain/frames.ts finds this package's directory with it).
  shims: true,
  // Rollup, not sucrase, turns the shared chunks into CommonJS: sucrase renames classes with fields
  // (`_class14`), and the heap snapshots name the engine's holder of the subject by its class.
  treeshake: true,
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
})
