// What the default `npm test` runs of the real-world workloads, and how a failing verdict is shown.
//
// The default suite is a subset chosen to stay within ~3 minutes on 2 cores (see
// bench/real-world/README.md for per-workload times); LEAKPROOF_REAL_WORLD=full runs every
// workload under Vitest. bench/real-world/run.mjs runs all of them repeatedly for rates.
import type { LeakReport } from '@leakproof/core'

export const fullSuite = process.env.LEAKPROOF_REAL_WORLD === 'full'

/** Clean workloads (by name prefix) in the default suite. */
const defaultClean = [
  'node:http Agent keep-alive',
  'express app',
  'fastify inject',
  'pino child logger',
  'ajv compile',
  'lru-cache at its bound',
]

/** Known leaks (by name prefix) in the default suite: both the leaking and the fixed version. */
const defaultLeaks = ['debug:', 'node-fetch:', 'express-form-data:']

export function inDefaultSuite(name: string): boolean {
  return fullSuite || defaultClean.some((p) => name.startsWith(p)) || defaultLeaks.some((p) => name.startsWith(p))
}

/** Everything needed to diagnose a wrong verdict from the test output alone. */
export function detail(report: LeakReport): string {
  const lines = [
    report.summary,
    `decision:`,
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
