import { chmod, copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import v8 from 'node:v8'
import { analyzeSnapshots } from '../explain/three-snapshots.js'
import { startAllocationSampling } from '../explain/allocation-sites.js'
import { cacheScriptLineEnds } from '../heap/script-lines.js'
import type { ResolvedOptions } from '../options.js'
import { confirm, minIntervalGrowth, type SnapshotPoint } from '../verdict/confirm.js'
import { drainImmediates } from '../gc/settle.js'
import { callRepeatedly, type CallState } from './call-subject.js'
import type { Findings } from './findings.js'
import { drain, readHeap } from './heap-reading.js'

export interface ConfirmStageInput {
  state: CallState
  opts: ResolvedOptions
  findings: Findings
  settle: () => Promise<void>
  perCallMs: number
  /** Calls the screening pass made. */
  screenCalls: number
  startedAt: number
}

/** Growth an interval should show at the screened rate, so noise of a few KB cannot decide. */
const targetIntervalGrowth = 64 * 1024
const maxIntervalGrowth = 4 * 1024 * 1024
const minIntervalCalls = 50
const maxIntervalCalls = 4000
/** Wall time one interval of calls may take; slow subjects get fewer calls per interval. */
const intervalTimeBudgetMs = 1500
/** Intervals after the first two, each three times longer, before giving up as inconclusive. */
const maxEscalations = 2

interface Point extends SnapshotPoint {
  file: string
}

/**
 * Object-level confirmation of a heap-slope suspicion: three heap snapshots (A, then N calls, B,
 * then N calls, C). Snapshot files are parsed only after C is written, so parsing does not pollute
 * the heap being measured. Ambiguous results escalate with longer intervals.
 */
export async function confirmWithSnapshots(input: ConfirmStageInput): Promise<void> {
  const { state, opts, findings } = input
  const dir = await mkdtemp(join(tmpdir(), 'leakproof-'))
  try {
    const points: Point[] = []
    const snapshot = async (label: string): Promise<Point> => {
      await drainImmediates()
      await drain(input.settle)
      const { heap, external } = readHeap()
      const file = v8.writeHeapSnapshot(join(dir, `${points.length + 1}-${label}.heapsnapshot`))
      await chmod(file, 0o600)
      const point: Point = { calls: findings.measured, userBytes: 0, heap, external, file }
      points.push(point)
      return point
    }
    const rate = Math.max(findings.screen!.heapSlope, findings.screen!.externalSlope, input.opts.threshold)
    let calls = intervalCalls(rate, input)
    // Once, before the baseline: priming again between snapshots lets the debugger's own
    // allocations land between A and C (a small leak test then failed to confirm, measured).
    cacheScriptLineEnds()
    await snapshot('baseline')
    for (const label of ['target', 'final']) {
      findings.measured += await callRepeatedly(state, calls)
      await snapshot(label)
    }
    const judge = async (triple: [Point, Point, Point]) => {
      const analysis = await analyzeSnapshots({
        files: [triple[0].file, triple[1].file, triple[2].file],
        callsBetween: [triple[1].calls - triple[0].calls, triple[2].calls - triple[1].calls],
        showStrings: opts.showStrings,
        ignoreTypes: opts.ignore.types,
        explain: opts.explain,
      })
      triple.forEach((p, i) => (p.userBytes = analysis.userBytes[i]!))
      const screen = findings.screen!
      const result = confirm(triple, { types: analysis.growingTypes, bytesPerCall: analysis.evidenceBytesPerIteration }, opts.threshold, { heap: screen.heapSuspect, external: screen.externalSuspect })
      return { analysis, result, leak: result.heap === 'leak' || result.external === 'leak' }
    }
    let escalations = 0
    for (;;) {
      let last = points.slice(-3) as [Point, Point, Point]
      let { analysis, result, leak } = await judge(last)
      const budgetLeft = opts.maxIterations - state.calls
      const canEscalate = escalations < maxEscalations && budgetLeft >= minIntervalCalls
      if (!leak && !canEscalate && result.heap === 'unsure') {
        // Step-shaped growth (a hash table doubling) can miss one of every pair of adjacent
        // intervals however long they get. Judge once more over the widest split of all the
        // snapshots taken in which both parts grew.
        const wide = steppedTriple(points, opts.threshold)
        const judged = wide && (await judge(wide))
        if (wide && judged && judged.leak) {
          ;({ analysis, result, leak } = judged)
          result.note += '; steps in separate intervals, judged over the widest split of all snapshots'
          last = wide
        }
      }
      findings.lastConfirm = result
      const outcomes = [result.heap, result.external]
      const open = !leak && (outcomes.includes('unsure') || outcomes.includes('paused'))
      // Out of budget: 'paused' (nothing grew) is clean, 'unsure' is inconclusive; neither is a leak.
      const outcome = leak ? 'leak' : open && canEscalate ? 'suspect' : outcomes.includes('unsure') ? 'inconclusive' : 'clean'
      findings.decision.push({
        stage: 'confirm',
        iterations: last[2].calls - last[0].calls,
        bytesPerIteration: result.heapRate,
        externalBytesPerIteration: result.externalRate,
        outcome,
        note:
          result.note +
          (outcome === 'suspect' ? '; ambiguous, escalating with a longer interval' : '') +
          (outcome === 'inconclusive' ? '; still ambiguous at the iteration budget: not reported as a leak' : ''),
      })
      // User data includes ArrayBuffer backing stores, which `external` already counts.
      findings.heapRate = result.externalRate > 0 ? Math.max(0, result.heapRate - result.externalRate) : result.heapRate
      findings.externalRate = result.externalRate
      if (outcome !== 'suspect') {
        findings.heapLeak = result.heap === 'leak'
        findings.externalLeak = result.external === 'leak'
        if (leak) {
          findings.retainedTypes = analysis.retainedTypes
          findings.retainerPaths = analysis.retainerPaths
          if (opts.explain) await sampleAllocationSites(input, calls)
          if (opts.snapshotDir) findings.snapshots = await keepSnapshots(last, opts.snapshotDir)
        }
        return
      }
      escalations++
      const byTime = input.perCallMs > 0 ? Math.floor((3 * intervalTimeBudgetMs) / input.perCallMs) : Infinity
      calls = Math.max(minIntervalCalls, Math.min(calls * 3, budgetLeft, byTime))
      findings.measured += await callRepeatedly(state, calls)
      await snapshot('final')
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/**
 * Of all snapshot points, the first, the last and the split between them at which both parts
 * grew in user data by at least the threshold per call (and `minIntervalGrowth`), the split with
 * the steadier growth preferred; undefined when no split qualifies.
 */
export function steppedTriple<P extends SnapshotPoint>(points: P[], threshold: number): [P, P, P] | undefined {
  if (points.length < 4) return undefined
  const first = points[0]!
  const last = points[points.length - 1]!
  let best: P | undefined
  let bestRate = 0
  for (const mid of points.slice(1, -1)) {
    const rates = [
      [mid.userBytes - first.userBytes, mid.calls - first.calls],
      [last.userBytes - mid.userBytes, last.calls - mid.calls],
    ].map(([grew, calls]) => (grew! >= minIntervalGrowth && grew! >= threshold * calls! ? grew! / calls! : 0))
    const rate = Math.min(...rates)
    if (rate > bestRate) {
      bestRate = rate
      best = mid
    }
  }
  return best ? [first, best, last] : undefined
}

function intervalCalls(rate: number, input: ConfirmStageInput): number {
  // At least as long as the screening window: a slope inflated by a noise jump must not shrink
  // the interval until real growth of a few bytes per call drowns in it. Fast, large leaks are
  // capped so a snapshot does not grow by more than a few MB per interval.
  const byGrowth = Math.max(Math.ceil(targetIntervalGrowth / rate), Math.min(input.screenCalls, Math.ceil(maxIntervalGrowth / rate)))
  const byTime = input.perCallMs > 0 ? Math.floor(intervalTimeBudgetMs / input.perCallMs) : maxIntervalCalls
  const byBudget = Math.floor((input.opts.maxIterations - input.state.calls) / 2)
  const calls = Math.min(maxIntervalCalls, byGrowth, Math.max(minIntervalCalls, byTime), byBudget)
  return Math.max(Math.min(minIntervalCalls, byBudget), calls)
}

/** Live allocations sampled over one more interval: what the leaked objects' allocation sites are. */
async function sampleAllocationSites(input: ConfirmStageInput, calls: number): Promise<void> {
  const { state, findings, opts } = input
  const n = Math.min(calls, Math.max(0, opts.maxIterations - state.calls))
  if (n === 0) return
  await input.settle()
  const sampling = await startAllocationSampling()
  // Called through a wrapper V8 cannot inline: an inlined subject's allocations would be
  // attributed to the engine's own loop.
  findings.measured += await callRepeatedly(state, n, sampling.wrap(state.subject))
  await input.settle()
  findings.allocationSites = await sampling.stop(n, opts.ignore.sites)
}

/** Copy the deciding snapshots (mode 0600), named for DevTools and memlab's find-leaks. */
async function keepSnapshots(points: Point[], dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true })
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const names = ['baseline', 'target', 'final']
  const kept: string[] = []
  for (const [i, point] of points.entries()) {
    const target = join(dir, `leakproof-${stamp}-${i + 1}-${names[i]}.heapsnapshot`)
    await copyFile(point.file, target)
    await chmod(target, 0o600)
    kept.push(target)
  }
  return kept
}
