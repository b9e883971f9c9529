// The verdict corpus through real Jest runs: every leaky subject fails `not.toLeak()` with the
// report, every clean one passes. In the default run, one leaky and one clean subject per corpus
// pattern (10 patterns, perPattern() in test/corpus/subjects.mjs) on each major:
//   - Jest 30, plain JavaScript (3 files on 2 workers): the half of perPattern() the Jest 29 cell
//     does not take; per pattern both with LEAKPROOF_MATRIX=1, the whole corpus with
//     LEAKPROOF_FULL=1 (`npm run test:matrix`);
//   - Jest 29, TypeScript through babel-jest, `expect` imported from @jest/globals: every pattern
//     once, leaky or clean (alternatePatterns()); per pattern both with LEAKPROOF_MATRIX=1;
//   - Jest 30, TypeScript through ts-jest: 1 leaky + 1 clean (ts-jest loads the TypeScript
//     compiler into every worker, which makes heap snapshots several times slower).

import { beforeAll, expect, test } from 'vitest'
import { alternatePatterns, clean, leaky, perPattern } from '../corpus/subjects.mjs'
import { describeRun, generateCorpusCjs, type JestRun, runJest } from './helpers.js'

const subset = perPattern()

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

const full = process.env.LEAKPROOF_FULL === '1'
const matrix = process.env.LEAKPROOF_MATRIX === '1'
const secondCell = matrix || full ? subset : alternatePatterns(1)
// The default run's two cells take complementary halves: every subject of perPattern() once.
const firstCell = matrix ? subset : alternatePatterns()

test(`Jest 30, plain JavaScript: ${full ? 'the whole corpus' : firstCell === subset ? 'one leaky and one clean subject per pattern' : 'one subject per pattern (the half the Jest 29 cell does not take)'}`, async ({ signal }) => {
  const names = full ? { leaky: leaky.map((e) => e.name), clean: clean.map((e) => e.name) } : firstCell
  const run = await runJest({
    major: 30,
    fixture: 'corpus-js',
    args: ['--maxWorkers=2'],
    env: full ? {} : { LEAKPROOF_CORPUS_SUBSET: [...names.leaky, ...names.clean].join('\n') },
    signal,
  })
  checkVerdicts(run, names)
  // The report a user reads names what is retained and who holds it.
  const leak = names.leaky.includes('unbounded Map cache of sessions') ? 'unbounded Map cache of sessions' : names.leaky[0]!
  const message = run.byName.get(`leaky ${leak}`)!.failureMessages.join('\n')
  expect(message).toContain('Retained by (shortest path from a GC root):')
  if (leak === 'unbounded Map cache of sessions') {
    expect(message).toContain('Session')
    expect(message).toMatch(/sessions \(Map\)/)
  }
}, 25 * minutes)

test(`Jest 29, TypeScript through babel-jest: ${secondCell === subset ? 'one leaky and one clean subject per pattern' : 'one subject per pattern, leaky or clean'}`, async ({ signal }) => {
  const run = await runJest({
    major: 29,
    fixture: 'corpus-ts',
    args: ['--maxWorkers=2'],
    env: { LEAKPROOF_CORPUS_SUBSET: [...secondCell.leaky, ...secondCell.clean].join('\n') },
    signal,
  })
  checkVerdicts(run, secondCell)
}, 10 * minutes)

test('Jest 30, TypeScript through ts-jest: one leaky, one clean', async ({ signal }) => {
  const sample = { leaky: ['Buffer kept per call'], clean: ['bounded LRU (100) at its bound'] }
  const run = await runJest({
    major: 30,
    fixture: 'corpus-ts',
    args: ['--maxWorkers=2'],
    config: { transform: { '^.+\\.ts$': 'ts-jest' } },
    env: { LEAKPROOF_CORPUS_SUBSET: [...sample.leaky, ...sample.clean].join('\n') },
    signal,
  })
  checkVerdicts(run, sample)
}, 10 * minutes)
