import type { ResolvedOptions } from '../options.js'
import type { AllocationSite, LeakReport, RetainedType } from './types.js'
import { formatBytes } from './units.js'

export { formatBytes }

const perCall = (n: number) => (Math.abs(n) >= 10 ? Math.round(n) : Math.round(n * 100) / 100)

/**
 * The rows of a retained-types table: types with new objects per call. A count that would print
 * as 0 (a backing store reallocated larger: `(object elements)`, a Map's table) is not a row.
 */
export function countedTypes(types: readonly RetainedType[]): RetainedType[] {
  return types.filter((t) => perCall(t.countPerIteration) !== 0)
}

/** Types that grew in bytes without new objects (backing stores), shown on one line under the table. */
export function storeTypes(types: readonly RetainedType[]): RetainedType[] {
  return types.filter((t) => perCall(t.countPerIteration) === 0 && formatBytes(t.bytesPerIteration) !== '0 B')
}

/** `Growing in size without new objects: (object elements) 7.8 B/call, …`, or undefined. */
export function storesLine(types: readonly RetainedType[]): string | undefined {
  const stores = storeTypes(types)
  if (stores.length === 0) return undefined
  return `Growing in size without new objects (backing stores): ${stores
    .slice(0, 4)
    .map((t) => `${t.name} ${formatBytes(t.bytesPerIteration)}/call`)
    .join(', ')}${stores.length > 4 ? `, and ${stores.length - 4} more` : ''}`
}

/** The rows of an allocation-sites table: sites whose bytes per call do not print as 0 B. */
export function shownSites(sites: readonly AllocationSite[]): AllocationSite[] {
  return sites.filter((s) => formatBytes(s.bytesPerIteration) !== '0 B')
}

/**
 * A note under an allocation site that is the subject itself (usually its line in the test file):
 * V8 reports the function, not the statement, and counts what it inlined into the subject there.
 */
export function siteNote(site: AllocationSite): string | undefined {
  if (!site.subject) return undefined
  return (
    '(allocation inlined into the subject: V8 names functions, not statements, and counts what it inlined into the ' +
    "subject at the subject's own line; the allocating statement is in the subject or in a function it calls)"
  )
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)))
  return rows.map((r) => '  ' + r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '))
}

/**
 * DOM trees retained per call (jsdom, happy-dom), by their root's public interface, each counted
 * once with the nodes under it, and who holds them in DOM terms.
 */
export function domTreeLines(trees: readonly RetainedType[]): string[] {
  const anyDetached = trees.some((t) => t.dom!.detached)
  const lines = [`${anyDetached ? 'Detached DOM' : 'DOM'} trees retained (per call; each tree counted once with everything it holds):`]
  const rows = [['tree', 'count/call', 'bytes/call', 'alive']]
  for (const t of trees.slice(0, 6)) {
    rows.push([treeLabel(t.name, t.dom!.detached, t.dom!.nodes), String(perCall(t.countPerIteration)), formatBytes(t.bytesPerIteration), String(t.retainedCount)])
  }
  const body = table(rows)
  // Header row, then one row per tree, each followed by its holder.
  lines.push(body[0]!)
  trees.slice(0, 6).forEach((t, k) => {
    lines.push(body[k + 1]!)
    if (t.dom!.holder) lines.push(`      held by the ${t.dom!.holder}`)
  })
  return lines
}

/** `HTMLDivElement (detached, 10 nodes)` */
function treeLabel(name: string, detached: boolean, nodes: number): string {
  return `${name} (${detached ? 'detached' : 'in the document'}${nodes > 1 ? `, ${nodes} nodes` : ''})`
}

