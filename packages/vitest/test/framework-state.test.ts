// Per-test mode's handling of Vitest's mock registries (the running Vitest 4): mocks and spies a
// repeated run makes are let go once the next run has ended; what was there before stays
// registered. Vitest 3 and 5 are covered by test/vitest/each-test-framework.test.ts.
import { expect, test, vi } from 'vitest'
import { trackFrameworkState } from '../src/runtime/framework-state.js'

const gc = (globalThis as { gc?: () => void }).gc

async function collected(refs: WeakRef<object>[]): Promise<number> {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setImmediate(resolve))
    gc!()
  }
  return refs.filter((r) => r.deref() === undefined).length
}

test('mocks and spies of earlier runs are collected; without the tracker Vitest keeps them', async () => {
  expect(gc, 'the unit config runs with --expose-gc').toBeTypeOf('function')
  const run = (refs: WeakRef<object>[]) => {
    const mock = vi.fn()
    mock({ payload: 1 })
    const service = { send: () => 1 }
    const spy = vi.spyOn(service, 'send')
    service.send()
    spy.mockRestore()
    refs.push(new WeakRef(mock), new WeakRef(service))
  }

  const kept: WeakRef<object>[] = []
  for (let i = 0; i < 5; i++) run(kept)
  expect(await collected(kept)).toBe(0) // Vitest's registries hold every one

  const shared = { get: () => 0 }
  vi.spyOn(shared, 'get') // made before the check: stays registered
  const framework = trackFrameworkState()
  const refs: WeakRef<object>[] = []
  for (let i = 0; i < 5; i++) await framework.around(async () => run(refs))()
  framework.dispose()
  // All but the last run's mock and service are gone.
  expect(await collected(refs)).toBe(refs.length - 2)
  vi.restoreAllMocks()
  expect(vi.isMockFunction(shared.get)).toBe(false)
})
