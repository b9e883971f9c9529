// The verdict corpus through real Jest runs: every leaky subject fails `not.toLeak()` with the
// report, every clean one passes. The whole corpus once (Jest 30, plain JS), and a subset in
// TypeScript (ts-jest, @jest/globals imports) on Jest 29 and on Jest 30. Plain JS on Jest 29 is
// covered by the matchers, per-test and reporter fixtures.

import { beforeAll, describe, expect, test } from 'vitest'
import { clean, leaky } from '../corpus/subjects.mjs'
import { describeRun, generateCorpusCjs, type JestMajor, type JestRun, runJest } from './helpers.js'

// One per kind of evidence: heap objects, listeners, external memory; and three different clean shapes.
const subset = {
  leaky: ['unbounded Map cache of sessions', 'EventEmitter listener never removed', 'Buffer kept per call'],
  clean: ['object temporaries', 'bounded LRU (100) at its bound', 'async: awaits a macrotask'],
}

beforeAll(() => {
  generateCorpusCjs()
})

function checkVerdicts(run: JestRun, names: { leaky: string[]; clean: string[] }): void {
  const why = describeRun(run)
  expect(run.json, why).toBeDefined()
  expect(run.json!.numTotalTests, why).toBe(names.leaky.length + names.clean.length)
  for (const name of names.leaky) {
    const result = run.byName.get(`leaky ${name}`)
    expect(result?.status, `leaky "${name}" should fail not.toLeak()\n${why}`).toBe('failed')
    const message = result!.failureMessages.join('\n')
    expect(message, `leaky "${name}": the failure should be the leak report`).toContain(
      'Expected the function not to leak, but it did.',
    )
    expect(message).toMatch(/^\s*Leak: the subject retained /m)
  }
  for (const name of names.clean) {
    const result = run.byName.get(`clean ${name}`)
    expect(result?.status, `clean "${name}" should pass\n${result?.failureMessages.join('\n') ?? ''}\n${why}`).toBe('passed')
  }
  expect(run.code, why).toBe(names.leaky.length > 0 ? 1 : 0)
}

const minutes = 60_000

test('Jest 30, plain JavaScript (babel-jest): the whole corpus', async ({ signal }) => {
  const run = await runJest({ major: 30, fixture: 'corpus-js', args: ['--maxWorkers=2'], signal })
  checkVerdicts(run, { leaky: leaky.map((e) => e.name), clean: clean.map((e) => e.name) })
  // The report a user reads names what is retained and who holds it.
  const sessions = run.byName.get('leaky unbounded Map cache of sessions')!.failureMessages.join('\n')
  expect(sessions).toContain('Session')
  expect(sessions).toMatch(/sessions \(Map\)/)
}, 25 * minutes)

// The other major, and TypeScript: a subset each (ts-jest, `expect` imported from @jest/globals).
describe.each([29, 30] as JestMajor[])('Jest %i, TypeScript (ts-jest)', (major) => {
  test('a subset of the corpus', async ({ signal }) => {
    const run = await runJest({
      major,
      fixture: 'corpus-ts',
      env: { LEAKPROOF_CORPUS_SUBSET: [...subset.leaky, ...subset.clean].join('\n') },
      signal,
    })
    checkVerdicts(run, subset)
  }, 10 * minutes)
})
