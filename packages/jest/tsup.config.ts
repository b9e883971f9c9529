import { defineConfig } from 'tsup'

export default defineConfig({
  // One bundle per public entry. Jest loads setup files, reporters and environments with
  // require(), so the CJS builds are the ones Jest uses; ESM is there for node:test and bundlers.
  entry: {
    index: 'src/index.ts',
    setup: 'src/setup.ts',
    reporter: 'src/reporter.ts',
    environment: 'src/environment.ts',
    suite: 'src/suite-environment.ts',
  },
  format: ['esm', 'cjs'],
  dts: {
    // The matcher types augment `expect`'s Matchers; TypeScript only accepts the augmentation when
    // 'expect' is part of the program, so each declaration file imports it (types only).
    banner: "import type {} from 'expect'",
  },
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  // The engine stays a separate package: one copy per realm, shared through process-wide state.
  external: ['@leakproof/core'],
})
