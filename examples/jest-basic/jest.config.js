/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': 'ts-jest' },
  // Registers toLeak / toBeCollected on Jest's expect. No --expose-gc needed: leakproof turns on
  // gc() at run time in Jest's workers.
  setupFilesAfterEnv: ['@leakproof/jest/setup'],
  // A leak verdict takes heap snapshots of the worker: allow more than Jest's default 5 s.
  testTimeout: 60_000,
}
