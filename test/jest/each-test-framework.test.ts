// Per-test mode and Jest's own machinery (fixtures/each-test-framework): tests that make jest.fn()
// / jest.spyOn() mocks every run or use fake timers pass; tests whose own code keeps mocks or calls
// still fail with the leak report. The default run checks Jest 30 on a spy restored every run
// (jest-mock keeps its restore function: a leak report without per-test mode's trimming) and a
// mock kept in a module-level array; LEAKPROOF_MATRIX=1 runs the whole fixture on Jest 29 and 30.

import { describe, expect, test } from 'vitest'
import { describeRun, majors, runJest, type JestRun } from './helpers.js'

const matrix = process.env.LEAKPROOF_MATRIX === '1'

const clean = [
  'mocks: jest.fn() in the body',
  'mocks: jest.spyOn() on an object the run makes, never restored',
  'mocks: jest.spyOn() on a shared object, mockRestore() in afterEach uses the spy',
  'fake timers in beforeEach / afterEach timers: advances a fake clock',
]
const leaky = ['leaky: keeps every mock it makes in a module-level array', 'leaky: calls a spy that is never cleared']

function checkRun(run: JestRun, selected: { clean: string[]; leaky: string[] }): void {
  const why = describeRun(run)
  for (const name of selected.clean) {
    const result = run.byName.get(name)
    expect(result?.status, `${name}\n${result?.failureMessages.join('\n')}\n${why}`).toBe('passed')
  }
  for (const name of selected.leaky) {
    const result = run.byName.get(name)
    expect(result?.status, `${name}\n${why}`).toBe('failed')
    expect(result!.failureMessages.join('\n'), name).toContain('leakproof: this test retains memory every time it runs.')
  }
  if (selected.leaky.includes(leaky[0]!)) expect(run.byName.get(leaky[0]!)!.failureMessages.join('\n')).toMatch(/keptMocks \(Array\)/)
  expect(run.code, why).toBe(selected.leaky.length ? 1 : 0)
}

const pattern = (names: string[]) => `^(${names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`

describe('per-test mode and Jest machinery', () => {
  test('Jest 30: a spy restored every run passes, a mock kept in a module-level array fails', async ({ signal }) => {
    const selected = { clean: [clean[2]!], leaky: [leaky[0]!] }
    const run = await runJest({
      major: 30,
      fixture: 'each-test-framework',
      args: ['--workerIdleMemoryLimit=1GB', '-t', pattern([...selected.clean, ...selected.leaky])],
      signal,
    })
    checkRun(run, selected)
  }, 600_000)

  const inMatrix = matrix ? test : test.skip
  for (const major of majors) {
    inMatrix(`Jest ${major}: every test of the fixture`, async ({ signal }) => {
      const run = await runJest({ major, fixture: 'each-test-framework', args: ['--workerIdleMemoryLimit=1GB'], signal })
      checkRun(run, { clean, leaky })
    }, 900_000)
  }
})
