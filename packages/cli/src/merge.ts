import type { TestVerdict } from '@leakproof/core'
import { supportedSchemaVersion, type Report, type ShardSource, type TestLeakRecord } from './validate.js'

export interface MergeInput {
  /** How the input is named in warnings and in `run.shards[].source` (the path given). */
  source: string
  report: Report
}

export interface MergeResult {
  report: Report
  /** Things the user should know (duplicates, missing shards); printed on stderr. */
  warnings: string[]
}

const severity: Record<TestVerdict, number> = { leak: 4, error: 3, inconclusive: 2, clean: 1, skipped: 0 }

const keyOf = (r: TestLeakRecord) => JSON.stringify([r.file, r.name])
const label = (r: TestLeakRecord) => `${r.file} > ${r.name}`

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  )
}

function time(iso: string): number {
  const t = Date.parse(iso)
  return Number.isNaN(t) ? -Infinity : t
}

function distinct(values: string[]): string {
  return [...new Set(values.filter((v) => v !== ''))].join(', ')
}

function checkShards(inputs: MergeInput[], warnings: string[]): void {
  const parsed = inputs
    .map((i) => ({ source: i.source, m: /^(\d+)\/(\d+)$/.exec(i.report.run.shard ?? '') }))
    .filter((x) => x.m)
    .map((x) => ({ source: x.source, index: Number(x.m![1]), count: Number(x.m![2]) }))
  if (parsed.length === 0) return
  const counts = new Set(parsed.map((p) => p.count))
  if (counts.size > 1) {
    warnings.push(`the inputs come from runs split into different shard counts (${[...counts].sort((a, b) => a - b).join(', ')}); they may not belong to the same run`)
    return
  }
  const count = parsed[0]!.count
  const seen = new Map<number, string[]>()
  for (const p of parsed) seen.set(p.index, [...(seen.get(p.index) ?? []), p.source])
  for (const [index, sources] of [...seen].sort((a, b) => a[0] - b[0])) {
    if (sources.length > 1) warnings.push(`shard ${index}/${count} appears ${sources.length} times (${sources.join(', ')})`)
  }
  const missing: string[] = []
  for (let i = 1; i <= count; i++) if (!seen.has(i)) missing.push(`${i}/${count}`)
  if (missing.length && parsed.length === inputs.length) {
    warnings.push(
      `shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing: the merged report covers ` +
        `${count - missing.length} of ${count} shards (did a shard job fail or not upload its report?)`,
    )
  }
}

/**
 * Merge shard reports into one. Records are sorted by test file, then line (records without a
 * line last), then input order. A test (same file and name) found in more than one input is kept from one
 * input only: the one with the most severe verdict (leak, error, inconclusive, clean, skipped), else the first;
 * records repeated inside one input (several matcher calls in one test) are all kept. Run metadata:
 * framework if all agree (else `other`), distinct versions / platforms comma-separated, the latest
 * createdAt, options of the first input that has any, and `run.shards` listing every input. The
 * schema version is the newest of the inputs'.
 */
export function mergeReports(inputs: MergeInput[]): MergeResult {
  if (inputs.length === 0) throw new Error('mergeReports needs at least one report')
  const warnings: string[] = []

  // For each test key: which input holds it, and the records it has there.
  const holders = new Map<string, Map<number, TestLeakRecord[]>>()
  inputs.forEach((input, i) => {
    for (const r of input.report.tests) {
      const k = keyOf(r)
      let byInput = holders.get(k)
      if (!byInput) holders.set(k, (byInput = new Map()))
      const list = byInput.get(i) ?? []
      list.push(r)
      byInput.set(i, list)
    }
  })
  const keepFrom = new Map<string, number>()
  for (const [k, byInput] of holders) {
    const entries = [...byInput]
    let best = entries[0]!
    const worst = (rs: TestLeakRecord[]) => Math.max(...rs.map((r) => severity[r.verdict]))
    for (const e of entries.slice(1)) if (worst(e[1]) > worst(best[1])) best = e
    keepFrom.set(k, best[0])
    if (entries.length > 1) {
      const where = entries.map(([i, rs]) => `${inputs[i]!.source} (${[...new Set(rs.map((r) => r.verdict))].join('/')})`)
      warnings.push(
        `"${label(best[1][0]!)}" is in ${entries.length} reports: ${where.join(', ')}; ` +
          `keeping the one from ${inputs[best[0]]!.source}`,
      )
    }
  }

  const kept: { r: TestLeakRecord; order: number }[] = []
  const perInput = inputs.map(() => 0)
  let order = 0
  inputs.forEach((input, i) => {
    for (const r of input.report.tests) {
      if (keepFrom.get(keyOf(r)) !== i) continue
      kept.push({ r, order: order++ })
      perInput[i]!++
    }
  })
  // Group by file, then by line (records without one last), then input order: the result does
  // not depend on the order the shards are given in (test runners shard by file).
  const line = (r: TestLeakRecord) => r.line ?? Number.MAX_SAFE_INTEGER
  kept.sort((a, b) => (a.r.file < b.r.file ? -1 : a.r.file > b.r.file ? 1 : line(a.r) - line(b.r) || a.order - b.order))

  checkShards(inputs, warnings)

  const runs = inputs.map((i) => i.report.run)
  const frameworks = new Set(runs.map((r) => r.framework))
  if (frameworks.size > 1) warnings.push(`the reports come from different test frameworks (${[...frameworks].join(', ')}); framework set to "other"`)
  const withOptions = inputs.filter((i) => i.report.run.options !== undefined)
  const options = withOptions[0]?.report.run.options
  const differing = withOptions.filter((i) => stableJson(i.report.run.options) !== stableJson(options))
  if (differing.length) {
    warnings.push(
      `${differing.map((i) => i.source).join(', ')} ran with different leak options than ${withOptions[0]!.source}; ` +
        `the merged report keeps those of ${withOptions[0]!.source}`,
    )
  }

  const shards: ShardSource[] = inputs.map((input, i) => {
    const own = input.report.run.shard ?? distinct((input.report.run.shards ?? []).map((s) => s.shard ?? ''))
    return {
      source: input.source,
      ...(own ? { shard: own } : {}),
      createdAt: input.report.createdAt,
      tests: perInput[i]!,
    }
  })
  const createdAt = inputs.map((i) => i.report.createdAt).reduce((a, b) => (time(b) > time(a) ? b : a))

  const report: Report = {
    // The newest version of the inputs: merging version-1 reports gives a version-1 report.
    schemaVersion: inputs.some((i) => i.report.schemaVersion === supportedSchemaVersion) ? supportedSchemaVersion : 1,
    tool: 'leakproof',
    createdAt,
    run: {
      framework: frameworks.size === 1 ? runs[0]!.framework : 'other',
      frameworkVersion: distinct(runs.map((r) => r.frameworkVersion)),
      node: distinct(runs.map((r) => r.node)),
      platform: distinct(runs.map((r) => r.platform)),
      ...(options !== undefined ? { options } : {}),
      shards,
    },
    tests: kept.map((k) => k.r),
  }
  return { report, warnings }
}
