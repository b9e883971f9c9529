import type { ResolvedOptions } from '../options.js'
import type { GcSource } from '../gc/force-gc.js'
import type { SampleSeries } from '../run/series.js'
import type { ConfirmResult } from '../verdict/confirm.js'
import type { ScreenResult } from '../verdict/screen.js'
import { formatSummary } from './summary.js'
import type {
  AllocationSite,
  DecisionStep,
  GcStats,
  InconclusiveDetail,
  LeakKind,
  LeakReport,
  ListenerLeak,
  ResourceLeak,
  RetainedType,
  RetainerPath,
} from './types.js'

/** What the stages found, filled in as the measurement proceeds. */
export interface Findings {
  /** The stage running: what a check that runs out of time had reached. */
  stage: 'warmup' | 'screen' | 'confirm'
  decision: DecisionStep[]
  warmup: number
  measured: number
  series?: SampleSeries
  screen?: ScreenResult
  /** The heap snapshots' latest judgement, escalating or final. */
  lastConfirm?: ConfirmResult
  heapLeak?: boolean
  externalLeak?: boolean
  heapRate?: number
  externalRate?: number
  retainedTypes?: RetainedType[]
  retainerPaths?: RetainerPath[]
  allocationSites?: AllocationSite[]
  resources?: ResourceLeak[]
  listeners?: ListenerLeak[]
  snapshots?: string[]
}

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
  const report: LeakReport = {
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
  report.summary = formatSummary(report, opts)
  return report
}
