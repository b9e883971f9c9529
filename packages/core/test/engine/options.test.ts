import { describe, expect, test } from 'vitest'
import { LeakproofUsageError, measureLeak, resolveOptions } from '../../src/index.js'

describe('options', () => {
  test('defaults are filled in', () => {
    const o = resolveOptions()
    expect(o).toMatchObject({ warmup: 200, iterations: 400, samples: 11, threshold: 4, explain: true, resources: true, showStrings: false, inconclusive: 'warn' })
    expect(o.ignore).toEqual({ types: [], sites: [], resources: [], listeners: [] })
  })

  test.each([
    [{ calls: 'many' }, /"calls" must be a whole number, got the string "many"/],
    [{ calls: 2.5 }, /"calls" must be a whole number/],
    [{ calls: 5 }, /"calls" must be between 10 and/],
    // The old name is the same option, checked under its current name.
    [{ iterations: 5 }, /"calls" must be between 10 and/],
    [{ calls: 500, iterations: 500 }, /options "calls" and "iterations" \(its old name\) are both given: keep "calls"/],
    [{ samples: 2 }, /"samples" must be between 4 and/],
    [{ warmup: -1 }, /"warmup" must be between 0 and/],
    [{ timeout: 0 }, /"timeout" must be between 1 and/],
    [{ threshold: 0 }, /"threshold" must be a positive number/],
    [{ threshold: NaN }, /"threshold" must be a positive number of bytes per call, got NaN/],
    [{ explain: 'yes' }, /"explain" must be true or false/],
    [{ signal: {} }, /"signal" must be an AbortSignal/],
    [{ snapshotDir: '' }, /"snapshotDir" must be a directory path/],
    [{ inconclusive: 'error' }, /option "inconclusive" must be 'warn' \(pass an inconclusive check with a warning\) or 'fail' \(fail the test\), got the string "error"/],
    [{ iteratons: 50 }, /unknown option "iteratons"\. Known options: warmup, calls/],
    [{ ignore: { type: ['X'] } }, /unknown ignore key "type"/],
    [{ ignore: { types: 'X' } }, /ignore\.types must be an array of strings or RegExps/],
    [{ maxCalls: 100 }, /"maxCalls" \(100\) must be at least warmup \+ calls \(200 \+ 400\)/],
    [{ maxIterations: 100 }, /"maxCalls" \(100\) must be at least warmup \+ calls \(200 \+ 400\)/],
    [{ calls: 10, samples: 20 }, /"calls" \(10\) must be at least samples - 1 \(19\)/],
  ])('rejects %j with a message naming the fix', (input, message) => {
    expect(() => resolveOptions(input as never)).toThrowError(LeakproofUsageError)
    expect(() => resolveOptions(input as never)).toThrowError(message)
  })

  test('calls and maxCalls, or their old names iterations and maxIterations, set the same options', () => {
    for (const given of [{ calls: 800, maxCalls: 5000 }, { iterations: 800, maxIterations: 5000 }]) {
      expect(resolveOptions(given)).toMatchObject({ iterations: 800, maxIterations: 5000, adaptiveIterations: false })
    }
    expect(resolveOptions({}).adaptiveIterations).toBe(true)
  })

  test('options must be an object', () => {
    expect(() => resolveOptions(42 as never)).toThrowError(/options must be an object like \{ calls: 400 \}, got number 42/)
  })

  test('measureLeak rejects a non-function subject before doing any work', async () => {
    await expect(measureLeak('handler' as never)).rejects.toThrowError(
      /measureLeak needs a function to call repeatedly, got the string "handler".*measureLeak\(\(\) => handler\(request\)\)/,
    )
    await expect(measureLeak(undefined as never)).rejects.toThrowError(LeakproofUsageError)
  })

  test('measureLeak validates options before calling the subject', async () => {
    let calls = 0
    await expect(measureLeak(() => calls++, { calls: -3 })).rejects.toThrowError(/"calls" must be between/)
    expect(calls).toBe(0)
  })
})
