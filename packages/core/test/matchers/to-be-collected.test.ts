// toBeCollected given the object itself: Vitest's and Jest's expect(value) hold `value` while the
// matcher runs, so a failure says to pass a tracker (the same hint in both frameworks).
import { describe, expect, test } from 'vitest'
import { toBeCollected, trackCollection } from '../../src/index.js'
import { passTrackerHint } from '../../src/adapter/index.js'

const kept: object[] = []

describe('toBeCollected', () => {
  test('the object itself, still reachable: the failure says to pass a tracker', async () => {
    const value = { kind: 'held by the caller' }
    kept.push(value)
    const result = await toBeCollected.call({}, value, { timeout: 100 })
    expect(result.pass).toBe(false)
    expect(result.message()).toContain('to be garbage-collected, but it is still reachable')
    expect(result.message()).toContain(passTrackerHint)
    expect(passTrackerHint).toContain('trackCollection(value)')
  })

  test('a tracker, still reachable: the retainer path, no hint', async () => {
    const value = { kind: 'kept' }
    kept.push(value)
    const result = await toBeCollected.call({}, trackCollection(value), { timeout: 100 })
    expect(result.pass).toBe(false)
    expect(result.message()).not.toContain(passTrackerHint)
  })
})
