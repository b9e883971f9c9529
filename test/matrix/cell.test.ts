// One Vitest cell of the compatibility matrix (scripts/matrix.mjs, `npm run test:matrix:table`):
// the corpus sample of versions.test.ts (versionSample in checks.ts) through toLeak() in the `matchers` fixture
// (leaky subjects fail with the leak report, clean ones pass), with one Vitest major, one pool and
// one Node binary. The script runs this file once per cell with
//   LEAKPROOF_CELL=vitest-<3|4|5>:node-<major>:<forks|threads|vmThreads>
//   LEAKPROOF_CELL_NODE=<path of that Node binary>   (default: this process's Node)
// Without LEAKPROOF_CELL (the default `npm test`) the test is skipped. Jest cells run
// test/jest/matchers.test.ts itself, with LEAKPROOF_JEST_NODE choosing the Node binary.
import { beforeAll, describe, expect, test } from 'vitest'
import { checkSubjects, versionSample, versionSampleEnv } from '../vitest/checks.js'
import { prepareInstall, runVitest, vitest4, type VitestInstall } from '../vitest/harness.js'

const cell = process.env.LEAKPROOF_CELL

describe.skipIf(!cell)(`matrix cell ${cell ?? '(LEAKPROOF_CELL not set)'}`, () => {
  const parsed = /^vitest-(3|4|5):node-(\d+):(forks|threads|vmThreads)$/.exec(cell ?? '')
  const [, major, nodeMajor, pool] = parsed ?? []
  let install: VitestInstall

  beforeAll(() => {
    if (!parsed) throw new Error(`LEAKPROOF_CELL=${cell}: expected vitest-<3|4|5>:node-<major>:<forks|threads|vmThreads>`)
    // Installing Vitest 3 / 5 (first use only) happens here, outside the timed test.
    const base = major === '4' ? vitest4 : prepareInstall(`vitest-${major}` as 'vitest-3' | 'vitest-5')
    install = { ...base, node: process.env.LEAKPROOF_CELL_NODE || process.execPath }
  }, 600_000)

  test('leaky subjects fail with the leak report, clean ones pass', async () => {
    expect(install.version).toMatch(new RegExp(`^${major}\\.`))
    const run = await runVitest(install, 'matchers', { args: ['--pool', pool!], env: versionSampleEnv, timeoutMs: 600_000 })
    // forks get --expose-gc from the plugin; the thread pools turn GC on at run time.
    checkSubjects(run, versionSample, pool === 'forks' ? 'expose-gc' : 'runtime-flag')
    // The reporter ran in this Vitest's main process, the checks in its workers on the cell's Node.
    expect(run.report!.run.frameworkVersion).toBe(install.version)
    for (const record of run.report!.tests) {
      expect(record.report!.runtime.node, record.name).toMatch(new RegExp(`^v${nodeMajor}\\.`))
    }
  }, 600_000)
})
