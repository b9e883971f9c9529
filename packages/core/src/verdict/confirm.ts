/** Memory at one heap snapshot, taken after a settle. */
export interface SnapshotPoint {
  /** Measured calls made when the snapshot was taken. */
  calls: number
  /** Self bytes of user data (compiled code, feedback, shapes and other V8 internals excluded). */
  userBytes: number
  external: number
}

export type IntervalOutcome = 'leak' | 'clean' | 'unsure'

export interface ConfirmResult {
  heap: IntervalOutcome
  external: IntervalOutcome
  /** User-data growth per call over the two intervals judged. */
  heapRate: number
  externalRate: number
  note: string
}

/** Below this, growth over an interval is noise whatever the rate (a single late allocation). */
export const minIntervalGrowth = 1024

function judge(growth: [number, number], calls: [number, number], threshold: number, corroborated: boolean): IntervalOutcome {
  const grows = (i: 0 | 1) => growth[i] / calls[i] >= threshold && growth[i] >= minIntervalGrowth
  if (grows(0) && grows(1)) return corroborated ? 'leak' : 'unsure'
  if (!grows(1)) return grows(0) ? 'unsure' : 'clean'
  return 'unsure'
}

/**
 * Judge the last three snapshot points. A leak needs growth of user data in both intervals, at
 * least `threshold` bytes per call, and an object type that grew in both (the object-level
 * evidence: code and JIT warm-up never qualify because they are not user data). Growth in only
 * one interval is a step, a cache filling up or noise: the caller escalates with a longer
 * interval.
 */
export function confirm(points: SnapshotPoint[], growingTypes: number, threshold: number): ConfirmResult {
  const [a, b, c] = points.slice(-3) as [SnapshotPoint, SnapshotPoint, SnapshotPoint]
  const calls: [number, number] = [b.calls - a.calls, c.calls - b.calls]
  const heapGrowth: [number, number] = [b.userBytes - a.userBytes, c.userBytes - b.userBytes]
  const externalGrowth: [number, number] = [b.external - a.external, c.external - b.external]
  const heap = judge(heapGrowth, calls, threshold, growingTypes > 0)
  const external = judge(externalGrowth, calls, threshold, true)
  const span = calls[0] + calls[1]
  const heapRate = (heapGrowth[0] + heapGrowth[1]) / span
  const externalRate = (externalGrowth[0] + externalGrowth[1]) / span
  const fmt = (g: [number, number]) => `${Math.round(g[0] / calls[0])} then ${Math.round(g[1] / calls[1])} B/call`
  const note =
    `user data grew ${fmt(heapGrowth)} over ${calls[0]} + ${calls[1]} calls ` +
    `(${growingTypes} type${growingTypes === 1 ? '' : 's'} grew in both); external ${fmt(externalGrowth)}`
  return { heap, external, heapRate, externalRate, note }
}
