import { defineConfig } from 'tsup'

const common = {
  dts: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
  // Resolved in the user's project at run time: Vitest is a peer, core a dependency.
  external: ['vitest', 'vitest/suite', '@leakproof/core'],
  // dist/ is emptied by the build script: two configs share it.
  clean: false,
} as const

export default defineConfig([
  // Config-side modules (loaded by vitest.config.*): no runtime import of 'vitest', so they work
  // from ESM and CommonJS configs alike.
  {
    ...common,
    entry: { plugin: 'src/plugin.ts', reporter: 'src/reporter.ts' },
    format: ['esm', 'cjs'],
    shims: true,
  },
  // Worker-side modules import 'vitest' (ESM only: Vitest itself cannot be require()d), and
  // use top-level await to reach the runner API of whichever Vitest major is installed.
  {
    ...common,
    entry: { index: 'src/index.ts', setup: 'src/setup.ts' },
    format: ['esm'],
  },
])
