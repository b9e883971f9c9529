/** Memory at one heap snapshot, taken after a settle. */
export interface SnapshotPoint {
  /** Measured calls made when the snapshot was taken. */
  calls: number
  /** Self bytes of user data (compiled code, feedback, shapes and other V8 internals excluded). */
  userBytes: number
  /** The screen's heap figure (heapUsed less code spaces) at the same moment. */
  heap: number
  external: number
}

/**
 * - leak: grew in both intervals (and, for the heap, an object type grew in both)
 * - clean: the latest interval did not grow, and what did grow was not user data (JIT, code)
 * - paused: nothing grew at all: either one-off growth that has ended, or a step-shaped leak
 *   (a table that doubles) between two steps. A longer interval tells them apart.
 * - unsure: grew in one interval only (a step, a cache reaching its bound, noise)
 */
export type IntervalOutcome = 'leak' | 'clean' | 'paused' | 'unsure'

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

/**
 * The object-level evidence: types whose objects (or stores) grew in both intervals, and the bytes
 * per call they account for.
 */
export interface GrowthEvidence {
  types: number
  bytesPerCall: number
}

/**
 * Share of the threshold the growing types must account for to corroborate the user-data growth.
 * Measured: Node 22's global fetch grew user data 11 then 20 B/call while the one type growing in
 * both was a string every 50 calls (0.7 B/call): the growth was V8's, not objects the calls kept.
 */
export const minEvidenceShare = 0.5

type Pair = [number, number]

function judge(user: Pair, total: Pair, calls: Pair, threshold: number, corroborated: boolean): IntervalOutcome {
  const grows = (g: Pair, i: 0 | 1) => g[i] / calls[i] >= threshold && g[i] >= minIntervalGrowth
  if (grows(user, 0) && grows(user, 1)) return corroborated ? 'leak' : 'unsure'
  if (grows(user, 1)) return 'unsure'
  if (grows(user, 0)) return 'unsure'
  return grows(total, 0) || grows(total, 1) ? 'clean' : 'paused'
}

/**
 * Judge the last three snapshot points. A leak needs growth of user data in both intervals, at
 * least `threshold` bytes per call, and object types that grew in both accounting for at least
 * half the threshold per call (the object-level evidence: code and JIT warm-up never qualify
 * because they are not user data). The caller
 * escalates 'paused' and 'unsure' with a longer interval while its budget lasts.
 */
export function confirm(
  points: SnapshotPoint[],
  evidence: GrowthEvidence,
  threshold: number,
  suspect: { heap: boolean; external: boolean },
): ConfirmResult {
  const growingTypes = evidence.types
  const corroborated = growingTypes > 0 && evidence.bytesPerCall >= minEvidenceShare * threshold
  const [a, b, c] = points.slice(-3) as [SnapshotPoint, SnapshotPoint, SnapshotPoint]
  const calls: Pair = [b.calls - a.calls, c.calls - b.calls]
  const userGrowth: Pair = [b.userBytes - a.userBytes, c.userBytes - b.userBytes]
  const heapGrowth: Pair = [b.heap - a.heap, c.heap - b.heap]
  const externalGrowth: Pair = [b.external - a.external, c.external - b.external]
  const heap = suspect.heap ? judge(userGrowth, heapGrowth, calls, threshold, corroborated) : 'clean'
  // External memory has no step-shaped structures or JIT noise: flat means clean.
  const externalOutcome = suspect.external ? judge(externalGrowth, externalGrowth, calls, threshold, true) : 'clean'
  const external = externalOutcome === 'paused' ? 'clean' : externalOutcome
  const span = calls[0] + calls[1]
  const heapRate = (userGrowth[0] + userGrowth[1]) / span
  const externalRate = (externalGrowth[0] + externalGrowth[1]) / span
  const fmt = (g: Pair) => `${Math.round(g[0] / calls[0])} then ${Math.round(g[1] / calls[1])} B/call`
  const note =
    `user data grew ${fmt(userGrowth)} (heap ${fmt(heapGrowth)}) over ${calls[0]} + ${calls[1]} calls, ` +
    `${growingTypes} type${growingTypes === 1 ? '' : 's'} grew in both` +
    (growingTypes > 0 ? ` (${Math.round(evidence.bytesPerCall * 10) / 10} B/call)` : '') +
    `; external ${fmt(externalGrowth)}`
  return { heap, external, heapRate, externalRate, note }
}
