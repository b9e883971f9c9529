// Per-test mode's options in layers: the project's (testEnvironmentOptions.leakproof), then a
// test's own (leakCheckOptions() in its body). `ignore` lists add up, as in Vitest: a test that
// ignores one more type keeps ignoring what the project ignores. The checks are stubbed: this
// is about the options it gets.
import { beforeEach, describe, expect, test, vi } from 'vitest'
import type { LeakOptions } from '@leakproof/core'
import type { QueuedTest } from '@leakproof/core/adapter'
import type { CircusDescribeBlock, CircusState, CircusTest } from '../src/each-test/circus.js'
import { controllerKey, type EachTestController } from '../src/each-test/controller.js'
import { EachTestMode } from '../src/each-test/runner.js'

const measured = vi.hoisted(() => ({ checks: [] as unknown[] }))
vi.mock('@leakproof/core/adapter', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@leakproof/core/adapter')>()),
  checkQueuedTests: async (queue: unknown[]) => {
    measured.checks.push(...queue)
    return []
  },
}))

beforeEach(() => {
  measured.checks = []
})

/** Run one test through per-test mode as jest-circus would; `body` gets the controller the test file sees. */
async function checkedOptions(project: LeakOptions, body: (controller: EachTestController) => void): Promise<LeakOptions> {
  const global: Record<PropertyKey, unknown> = {}
  const mode = new EachTestMode({ global, testPath: '/project/a.test.js', options: project, exclude: [] })
  const root: CircusDescribeBlock = { type: 'describeBlock', name: 'ROOT_DESCRIBE_BLOCK', hooks: [], children: [] }
  const test: CircusTest = { type: 'test', name: 'keeps a cache', fn: () => body(global[controllerKey] as EachTestController), parent: root, errors: [] }
  root.children.push(test)
  const state: CircusState = { rootDescribeBlock: root, testTimeout: 5000 }
  await mode.handle({ name: 'test_start', test }, state)
  await test.fn.call(undefined)
  await mode.handle({ name: 'test_done', test }, state)
  // Checked with the file's other tests when the file's tests end.
  expect(measured.checks).toHaveLength(0)
  await mode.handle({ name: 'run_finish' }, state)
  expect(measured.checks).toHaveLength(1)
  return (measured.checks[0] as QueuedTest).options
}

describe('per-test mode: option layers', () => {
  test("a test's ignore lists add to the project's", async () => {
    const options = await checkedOptions({ threshold: 8, ignore: { types: ['Session'], sites: [/pool/] } }, (controller) => {
      controller.configure({ ignore: { types: [/^Order/] } })
      controller.configure({ threshold: 16, ignore: { listeners: ['Emitter'] } })
    })
    expect(options.ignore).toEqual({ types: ['Session', /^Order/], sites: [/pool/], listeners: ['Emitter'] })
    expect(options.threshold).toBe(16)
  })

  test('other options: the later layer wins', async () => {
    const options = await checkedOptions({ timeout: 100_000, warmup: 10 }, (controller) => controller.configure({ warmup: 20 }))
    expect(options).toMatchObject({ timeout: 100_000, warmup: 20 })
  })
})
