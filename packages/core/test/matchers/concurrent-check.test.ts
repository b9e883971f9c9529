// Two checks at once share one heap and cannot both be measured: the second one's error names the
// test whose measurement is running, so a user can find the un-awaited or concurrent one.
import { expect, test } from 'vitest'
import { LeakproofUsageError, measureLeak, toLeak } from '../../src/index.js'

const context = (name: string) => ({ isNot: true, currentTestName: name, testPath: 'test/api.test.ts' })

test('the concurrency error names the test that owns the running measurement', async () => {
  const first = toLeak.call(context('sessions > first'), () => ({}), { calls: 40, warmup: 10, samples: 4, timeout: 10_000 })
  const second = toLeak.call(context('sessions > second'), () => ({}))
  await expect(second).rejects.toThrowError(LeakproofUsageError)
  await expect(second).rejects.toThrowError(/already running in this process \(started by the test "sessions > first"\)/)
  await first
})

test('measureLeak outside a test: the error names no test', async () => {
  const first = measureLeak(() => ({}), { calls: 40, warmup: 10, samples: 4, timeout: 10_000 })
  const error = await measureLeak(() => ({})).catch((e: unknown) => e)
  expect(String(error)).toMatch(/already running in this process\. Leak checks/)
  await first
})
