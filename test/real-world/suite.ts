// Test definitions shared by the real-world test files, which only pick a group: each file runs in
// its own Vitest worker process, so the heap one group leaves behind (a leaking version's retained
// requests, libraries loaded) does not slow or disturb another group's measurements.
//
// `npm test` runs a subset of these (DEFAULT_* below, about 2.5 minutes on 2 cores);
// `npm run test:real-world` (LEAKPROOF_REAL_WORLD_FULL=1) runs every workload under Vitest, and
// bench/real-world/run.mjs runs them all repeatedly for rates and timings
// (see bench/real-world/README.md).
import { describe, expect, test } from 'vitest'
import { measureLeak, type LeakReport } from '@leakproof/core'
import { clean, knownLeaks, versionOf, type WorkloadInstance } from './workloads.mjs'

export const fullSuite = process.env.LEAKPROOF_REAL_WORLD_FULL === '1'

/** Clean workloads (name prefixes) in the default suite. */
const DEFAULT_CLEAN = ['node:http Agent keep-alive', 'express app', 'fastify inject', 'pino child logger', 'ajv compile', 'lru-cache at its bound']
// Known leaks in the default suite: vitest.config.mts leaves the other files out of `npm test`.

/**
 * Wrong verdicts caused by engine problems reported to the engine owner and not fixed yet
 * (bench/real-world/README.md, "Engine problems"). Keyed by `<set>:<name prefix>`. A deterministic
 * wrong verdict is marked `fails` (the test passes while the engine is wrong, and fails once it is
 * fixed, so the marker gets removed); an intermittent one is skipped.
 */
const ENGINE_ISSUES: Record<string, { mode: 'fails' | 'skip'; issue: string }> = {}

function engineIssue(set: string, name: string) {
  for (const [key, value] of Object.entries(ENGINE_ISSUES)) {
    const [s, prefix] = key.split(/:(.*)/s) as [string, string]
    if (s === set && name.startsWith(prefix)) return value
  }
  return undefined
}

/** `test`, or the labelled marker for a known engine problem. */
function testFor(set: string, name: string, title: string, body: () => Promise<void>): void {
  const known = engineIssue(set, name)
  if (known?.mode === 'skip') test.skip(`${title} [ENGINE ISSUE, skipped: ${known.issue}]`, body)
  else if (known?.mode === 'fails') test.fails(`${title} [ENGINE ISSUE, expected to fail: ${known.issue}]`, body)
  else test(title, body)
}

/** Everything needed to diagnose a wrong verdict from the test output alone. */
export function detail(report: LeakReport): string {
  const lines = [
    report.summary,
    'decision:',
    ...report.decision.map((d) => `  ${d.stage} ${d.outcome} (${d.iterations} calls, ${d.bytesPerIteration} B/call): ${d.note}`),
    `samples (heap, B): ${report.samples.heapUsed.join(' ')}`,
    `sample calls: ${report.samples.iteration.join(' ')}`,
  ]
  if (report.retainedTypes.length > 0) {
    lines.push('retained types:')
    for (const t of report.retainedTypes.slice(0, 10)) {
      lines.push(`  ${t.name} (${t.nodeType}) ${t.countPerIteration.toFixed(2)}/call ${t.bytesPerIteration.toFixed(1)} B/call, ${t.retainedCount} alive`)
    }
  }
  for (const p of report.retainerPaths.slice(0, 3)) lines.push(`path (${p.count}): ${p.text.slice(0, 600)}`)
  return lines.join('\n')
}

async function verdict(make: () => Promise<WorkloadInstance>, expected: boolean): Promise<void> {
  const instance = await make()
  try {
    const report = await measureLeak(instance.run)
    expect(report.leaked, detail(report)).toBe(expected)
  } finally {
    await instance.cleanup?.()
  }
}

/** The clean workloads of one group: no leak at default options. */
export function cleanTests(group: 'http' | 'library'): void {
  const selected = clean.filter((w) => w.group === group && (fullSuite || DEFAULT_CLEAN.some((p) => w.name.startsWith(p))))
  describe(`real-world clean libraries (${group}): no leak at default options`, () => {
    for (const w of selected) {
      testFor('clean', w.name, `${w.library}: ${w.name}`, () => verdict(() => w.make(), false))
    }
  })
}

/**
 * One known leak: the fixed version must pass, then the leaking version must be reported as a leak
 * (fixed first: the leaking run leaves its retained memory in this process).
 */
export function knownLeakTests(pkg: string): void {
  const leak = knownLeaks.find((k) => k.package === pkg)
  if (!leak) throw new Error(`no known leak for ${pkg} in workloads.mjs`)
  describe(`real-world known leak: ${leak.name} (${leak.reference})`, () => {
    testFor('fixed', leak.name, `${pkg}@${versionOf(leak.fixed)} (fixed) passes`, () => verdict(() => leak.make('fixed'), false))
    testFor('leaky', leak.name, `${pkg}@${versionOf(leak.leaky)} is reported as a leak`, () => verdict(() => leak.make('leaky'), true))
  })
}
