import type { ResolvedOptions } from '../options.js'
import type { GcSource } from '../gc/force-gc.js'
import type { Findings } from '../run/findings.js'
import { relativizeReport } from './paths.js'
import { formatSummary } from './summary.js'
import type { GcStats, InconclusiveDetail, LeakKind, LeakReport } from './types.js'

// What the stages found is the run's (run/findings.ts); named here too, for measure.ts.
export type { Findings }

const round = (n: number) => Math.round(n * 10) / 10

export function buildReport(
  f: Findings,
  opts: ResolvedOptions,
  gc: GcStats,
  gcSource: GcSource,
  durationMs: number,
  inconclusive?: InconclusiveDetail,
): LeakReport {
  const kinds: LeakKind[] = []
  if (f.heapLeak) kinds.push('heap')
  if (f.externalLeak) kinds.push('external')
  if (f.resources?.length) kinds.push('resources')
  if (f.listeners?.length) kinds.push('listeners')
  const leaked = kinds.length > 0
  const raw: LeakReport = {
    leaked,
    verdict: leaked ? 'leak' : inconclusive ? 'inconclusive' : 'clean',
    ...(inconclusive && !leaked ? { inconclusive } : {}),
    kinds,
    iterations: f.measured,
    warmupIterations: f.warmup,
    bytesPerIteration: round(f.heapRate ?? 0),
    externalBytesPerIteration: round(f.externalRate ?? 0),
    samples: f.series?.toReport() ?? { iteration: [], heapUsed: [], external: [], arrayBuffers: [] },
    retainedTypes: f.heapLeak || f.externalLeak ? (f.retainedTypes ?? []) : [],
    retainerPaths: f.heapLeak || f.externalLeak ? (f.retainerPaths ?? []) : [],
    allocationSites: f.allocationSites ?? [],
    resources: f.resources ?? [],
    listeners: f.listeners ?? [],
    gc,
    decision: f.decision.map((d) => ({
      ...d,
      bytesPerIteration: round(d.bytesPerIteration),
      ...(d.externalBytesPerIteration === undefined ? {} : { externalBytesPerIteration: round(d.externalBytesPerIteration) }),
    })),
    snapshots: f.snapshots ?? [],
    durationMs: Math.round(durationMs),
    summary: '',
    runtime: { node: process.version, v8: process.versions.v8, gc: gcSource },
  }
  // Files relative to the project root and leakproof's frames cut, before the summary is written:
  // the failure message, the LeakError and the run report all name paths a user can paste.
  const report = relativizeReport(raw)
  report.summary = formatSummary(report, opts)
  return report
}
