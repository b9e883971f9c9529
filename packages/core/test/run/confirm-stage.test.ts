import { describe, expect, test } from 'vitest'
import { getGc } from '../../src/gc/force-gc.js'
import { settle } from '../../src/gc/settle.js'
import { resolveOptions } from '../../src/options.js'
import type { Findings } from '../../src/run/findings.js'
import { LeakproofSubjectCalls } from '../../src/run/call-subject.js'
import { confirmWithSnapshots, steppedTriple } from '../../src/run/confirm-stage.js'

/** Run the snapshot confirmation alone, as if the screen had suspected `subject` of growing. */
async function confirmOnly(subject: () => unknown): Promise<Findings> {
  const gc = getGc()
  const opts = resolveOptions({ explain: false, resources: false })
  const state = new LeakproofSubjectCalls(subject, Infinity, Infinity, () => new Error('no deadline'))
  const findings: Findings = {
    stage: 'confirm',
    decision: [],
    measured: 0,
    warmup: 0,
    screen: { heapSlope: 100, externalSlope: 0, heapSuspect: true, externalSuspect: false, shrinking: false, noisyJump: undefined },
  }
  for (let i = 0; i < 200; i++) await subject()
  await confirmWithSnapshots({ state, opts, findings, settle: () => settle(gc), perCallMs: 0.05, screenCalls: 400, startedAt: performance.now() })
  return findings
}

/**
 * An in-process request (fastify's inject): resolves in microtasks, so a whole interval of calls
 * never yields to the event loop, and defers its cleanup through two setImmediate hops, each
 * holding the finished request.
 */
function deferredCleanup(kept?: object[]): () => Promise<void> {
  return async () => {
    const request = { headers: { a: '1', b: '2' }, body: new Array(64).fill(0).map((_, k) => ({ k })) }
    kept?.push({ id: request.headers.a })
    await Promise.resolve()
    setImmediate(() => setImmediate(() => void request.body.length))
  }
}

describe('snapshot confirmation', () => {
  test('work the subject deferred to setImmediate is run before each snapshot: not a leak', async () => {
    const findings = await confirmOnly(deferredCleanup())
    const confirms = findings.decision.filter((d) => d.stage === 'confirm')
    expect(findings.heapLeak, confirms.map((d) => d.note).join('\n')).toBe(false)
  }, 60_000)

  test('a subject with deferred cleanup that also keeps an object per call still leaks', async () => {
    const kept: object[] = []
    const findings = await confirmOnly(deferredCleanup(kept))
    expect(findings.heapLeak).toBe(true)
    expect(kept.length).toBeGreaterThan(400)
  }, 60_000)
})

describe('steppedTriple: step-shaped growth judged over all snapshots', () => {
  const point = (calls: number, userBytes: number) => ({ calls, userBytes, heap: 0, external: 0 })

  test('a table that doubled in two non-adjacent intervals gives the split between the steps', () => {
    // Snapshots of three escalations; the steps fell in B→C and D→E, never in both of a pair.
    const points = [point(0, 1e6), point(4000, 1e6), point(8000, 1.23e6), point(20000, 1.23e6), point(56000, 2.17e6)]
    const triple = steppedTriple(points, 4)
    expect(triple?.map((p) => p.calls)).toEqual([0, 8000, 56000])
  })

  test('one step, or growth below the threshold, gives none', () => {
    expect(steppedTriple([point(0, 1e6), point(4000, 1e6), point(8000, 1.5e6), point(20000, 1.5e6), point(56000, 1.5e6)], 4)).toBeUndefined()
    // 1000 B over 48000 calls is far below 4 B/call.
    expect(steppedTriple([point(0, 1e6), point(4000, 1e6), point(8000, 1e6 + 2048), point(20000, 1e6 + 2048), point(56000, 1e6 + 4096)], 4)).toBeUndefined()
    expect(steppedTriple([point(0, 0), point(1, 1e6), point(2, 2e6)], 4)).toBeUndefined()
  })
})
