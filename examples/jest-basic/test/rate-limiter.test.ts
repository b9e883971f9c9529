import { describe, expect, test } from '@jest/globals'
import { trackCollection } from '@leakproof/jest'
import * as shipped from '../src/rate-limiter'
import * as fixed from '../src/rate-limiter-fixed'

// The same tests for the shipped limiter (it leaks: the leak check fails with leakproof's report)
// and for the fixed one (it passes).
describe.each([
  ['rate-limiter.ts (as shipped: never forgets a client)', shipped.createRateLimiter],
  ['rate-limiter-fixed.ts (sweeps idle clients)', fixed.createRateLimiter],
])('%s', (_name, createRateLimiter) => {
  test('allows `limit` requests per window and client', () => {
    let clock = 0
    const limiter = createRateLimiter({ limit: 2, windowMs: 1_000, now: () => clock })
    expect([limiter.allow('10.0.0.1'), limiter.allow('10.0.0.1'), limiter.allow('10.0.0.1')]).toEqual([true, true, false])
    expect(limiter.allow('10.0.0.2')).toBe(true)
    clock += 1_000
    expect(limiter.allow('10.0.0.1')).toBe(true)
  })

  test('forgets clients that went away', async () => {
    let clock = 0
    const limiter = createRateLimiter({ limit: 5, windowMs: 1_000, now: () => clock })
    let client = 0
    // Each call is a request from a new client, 10 ms after the previous one.
    await expect(() => {
      clock += 10
      limiter.allow(`client-${client++}`)
    }).not.toLeak()
  })
})

// toBeCollected: in Jest, pass a tracker (expect(value) itself would keep the value alive).
test('a limiter nobody references any more is garbage-collected', async () => {
  let limiter: fixed.RateLimiter | undefined = fixed.createRateLimiter({ limit: 5, windowMs: 1_000 })
  limiter.allow('10.0.0.1')
  const tracked = trackCollection(limiter, 'rate limiter')
  limiter = undefined
  await expect(tracked).toBeCollected()
})
