// The verdict corpus through real Jest runs: every leaky subject fails `not.toLeak()` with the
// report, every clean one passes. The whole corpus once (Jest 30, plain JS), a subset on Jest 29
// and a subset in TypeScript (ts-jest, @jest/globals imports) on both majors.

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

function checkVerdicts(run: JestRun, names: { leaky: string[]; clean: string[] }, prefix = ''): void {
  const why = describeRun(run)
  expect(run.json, why).toBeDefined()
  expect(run.json!.numTotalTests, why).toBe(names.leaky.length + names.clean.length)
  for (const name of names.leaky) {
    const result = run.byName.get(`${prefix}leaky ${name}`)
    expect(result?.status, `leaky "${name}" should fail not.toLeak()\n${why}`).toBe('failed')
    const message = result!.failureMessages.join('\n')
    expect(message, `leaky "${name}": the failure should be the leak report`).toContain(
      'Expected the function not to leak, but it did.',
    )
    expect(message).toMatch(/^\s*Leak: the subject retained /m)
  }
  for (const name of names.clean) {
    const result = run.byName.get(`${prefix}clean ${name}`)
    expect(result?.status, `clean "${name}" should pass\n${result?.failureMessages.join('\n') ?? ''}\n${why}`).toBe('passed')
  }
  expect(run.code, why).toBe(names.leaky.length > 0 ? 1 : 0)
}

describe('plain JavaScript (babel-jest), matchers from the setup file', () => {
  test('Jest 30: the whole corpus', async () => {
    const run = await runJest({ major: 30, fixture: 'corpus-js', args: ['--maxWorkers=2'] })
    checkVerdicts(run, { leaky: leaky.map((e) => e.name), clean: clean.map((e) => e.name) })
    // The report a user reads names what is retained and who holds it.
    const sessions = run.byName.get('leaky unbounded Map cache of sessions')!.failureMessages.join('\n')
    expect(sessions).toContain('Session')
    expect(sessions).toMatch(/sessions/)
  })

  test('Jest 29: a subset', async () => {
    const run = await runJest({
      major: 29,
      fixture: 'corpus-js',
      args: ['--maxWorkers=2'],
      env: { LEAKPROOF_CORPUS_SUBSET: [...subset.leaky, ...subset.clean].join('\n') },
    })
    checkVerdicts(run, subset)
  })
})

describe.each([29, 30] as JestMajor[])('TypeScript (ts-jest), @jest/globals imports', (major) => {
  test(`Jest ${major}: a subset`, async () => {
    const run = await runJest({
      major,
      fixture: 'corpus-ts',
      env: { LEAKPROOF_CORPUS_SUBSET: [...subset.leaky, ...subset.clean].join('\n') },
    })
    checkVerdicts(run, subset)
  })
})
