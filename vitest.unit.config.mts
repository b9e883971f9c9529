import { defineConfig } from 'vitest/config'

// `npm run test:unit`: the in-process layer for the edit-test loop: pure rules, parsers, the
// resource watch, the adapters' logic. Tests that measure whole subjects in child processes or take
// heap snapshots of them (the engine layer) and everything that drives the real Vitest and Jest
// CLIs (the integration layer) run in `npm test` (vitest.config.mts).
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/cli/table.test.ts', 'test/cli/html.test.ts', 'test/cli/workflow.test.ts'],
    exclude: [
      '**/node_modules/**',
      'packages/core/test/engine/{errors,report,gc,cold-start,report-subpath}.test.ts',
      'packages/core/test/heap/three-snapshots-*.test.ts',
      'packages/core/test/heap/dom-explain.test.ts',
    ],
    pool: 'forks',
    execArgv: ['--expose-gc'],
    testTimeout: 60_000,
    maxWorkers: 2,
  },
})
