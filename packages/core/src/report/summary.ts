import type { ResolvedOptions } from '../options.js'
import type { LeakReport } from './types.js'

/** Human-readable byte count: 68 B, 12.4 KB, 3.1 MB. */
export function formatBytes(bytes: number): string {
  const abs = Math.abs(bytes)
  if (abs < 1024) return `${Math.round(bytes * 10) / 10} B`
  if (abs < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`
  if (abs < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`
}

const perCall = (n: number) => (Math.abs(n) >= 10 ? Math.round(n) : Math.round(n * 100) / 100)

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)))
  return rows.map((r) => '  ' + r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '))
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

  if (report.retainedTypes.length) {
    lines.push('', 'Retained types (new objects still alive, per call):')
    const rows = [['type', 'count/call', 'bytes/call', 'alive']]
    for (const t of report.retainedTypes.slice(0, 8)) {
      rows.push([t.name, String(perCall(t.countPerIteration)), formatBytes(t.bytesPerIteration), String(t.retainedCount)])
    }
    lines.push(...table(rows))
  }
  if (report.retainerPaths.length) {
    lines.push('', 'Retained by (shortest path from a GC root):')
    for (const p of report.retainerPaths.slice(0, 3)) {
      lines.push(`  ${p.text}${p.count > 1 ? `   (${p.count} objects)` : ''}`)
    }
  }
  if (report.allocationSites.length) {
    lines.push('', 'Allocated at:')
    for (const s of report.allocationSites.slice(0, 3)) {
      lines.push(`  ${s.functionName || '(anonymous)'} (${s.file}:${s.line}:${s.column})  ${formatBytes(s.bytesPerIteration)}/call`)
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
