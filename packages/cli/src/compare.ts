import type { LeakKind } from '@leakproof/core'
import type { Report, TestLeakRecord } from './validate.js'

/**
 * How a test compares with the baseline.
 * - `new`: leaks now; the baseline has no such test, or it did not leak there. Fails the check.
 * - `grown`: leaked in both, and grew beyond the tolerance or leaks in a new way. Fails the check.
 * - `known`: leaked in both, within the tolerance (or smaller). Passes.
 * - `fixed`: leaked in the baseline, clean now. Passes.
 * - `unverified`: leaked in the baseline; now an error or skipped, so not known to be fixed. Passes.
 * - `error`: the check failed now (and the baseline did not leak). Passes; the test run reports it.
 * - `removed`: in the baseline, not in the current report. Passes.
 * - `added`: a new test that does not leak. Passes.
 * - `clean`: clean (or skipped) in both. Passes.
 */
export type ChangeKind = 'new' | 'grown' | 'known' | 'fixed' | 'unverified' | 'error' | 'removed' | 'added' | 'clean'

export const failingKinds: ReadonlySet<ChangeKind> = new Set(['new', 'grown'])

export interface Change {
  kind: ChangeKind
  /** The current record (absent for `removed`). */
  current?: TestLeakRecord
  /** The matching baseline record (absent for new tests). */
  baseline?: TestLeakRecord
  /** Set when the baseline record was found under another file or name. */
  renamedFrom?: { file: string; name: string; by: 'line' | 'name' }
  /** Why, in words: `not in the baseline`, `heap 120 B/call, baseline 64 B/call (+87.5%, allowed +16 B)`. */
  reason: string
}

export interface Tolerance {
  /** Allowed growth as a percentage of the baseline bytes/call. */
  percent?: number
  /** Allowed growth in bytes/call. */
  bytes?: number
}

export interface CompareOptions {
  /** Default: 25%. With both set, a leak has grown when it exceeds both (the larger allowance). */
  tolerance?: Tolerance
  /** Match renamed / moved tests (same file and line, or same name in another file). Default true. */
  detectRenames?: boolean
}

export interface CompareResult {
  changes: Change[]
  counts: Record<ChangeKind, number>
  /** True when there is a new or grown leak. */
  failed: boolean
  tolerance: Required<Tolerance>
}

export const defaultTolerance = { percent: 25, bytes: 0 }

/** Parse `--tolerance`: `25%` or `25` (a percentage). Undefined for anything else. */
export function parsePercent(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(text)
  return m ? Number(m[1]) : undefined
}

/** Parse `--tolerance-bytes`: `64`, `64B`, `1.5KB`, `2 MB` (1 KB = 1024 B). */
export function parseBytes(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib)?\s*$/i.exec(text)
  if (!m) return undefined
  const unit = (m[2] ?? 'b').toLowerCase()
  const mult = unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 ** 2 : 1
  return Number(m[1]) * mult
}

const kindWords: Record<LeakKind, string> = {
  heap: 'JS heap',
  external: 'external memory',
  resources: 'open handles',
  listeners: 'listeners',
}

function fmtBytes(n: number): string {
  const r = Math.round(n * 10) / 10
  return `${r} B`
}

/** Records of one test (same file and name), in report order: several matcher calls share a test. */
interface Group {
  file: string
  name: string
  line?: number
  records: TestLeakRecord[]
}

function groups(records: TestLeakRecord[]): Map<string, Group> {
  const map = new Map<string, Group>()
  for (const r of records) {
    const k = JSON.stringify([r.file, r.name])
    const g = map.get(k)
    if (g) g.records.push(r)
    else map.set(k, { file: r.file, name: r.name, ...(r.line ? { line: r.line } : {}), records: [r] })
  }
  return map
}