/** The failure message a user reads: what is retained, who holds it, where it was allocated. */
export function formatSummary(report: LeakReport, opts: ResolvedOptions): string {
  const lines: string[] = []
  const calls = `${report.iterations} measured calls after ${report.warmupIterations} warm-up calls`
  const timeout = report.decision.find((d) => d.stage === 'timeout')
  if (report.inconclusive) {
    const i = report.inconclusive
    lines.push(
      `Inconclusive: ${i.detail}, after ${i.calls} calls (${perCall(i.msPerCall)} ms per call). Not reported as a leak.`,
      `Give the check more time (the "timeout" option, now ${i.timeoutMs} ms) or make each call cheaper (a smaller input). ` +
        `An inconclusive check passes with a warning; { inconclusive: 'fail' } fails it instead.`,
    )
    return lines.join('\n')
  }
  if (!report.leaked) {
    lines.push(
      `No leak: retained growth ${formatBytes(report.bytesPerIteration)}/call (heap), ` +
        `${formatBytes(report.externalBytesPerIteration)}/call (external), below ${opts.threshold} B/call, over ${calls}.`,
    )
    const last = report.decision.filter((d) => d.stage !== 'timeout').pop()
    if (timeout) lines.push(`Decided when the time budget ran out: ${timeout.note}.`)
    if (last?.stage === 'confirm' && last.outcome === 'inconclusive') {
      lines.push(`The heap grew, but growth of retained user data was not confirmed within the iteration budget: ${last.note}.`)
    } else if (last?.stage === 'confirm') {
      lines.push(`Heap growth seen by the screen was not retained user data: ${last.note}.`)
    }
    return lines.join('\n')
  }
  const what: string[] = []
  if (report.kinds.includes('heap')) what.push(`${formatBytes(report.bytesPerIteration)}/call of JS heap`)
  if (report.kinds.includes('external')) what.push(`${formatBytes(report.externalBytesPerIteration)}/call of external memory (Buffers, ArrayBuffers, native)`)
  if (report.kinds.includes('resources')) what.push(`${report.resources.length} kind(s) of open handles`)
  if (report.kinds.includes('listeners')) what.push(`${report.listeners.length} growing listener list(s)`)
  lines.push(`Leak: the subject retained ${what.join(', ')} over ${calls}.`)
  const abort = report.decision.find((d) => d.stage === 'abort')
  if (abort) lines.push(`Measurement ${abort.note}.`)
  if (timeout) lines.push(`Decided when the time budget ran out: ${timeout.note}.`)

  const trees = report.retainedTypes.filter((t) => t.dom && perCall(t.countPerIteration) !== 0)
  const types = countedTypes(report.retainedTypes).filter((t) => !t.dom)
  const stores = storesLine(report.retainedTypes)
  if (trees.length) lines.push('', ...domTreeLines(trees))
  if (types.length) {
    lines.push('', 'Retained types (new objects still alive, per call):')
    const rows = [['type', 'count/call', 'bytes/call', 'alive']]
    for (const t of types.slice(0, 8)) {
      rows.push([t.name, String(perCall(t.countPerIteration)), formatBytes(t.bytesPerIteration), String(t.retainedCount)])
    }
    lines.push(...table(rows))
  }
  if (stores) lines.push(...(types.length ? [] : ['']), stores + '.')
  if (report.retainerPaths.length) {
    lines.push('', 'Retained by (shortest path from a GC root):')
    for (const p of report.retainerPaths.slice(0, 3)) {
      lines.push(`  ${p.text}${p.count > 1 ? `   (${p.count} objects)` : ''}`)
    }
  }
  const sites = shownSites(report.allocationSites)
  if (sites.length) {
    lines.push('', 'Allocated at:')
    for (const s of sites.slice(0, 3)) {
      lines.push(`  ${s.functionName || '(anonymous)'} (${s.file}:${s.line}:${s.column})  ${formatBytes(s.bytesPerIteration)}/call`)
      const note = siteNote(s)
      if (note) lines.push(`      ${note}`)
      if (s.library?.length) {
        const lib = s.library
        const shown = lib.length > 3 ? [lib[0]!, '…', lib[lib.length - 1]!] : lib
        for (const frame of shown) lines.push(frame === '…' ? `        …` : `      → ${frame}`)
      }
      for (const frame of s.stack.slice(0, 3)) lines.push(`      ← ${frame}`)
    }
  }
  if (report.resources.length) {
    lines.push('', 'Open handles created per call and never released:')
    for (const r of report.resources) {
      lines.push(`  ${r.type} +${perCall(r.countPerIteration)} per call (${r.retainedCount} open)`)
      if (r.stack) lines.push(...r.stack.split('\n').slice(0, 3).map((s) => `      ${s.trim()}`))
    }
  }
  if (report.listeners.length) {
    lines.push('', 'Listeners added and never removed:')
    for (const l of report.listeners) {
      lines.push(`  ${l.target} '${l.event}' +${perCall(l.countPerIteration)} per call (${l.retainedCount} attached)${l.path ? ` at ${l.path}` : ''}`)
    }
  }
  if (report.kinds.includes('heap') && !report.retainedTypes.length && !abort) {
    lines.push('', 'No single object type explains the growth; rerun with { snapshotDir } to inspect the heap snapshots.')
  }
  if (report.snapshots.length) lines.push('', `Heap snapshots: ${report.snapshots.join(', ')}`)
  return lines.join('\n')
}
