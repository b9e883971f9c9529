// A leak report with every field filled in, for tests of what reads reports.
import type { LeakReport } from '../../src/report/types.js'

export function leakReport(parts: Partial<LeakReport>): LeakReport {
  return {
    leaked: true,
    verdict: 'leak',
    kinds: ['heap'],
    iterations: 400,
    warmupIterations: 40,
    bytesPerIteration: 120,
    externalBytesPerIteration: 0,
    samples: { iteration: [], heapUsed: [], external: [], arrayBuffers: [] },
    retainedTypes: [],
    retainerPaths: [],
    allocationSites: [],
    resources: [],
    listeners: [],
    gc: { forced: 0, minor: 0, major: 0, incremental: 0, weakCallbacks: 0, gcTimeMs: 0 },
    decision: [],
    snapshots: [],
    durationMs: 1,
    summary: '',
    runtime: { node: 'v20', v8: '11', gc: 'expose-gc' },
    ...parts,
  }
}
