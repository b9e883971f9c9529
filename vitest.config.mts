import { defineConfig } from 'vitest/config'

// The project's own tests. Leak measurements need a forced GC, and run one file at a time per
// worker so other files' allocations do not share the heap being measured.
//
// `npm test` runs the default set, including a subset of test/real-world (third-party libraries:
// LEAKPROOF_REAL_WORLD_FULL=1 runs all of it) and one leaky and one clean corpus subject per
// pattern through each Vitest pool and both Jest majors. LEAKPROOF_MATRIX=1 (`npm run
// test:matrix`) adds Jest's per-test matrix and, with LEAKPROOF_FULL=1, the whole corpus through
// Vitest and Jest; every Node x framework x pool cell with `npm run test:matrix:table`.
const matrix = process.env.LEAKPROOF_MATRIX === '1'
// test/vitest/versions.test.ts is the default run's cell per other Vitest major: Vitest 5 on Node
// 22 (matchers, per-test mode, types), Vitest 3.2 and 3.0 types (3.2's runs with the matrix).
const matrixOnly = ['test/jest/each-test.test.ts']
// The DOM model on real jsdom and happy-dom heaps (two snapshots each): with LEAKPROOF_DOM_FULL=1;
// test/dom and examples/react-dom check the same reports end to end in the default run.
const domFullOnly = process.env.LEAKPROOF_DOM_FULL === '1' ? [] : ['packages/core/test/heap/dom-explain.test.ts']
// Known third-party leaks in the default run: debug, node-fetch and express-form-data (the fixed and
// the leaking version of each); LEAKPROOF_REAL_WORLD_FULL=1 (`npm run test:real-world`) adds these.
const realWorldFullOnly =
  process.env.LEAKPROOF_REAL_WORLD_FULL === '1' ? [] : ['test/real-world/known-leaks/{axios,http-proxy-middleware,undici}.test.ts']

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: [
      '**/node_modules/**',
      '**/fixtures/**',
      '**/dist/**',
      '**/.cache/**',
      ...(matrix ? [] : matrixOnly),
      ...realWorldFullOnly,
      ...domFullOnly,
    ],
    pool: 'forks',
    execArgv: ['--expose-gc'],
    testTimeout: 240_000,
    hookTimeout: 900_000,
    maxWorkers: 2,
  },
})