function grewBeyond(
  what: string,
  now: number,
  before: number,
  tol: Required<Tolerance>,
): string | undefined {
  const allowed = Math.max((Math.abs(before) * tol.percent) / 100, tol.bytes)
  const delta = now - before
  if (delta <= allowed) return undefined
  const pct = before > 0 ? `+${Math.round((delta / before) * 1000) / 10}%, ` : ''
  return `${what} ${fmtBytes(now)}/call, baseline ${fmtBytes(before)}/call (${pct}allowed +${fmtBytes(allowed)})`
}

function classify(current: TestLeakRecord, baseline: TestLeakRecord | undefined, tol: Required<Tolerance>): Pick<Change, 'kind' | 'reason'> {
  const was = baseline?.verdict
  if (current.verdict === 'leak') {
    if (!baseline) return { kind: 'new', reason: 'not in the baseline' }
    if (was !== 'leak') return { kind: 'new', reason: `was ${was} in the baseline` }
    const now = current.report
    const then = baseline.report
    if (!now || !then) return { kind: 'known', reason: 'leaked in the baseline too (no sizes to compare)' }
    const newKinds = now.kinds.filter((k) => !then.kinds.includes(k))
    const reasons: string[] = []
    if (newKinds.length) reasons.push(`now also leaks ${newKinds.map((k) => kindWords[k]).join(' and ')}`)
    if (now.kinds.includes('heap')) {
      const g = grewBeyond('heap', now.bytesPerIteration, then.bytesPerIteration, tol)
      if (g) reasons.push(g)
    }
    if (now.kinds.includes('external')) {
      const g = grewBeyond('external', now.externalBytesPerIteration, then.externalBytesPerIteration, tol)
      if (g) reasons.push(g)
    }
    if (reasons.length) return { kind: 'grown', reason: reasons.join('; ') }
    const diff = now.bytesPerIteration - then.bytesPerIteration
    return {
      kind: 'known',
      reason: `leaked in the baseline too: heap ${fmtBytes(now.bytesPerIteration)}/call, baseline ${fmtBytes(then.bytesPerIteration)}/call (${diff >= 0 ? '+' : '−'}${fmtBytes(Math.abs(diff))})`,
    }
  }
  if (was === 'leak') {
    if (current.verdict === 'clean') return { kind: 'fixed', reason: 'leaked in the baseline, clean now' }
    const now = current.verdict === 'error' ? 'the check failed now' : current.verdict === 'inconclusive' ? 'inconclusive now (out of time)' : 'skipped now'
    return { kind: 'unverified', reason: `leaked in the baseline; ${now}, so not known to be fixed` }
  }
  if (current.verdict === 'error') return { kind: 'error', reason: `the check failed: ${(current.error ?? '').split('\n')[0]}` }
  if (!baseline) return { kind: 'added', reason: `new test, ${current.verdict}` }
  return {
    kind: 'clean',
    reason: current.verdict === 'skipped' ? 'skipped' : current.verdict === 'inconclusive' ? 'inconclusive now (out of time), no leak in the baseline' : 'clean in both',
  }
}

/**
 * Compare a current run report with a baseline (typically from the main branch). Tests are
 * matched by file and name (several records of one test in order); with rename detection,
 * unmatched tests are then paired by file and line (renamed in place), then by a name unique
 * to one file on each side (moved to another file).
 */
