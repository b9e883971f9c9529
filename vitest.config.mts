import { defineConfig } from 'vitest/config'

// The project's own tests. Leak measurements need a forced GC, and run one file at a time per
// worker so other files' allocations do not share the heap being measured.
//
// `npm test` runs the default set, including a subset of test/real-world (third-party libraries:
// LEAKPROOF_REAL_WORLD_FULL=1 runs all of it). The long integration runs (the thread pools, both
// Jest majors end to end) run with LEAKPROOF_MATRIX=1 (`npm run test:matrix`); every Node x
// framework x pool cell with `npm run test:matrix:table`.
const matrix = process.env.LEAKPROOF_MATRIX === '1'
// test/vitest/versions.test.ts (Vitest 3.2 on Node 20, Vitest 5 on Node 22, Vitest 3.0 types) is
// the default run's one cell per other Vitest major.
const matrixOnly = [
  'test/vitest/pools.test.ts',
  'test/jest/each-test.test.ts',
  'test/jest/corpus.test.ts',
]

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: [
      '**/node_modules/**',
      '**/fixtures/**',
      '**/dist/**',
      '**/.cache/**',
      ...(matrix ? [] : matrixOnly),
    ],
    pool: 'forks',
    execArgv: ['--expose-gc'],
    testTimeout: 240_000,
    hookTimeout: 900_000,
    maxWorkers: 2,
  },
})
