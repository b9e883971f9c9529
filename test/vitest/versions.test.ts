// The same fixtures under Vitest 3 (Node 20) and Vitest 5 (Node 22, from the npm registry), each
// installed into test/vitest/.cache by harness.ts (first run only; later runs reuse it). The
// thread pools are covered with Vitest 4 (pools.test.ts).
import { beforeAll, describe, expect, test } from 'vitest'
import { checkEachTestRun, checkOptInRun, checkSubjects, versionSample, versionSampleEnv } from './checks.js'
import { prepareInstall, runVitest, typecheck, type VitestInstall } from './harness.js'

// Vitest 5 (Node 22) runs everything in the default set; Vitest 3.2's runs (the same fixtures on
// the machine's Node 20, like Vitest 4's) only with LEAKPROOF_MATRIX=1, to keep `npm test` short:
// its types are checked in the default set.
const matrix = process.env.LEAKPROOF_MATRIX === '1'

describe.each(['vitest-3', 'vitest-5'] as const)('%s', (name) => {
  const runtime = name === 'vitest-5' || matrix ? test : test.skip
  const matrixRuntime = matrix ? test : test.skip
  let install: VitestInstall
  beforeAll(() => {
    const prepared = prepareInstall(name)
    install = prepared
    console.log(`${name}: vitest ${prepared.version} on node ${prepared.node === process.execPath ? process.version : 'from npm'} (install step ${(prepared.installMs / 1000).toFixed(1)} s)`)
  }, 300_000)

  test('the intended Vitest version and Node run the fixtures', async () => {
    expect(install.version).toMatch(name === 'vitest-3' ? /^3\./ : /^5\./)
  })

  runtime('matchers: corpus sample in forks (--expose-gc from the plugin)', async () => {
    const run = await runVitest(install, 'matchers', { args: ['--pool', 'forks'], env: versionSampleEnv, timeoutMs: 400_000 })
    checkSubjects(run, versionSample, 'expose-gc')
    // The reporter ran in this version's main process, the checks in its workers on its Node.
    expect(run.report!.run.frameworkVersion).toBe(install.version)
    for (const record of run.report!.tests) {
      expect(record.report!.runtime.node).toMatch(name === 'vitest-5' ? /^v22\./ : new RegExp(`^${process.version.split('.')[0]}\\.`))
    }
  }, 400_000)

  runtime('per-test mode: eachTest', async () => {
    checkEachTestRun(await runVitest(install, 'each-test', { timeoutMs: 400_000 }))
  }, 400_000)

  // Opt-in selection is Vitest 4's in test/vitest/each-test.test.ts; other majors with the matrix.
  matrixRuntime('per-test mode: opt-in', async () => {
    checkOptInRun(await runVitest(install, 'each-test', { args: ['--config', 'vitest.optin.config.ts'], timeoutMs: 400_000 }))
  }, 400_000)

  test('types: matchers, plugin and reporter against this version', () => {
    const result = typecheck(install, 'types')
    expect(result.output).toBe('')
    expect(result.exitCode).toBe(0)
  }, 120_000)
})

// Vitest 3.0–3.1 typed custom matchers through `Assertion<T>` (no `Matchers` interface yet): the
// types must hold there too. Types only: Vitest 3 at run time is covered with 3.2 above.
describe('vitest-3.0 types', () => {
  test('matchers, plugin and reporter type-check against Vitest 3.0', () => {
    const install = prepareInstall('vitest-3.0')
    expect(install.version).toMatch(/^3\.0\./)
    const result = typecheck(install, 'types-skiplibcheck')
    expect(result.output).toBe('')
    expect(result.exitCode).toBe(0)
  }, 300_000)
})