export function compareReports(baseline: Report, current: Report, opts: CompareOptions = {}): CompareResult {
  const tol: Required<Tolerance> =
    opts.tolerance && (opts.tolerance.percent !== undefined || opts.tolerance.bytes !== undefined)
      ? { percent: opts.tolerance.percent ?? 0, bytes: opts.tolerance.bytes ?? 0 }
      : { ...defaultTolerance }
  const base = groups(baseline.tests)
  const cur = groups(current.tests)
  const pairs: { c: Group; b?: Group; renamedFrom?: Change['renamedFrom'] }[] = []
  const unmatchedBase = new Map(base)
  const unmatchedCur: [string, Group][] = []
  for (const [k, g] of cur) {
    const b = base.get(k)
    if (b) {
      pairs.push({ c: g, b })
      unmatchedBase.delete(k)
    } else unmatchedCur.push([k, g])
  }
  const stillCur: Group[] = []
  if (opts.detectRenames !== false && unmatchedCur.length && unmatchedBase.size) {
    const unique = <T>(items: T[], key: (t: T) => string) => {
      const count = new Map<string, number>()
      for (const t of items) count.set(key(t), (count.get(key(t)) ?? 0) + 1)
      return (t: T) => count.get(key(t)) === 1
    }
    // 1. Same file, same line: renamed in place.
    const byLine = (g: Group) => (g.line ? JSON.stringify([g.file, g.line]) : '')
    let curLeft = unmatchedCur.map(([, g]) => g)
    let baseLeft = [...unmatchedBase.values()]
    const curLineUnique = unique(curLeft, byLine)
    const baseLineUnique = unique(baseLeft, byLine)
    const baseByLine = new Map(baseLeft.filter((g) => g.line && baseLineUnique(g)).map((g) => [byLine(g), g]))
    const matched = new Set<Group>()
    for (const g of curLeft) {
      if (!g.line || !curLineUnique(g)) continue
      const b = baseByLine.get(byLine(g))
      if (!b) continue
      pairs.push({ c: g, b, renamedFrom: { file: b.file, name: b.name, by: 'line' } })
      matched.add(g).add(b)
    }
    curLeft = curLeft.filter((g) => !matched.has(g))
    baseLeft = baseLeft.filter((g) => !matched.has(g))
    // 2. Same name, another file: moved.
    const curNameUnique = unique(curLeft, (g) => g.name)
    const baseNameUnique = unique(baseLeft, (g) => g.name)
    const baseByName = new Map(baseLeft.filter(baseNameUnique).map((g) => [g.name, g]))
    for (const g of curLeft) {
      if (!curNameUnique(g)) continue
      const b = baseByName.get(g.name)
      if (!b) continue
      pairs.push({ c: g, b, renamedFrom: { file: b.file, name: b.name, by: 'name' } })
      matched.add(g).add(b)
    }
    for (const g of curLeft) if (!matched.has(g)) stillCur.push(g)
    for (const [k, b] of unmatchedBase) if (matched.has(b)) unmatchedBase.delete(k)
  } else {
    stillCur.push(...unmatchedCur.map(([, g]) => g))
  }
  for (const g of stillCur) pairs.push({ c: g })

  // Keep the current report's order.
  const order = new Map(current.tests.map((t, i) => [t, i]))
  pairs.sort((a, b) => order.get(a.c.records[0]!)! - order.get(b.c.records[0]!)!)

  const changes: Change[] = []
  for (const p of pairs) {
    p.c.records.forEach((r, i) => {
      const b = p.b?.records[i]
      const { kind, reason } = classify(r, b, tol)
      changes.push({ kind, current: r, ...(b ? { baseline: b } : {}), ...(b && p.renamedFrom ? { renamedFrom: p.renamedFrom } : {}), reason })
    })
    // Baseline records of this test beyond the current ones (a matcher call was removed).
    for (const b of p.b?.records.slice(p.c.records.length) ?? []) {
      changes.push({ kind: 'removed', baseline: b, reason: b.verdict === 'leak' ? 'was leaking in the baseline' : `was ${b.verdict} in the baseline` })
    }
  }
  for (const b of unmatchedBase.values()) {
    for (const r of b.records) {
      changes.push({ kind: 'removed', baseline: r, reason: r.verdict === 'leak' ? 'was leaking in the baseline' : `was ${r.verdict} in the baseline` })
    }
  }
  const counts = { new: 0, grown: 0, known: 0, fixed: 0, unverified: 0, error: 0, removed: 0, added: 0, clean: 0 }
  for (const c of changes) counts[c.kind]++
  return { changes, counts, failed: counts.new + counts.grown > 0, tolerance: tol }
}
