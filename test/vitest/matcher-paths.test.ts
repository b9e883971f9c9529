// The matcher paths the corpus run (corpus.test.ts) does not take, in a real Vitest 4 run:
// toBeCollected passing and failing (the object itself: the tracker hint), not.toBeCollected, and toLeak() without .not both ways —
// with Vitest's matcher header, the messages, and the line of each record.
import { beforeAll, describe, expect, test } from 'vitest'
import { fixtureLine } from './checks.js'
import { digest, runVitest, vitest4, type RunResult } from './harness.js'

const lineOf = (text: string) => fixtureLine('matcher-paths/paths.test.ts', text)

describe('Vitest 4: toBeCollected and toLeak() without .not', () => {
  let run: RunResult
  beforeAll(async () => {
    run = await runVitest(vitest4, 'matcher-paths', { timeoutMs: 300_000 })
  }, 300_000)

  test('toBeCollected: a dropped object passes, a kept one fails with its retainer path, .not passes', () => {
    const context = digest(run)
    const status = (name: string) => run.tests.get(`toBeCollected > ${name}`)?.status
    expect(status('a dropped object, through a tracker, is collected'), context).toBe('passed')
    expect(status('not: a kept object stays alive'), context).toBe('passed')
    expect(status('a kept object fails with its retainer path'), context).toBe('failed')
    const failure = run.tests.get('toBeCollected > a kept object fails with its retainer path')!.failure
    // Vitest's matcherHint header, then core's message with the path that holds the object.
    expect(failure).toMatch(/^Error: expect\(value\)\.toBeCollected\(\)\n\nExpected Object to be garbage-collected, but it is still reachable:\n/)
    expect(failure).toMatch(/ → registry \(Array\) → \[0\] → Object/)
    expect(failure).not.toContain('pass a tracker')

    // Vitest's expect(value) holds the object (its path runs through chai's __flags): the hint.
    const direct = run.tests.get('toBeCollected > the object itself fails, saying to pass a tracker')
    expect(direct?.status, context).toBe('failed')
    expect(direct!.failure).toContain('expect(value) keeps `value` alive until the assertion settles, so pass a tracker')
    expect(direct!.failure).toContain('trackCollection(value)')
  })

  test('toLeak(): a leaky function passes, a clean one fails saying it did not leak', () => {
    const context = digest(run)
    expect(run.exitCode, context).toBe(1)
    expect(run.tests.get('toLeak without .not > a leaky function passes')?.status, context).toBe('passed')
    const clean = run.tests.get('toLeak without .not > a clean function fails, saying it did not leak')
    expect(clean?.status, context).toBe('failed')
    expect(clean!.failure).toMatch(/^Error: expect\(fn\)\.toLeak\(options\)\n\nExpected the function to leak, but it did not\.\n\nNo leak: /)
  })

  test('records: the verdicts, and the line of each expect(...).toLeak() call', () => {
    const context = digest(run)
    const leaky = run.records.get('toLeak without .not > a leaky function passes')
    const clean = run.records.get('toLeak without .not > a clean function fails, saying it did not leak')
    expect(leaky, context).toMatchObject({ file: 'paths.test.ts', source: 'matcher', verdict: 'leak', line: lineOf('sessions.push(new Session') })
    expect(leaky!.report!.retainedTypes.map((t) => t.name)).toContain('Session')
    expect(clean, context).toMatchObject({ file: 'paths.test.ts', source: 'matcher', verdict: 'clean', line: lineOf('temporary: [1, 2, 3]') })
    // toBeCollected makes no record.
    expect(run.report!.tests, context).toHaveLength(2)
  })
})
