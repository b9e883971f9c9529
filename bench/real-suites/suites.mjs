// Definitions of the real open-source suites measured by setup.mjs / run.mjs.
//
// Each suite is a pinned commit of a public repository. Its package.json is trimmed to the
// dependencies its test suite needs (their full devDependencies pull in linters, bundlers,
// a website...), with the versions its own lockfile resolves; the leak-check configuration is a
// separate file next to theirs (their config is not edited).

export const suites = {
  yup: {
    repo: 'jquense/yup',
    commit: 'ff31eee8a2b10c938bb3a22544d9e33957a8cf01', // 2025-09-22
    framework: 'vitest',
    // yarn.lock (yarn berry, with a `patch:` devDependency npm cannot install): versions below are
    // the ones yarn.lock resolves; npm resolves the rest, pinned by locks/yup.package-lock.json.
    trim: {
      dependencies: {
        'property-expr': '2.0.5',
        'tiny-case': '1.0.3',
        toposort: '2.0.2',
        'type-fest': '2.19.0',
      },
      devDependencies: {
        '@4c/tsconfig': '0.4.1', // tsconfig.json extends it (esbuild reads it)
        '@standard-schema/spec': '1.0.0',
        'synchronous-promise': '2.0.17',
        vitest: '3.2.4',
      },
    },
    keepLock: false,
    savedLock: 'locks/yup.package-lock.json',
    plainCmd: ['npx', 'vitest', 'run'],
    perTestCmd: ['npx', 'vitest', 'run', '--config', 'vitest.leakproof.config.ts'],
    leakConfig: {
      file: 'vitest.leakproof.config.ts',
      text: () => `// leakproof per-test mode on top of the suite's own config (bench/real-suites)
import { defineConfig, mergeConfig } from 'vitest/config'
import { leakproof } from '@leakproof/vitest/plugin'
import base from './vitest.config'

export default mergeConfig(
  base,
  defineConfig({
    plugins: [leakproof({ eachTest: true, reporter: { outputFile: process.env.LEAKPROOF_BENCH_OUT ?? 'leakproof-report.json', table: 'never' } })],
  }),
)
`,
    },
  },
  'immutable-js': {
    repo: 'immutable-js/immutable-js',
    commit: '712177a9ebcd21524095f699c521b86619786226', // 2026-07-22
    framework: 'jest',
    // Their package-lock.json is kept: `npm install` with the trimmed package.json keeps the
    // locked versions of what is left (jest 29.7.0, typescript 5.7.3, rollup 4.59.0, ...).
    trim: {
      devDependencies: [
        '@jest/globals',
        '@rollup/plugin-buble',
        '@rollup/plugin-commonjs',
        '@rollup/plugin-json',
        '@rollup/plugin-typescript',
        '@immutable/devtools', // website/src/worker/normalizeResult.test.ts requires it
        'fast-check',
        'jest',
        'jest-environment-jsdom', // two website/ tests use it
        'make-synchronous',
        'random-seed',
        'rollup',
        'transducers-js',
        'tslib',
        'typescript',
      ],
    },
    keepLock: true,
    plainCmd: ['npx', 'jest'],
    detectLeaksCmd: ['npx', 'jest', '--detectLeaks'],
    perTestCmd: ['npx', 'jest', '--config', 'jest.leakproof.config.mjs'],
    leakConfig: {
      file: 'jest.leakproof.config.mjs',
      text: () => `// leakproof per-test mode on top of the suite's own config (bench/real-suites)
import base from './jest.config.mjs'

export default {
  ...base,
  testEnvironment: '@leakproof/jest/environment',
  reporters: ['default', ['@leakproof/jest/reporter', { outputFile: process.env.LEAKPROOF_BENCH_OUT ?? 'leakproof-report.json', table: 'never' }]],
}
`,
    },
  },
}
