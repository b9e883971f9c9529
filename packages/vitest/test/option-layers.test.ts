// Leak options in layers, as the workers combine them: the plugin's project options, per-test
// mode's, a suite's or test's `meta.leakproof`, a toLeak() call's own. `ignore` lists add up, as
// in Jest: a test that ignores one more type keeps ignoring what the project ignores. The
// measurement is stubbed: this is about the options it gets.
import { beforeEach, describe, expect, test, vi } from 'vitest'
import type { LeakOptions } from '@leakproof/core'
import type { WorkerSettings } from '../src/config.js'
import { testSetting } from '../src/runtime/each-test.js'
import { registerLeakMatchers } from '../src/runtime/matchers.js'
import type { TaskLike } from '../src/runtime/vitest-api.js'

const stub = vi.hoisted(() => ({
  settings: { options: {}, eachTest: false } as WorkerSettings,
  measured: [] as unknown[],
}))
vi.mock('../src/runtime/settings.js', () => ({ workerSettings: () => stub.settings }))
vi.mock('@leakproof/core/adapter', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@leakproof/core/adapter')>()
  const toLeak = async (_fn: unknown, options: unknown) => {
    stub.measured.push(options)
    return { pass: false, message: () => '' }
  }
  return { ...actual, leakMatchers: { ...actual.leakMatchers, toLeak } }
})

beforeEach(() => {
  stub.measured = []
})

const project: LeakOptions = { threshold: 8, ignore: { types: ['Session'], sites: [/pool/] } }

function taskWith(meta: Record<string, unknown>): TaskLike {
  const file = { name: 'a.test.ts', filepath: '/project/a.test.ts', meta: {} }
  return { id: '1', name: 'keeps a cache', type: 'test', meta, file, suite: file, context: {} }
}

describe('option layers', () => {
  test("per-test mode: a test's meta.leakproof ignore lists add to the project's", () => {
    stub.settings = { options: project, eachTest: project }
    const options = testSetting(taskWith({ leakproof: { threshold: 16, ignore: { types: [/^Order/] } } }))
    expect(options).toEqual({ threshold: 16, ignore: { types: ['Session', /^Order/], sites: [/pool/] } })
  })

  test("toLeak(options): the call's ignore lists add to the project's", async () => {
    let matchers: Record<string, (...args: unknown[]) => Promise<unknown>> = {}
    registerLeakMatchers(project, { extend: (m) => void (matchers = m as typeof matchers) })
    await matchers.toLeak!.call({ isNot: true }, () => {}, { ignore: { types: ['Order'], listeners: ['Emitter'] } })
    expect(stub.measured).toHaveLength(1)
    expect((stub.measured[0] as LeakOptions).ignore).toEqual({ types: ['Session', 'Order'], sites: [/pool/], listeners: ['Emitter'] })
  })
})
