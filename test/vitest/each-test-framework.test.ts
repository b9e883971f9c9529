// Per-test mode and Vitest's own machinery (fixtures/each-test-framework): tests that make
// vi.fn() / vi.spyOn() mocks in their body or hooks, rely on the project's mock settings between
// runs (a vi.mock() module's mock included), use fake timers or expect.assertions pass; tests
// whose own code keeps mocks or calls still fail with the leak report. The default run checks Vitest 4 on one clean and one leaky
// mock test; LEAKPROOF_MATRIX=1 runs every test of the fixture on Vitest 3, 4 and 5.
import { describe, expect, test } from 'vitest'
import { digest, prepareInstall, runVitest, vitest4, type RunResult, type VitestInstall } from './harness.js'

const matrix = process.env.LEAKPROOF_MATRIX === '1'

const clean = [
  'mocks: vi.fn() in the body',
  'mocks: vi.fn() in beforeEach > calls the mock',
  'mocks: vi.spyOn() on an object the run makes, never restored',
  'mocks: vi.spyOn() on a shared object, mockRestore() in afterEach > uses the spy',
  'config: restoreMocks restores a spy on a shared object before every repeat',
  'config: clearMocks clears a module-level mock before every repeat',
  'config: clearMocks clears a vi.mock() factory mock before every repeat',
  'fake timers in beforeEach / afterEach > timers: advances a fake clock',
  'timers: vi.useFakeTimers() in the body, vi.useRealTimers() in onTestFinished',
  'assertions: expect.assertions(n)',
  'assertions: expect.hasAssertions() with the context expect',
  'async assertions: .resolves and .rejects, not the last test of its file',
  'async assertions: the last test of its file',
  'snapshots: toMatchSnapshot and toMatchInlineSnapshot, not the last test of its file',
  'snapshots: the last test of its file',
]
const leaky = [
  'leaky: keeps every mock it makes in a module-level array',
  'leaky: calls a spy that is never cleared',
  'leaky: keeps what it validates',
  'leaky: keeps what it snapshots',
]

/** Every selected clean test passes with a clean record; every leaky one fails with the report. */
export function checkFrameworkRun(run: RunResult, selected: { clean: string[]; leaky: string[] }, major: 3 | 4 | 5): void {
  const context = digest(run)
  expect(run.tests.size, context).toBe(selected.clean.length + selected.leaky.length)
  for (const name of selected.clean) {
    const result = run.tests.get(name)
    expect(result?.status, `${name}\n${result?.failure}\n${context}`).toBe('passed')
    expect(run.records.get(name)?.verdict, name).toBe('clean')
  }
  for (const name of selected.leaky) {
    const result = run.tests.get(name)
    expect(result?.status, `${name}\n${context}`).toBe('failed')
    expect(result!.failure, name).toContain('LeakError: leakproof: this test retains memory every time it runs.')
    expect(run.records.get(name)?.verdict, name).toBe('leak')
  }
  // The user's array, or the spy's own call log, keeps the retained objects. (In Vitest 5 the
  // shortest path to a kept mock runs through the WeakMap entry its state keys, MOCKS_BY_STATE.)
  if (selected.leaky.includes(leaky[0]!) && major !== 5) expect(run.tests.get(leaky[0]!)!.failure).toMatch(/keptMocks \(Array\)/)
  if (selected.leaky.includes(leaky[1]!)) expect(run.tests.get(leaky[1]!)!.failure).toMatch(/→ calls \(Array\)/)
  expect(run.exitCode, context).toBe(selected.leaky.length ? 1 : 0)
}

const pattern = (names: string[]) => `^(${names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`

describe('per-test mode and Vitest machinery', () => {
  // The async-assertions and snapshots files have a leak, so their group screens are split and
  // their first tests get checks of their own, repeated inside the file's last test: Vitest files
  // the global expect()'s .resolves/.rejects and snapshots on that last test, and without the
  // handling the first tests failed (a leak; a snapshot mismatch on run 2).
  test('Vitest 4: a vi.fn() per run passes, a mock kept in a module-level array fails; .resolves/.rejects and snapshots pass beside a leak', async () => {
    const selected = { clean: ['mocks: vi.fn() in the body', ...clean.slice(-4)], leaky: [leaky[0]!, leaky[2]!, leaky[3]!] }
    const run = await runVitest(vitest4, 'each-test-framework', {
      args: ['files/mocks.test.ts', 'files/async-assertions.test.ts', 'files/snapshots.test.ts', '-t', pattern([...selected.clean, ...selected.leaky])],
      timeoutMs: 400_000,
    })
    // Tests left out by -t are reported as skipped: only the two selected ran.
    for (const [name, t] of run.tests) if (t.status === 'skipped') run.tests.delete(name)
    checkFrameworkRun(run, selected, 4)
  }, 400_000)

  const inMatrix = matrix ? test : test.skip
  for (const name of ['vitest-3', 'vitest-4', 'vitest-5'] as const) {
    inMatrix(`${name}: every test of the fixture`, async () => {
      const install: VitestInstall = name === 'vitest-4' ? vitest4 : prepareInstall(name)
      const run = await runVitest(install, 'each-test-framework', { timeoutMs: 600_000 })
      checkFrameworkRun(run, { clean, leaky }, Number(name.slice(-1)) as 3 | 4 | 5)
    }, 900_000)
  }
})
