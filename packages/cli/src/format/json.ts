import type { Report } from '../validate.js'
import { shownSites } from '../core.js'
import { countVerdicts, pasteable, siteText, topClue, type Counts, type PathOptions } from './common.js'

/** `leakproof report --format json`: a compact, stable summary for scripts (not the full report). */
export interface JsonSummary {
  tool: 'leakproof'
  kind: 'summary'
  schemaVersion: 1
  createdAt: string
  run: Report['run']
  totals: Counts & { leakedBytesPerIteration: number; leakedExternalBytesPerIteration: number }
  leaks: {
    file: string
    name: string
    line?: number
    kinds: string[]
    bytesPerIteration: number
    externalBytesPerIteration: number
    topRetained?: string
    retainedBy?: string
    allocatedAt?: string
  }[]
  errors: { file: string; name: string; line?: number; error: string }[]
  /** Checks that ran out of time before the evidence decided (not leaks). */
  inconclusive: {
    file: string
    name: string
    line?: number
    stage?: string
    detail?: string
    calls?: number
    msPerCall?: number
    timeoutMs?: number
  }[]
}

export function jsonSummary(input: Report, opts: PathOptions = {}): JsonSummary {
  const report = pasteable(input, opts)
  const leaks = report.tests.filter((t) => t.verdict === 'leak')
  const sum = (f: (t: (typeof leaks)[number]) => number) => Math.round(leaks.reduce((s, t) => s + Math.max(0, f(t)), 0) * 10) / 10
  return {
    tool: 'leakproof',
    kind: 'summary',
    schemaVersion: 1,
    createdAt: report.createdAt,
    run: report.run,
    totals: {
      ...countVerdicts(report.tests),
      leakedBytesPerIteration: sum((t) => t.report?.bytesPerIteration ?? 0),
      leakedExternalBytesPerIteration: sum((t) => t.report?.externalBytesPerIteration ?? 0),
    },
    leaks: leaks.map((t) => {
      const r = t.report
      const clue = topClue(r)
      const site = r ? shownSites(r.allocationSites)[0] : undefined
      return {
        file: t.file,
        name: t.name,
        ...(t.line ? { line: t.line } : {}),
        kinds: r?.kinds ?? [],
        bytesPerIteration: r?.bytesPerIteration ?? 0,
        externalBytesPerIteration: r?.externalBytesPerIteration ?? 0,
        ...(clue ? { topRetained: clue } : {}),
        ...(r?.retainerPaths[0] ? { retainedBy: r.retainerPaths[0].text } : {}),
        ...(site ? { allocatedAt: siteText(site) } : {}),
      }
    }),
    errors: report.tests
      .filter((t) => t.verdict === 'error')
      .map((t) => ({ file: t.file, name: t.name, ...(t.line ? { line: t.line } : {}), error: t.error ?? 'the leak check failed' })),
    inconclusive: report.tests
      .filter((t) => t.verdict === 'inconclusive')
      .map((t) => {
        const i = t.report?.inconclusive
        return {
          file: t.file,
          name: t.name,
          ...(t.line ? { line: t.line } : {}),
          ...(i ? { stage: i.stage, detail: i.detail, calls: i.calls, msPerCall: i.msPerCall, timeoutMs: i.timeoutMs } : {}),
        }
      }),
  }
}

export function formatJson(report: Report, opts: PathOptions = {}): string {
  return JSON.stringify(jsonSummary(report, opts), null, 2) + '\n'
}
