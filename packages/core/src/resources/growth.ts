// When is a count's growth "proportional to calls"? One rule for resources and listeners.
//
// A count (active resources of one type, listeners of one event on one target) is read at the
// engine's checkpoints: the start, the middle and the end of the measured calls. A leak grows in
// both halves at a similar rate; a one-off (a keep-alive pool opening its sockets, a lazily started
// timer, a cache of handles filling up) grows once and then stays flat.

export interface GrowthPoint {
  /** Calls of the subject made when the count was read. */
  calls: number
  value: number
}

export interface Growth {
  leak: boolean
  /** Growth from the first to the last point. */
  net: number
  /** Net growth per call between the first and the last point (net itself when no calls are known). */
  perCall: number
}

/** Fewest extra instances that can make a leak, whatever the number of calls. */
export const MIN_NET_GROWTH = 3
/** …and at least this many per call overall (1 per 100 calls): slower growth is noise or a pool. */
export const MIN_GROWTH_PER_CALL = 0.01
/** The slower half must grow at least this fraction of the faster half's rate. */
export const MIN_HALF_RATE_RATIO = 0.25

/**
 * Judge a series of counts. With three or more points at distinct call counts the rule is:
 * grew in the first half (first → the point nearest the middle) AND in the second half
 * (middle → last), with rates within a factor of 4 of each other, and net growth of at least
 * max(3, 1 % of the calls). With fewer points the halves cannot be told apart and only the net
 * growth rule applies.
 */
export function judgeGrowth(points: readonly GrowthPoint[]): Growth {
  const first = points[0]
  const last = points[points.length - 1]
  if (!first || !last) return { leak: false, net: 0, perCall: 0 }
  const net = last.value - first.value
  const span = last.calls - first.calls
  const perCall = span > 0 ? net / span : net
  const minNet = Math.max(MIN_NET_GROWTH, Math.ceil(span * MIN_GROWTH_PER_CALL))
  if (net < minNet) return { leak: false, net, perCall }

  const middleCalls = (first.calls + last.calls) / 2
  let mid: GrowthPoint | undefined
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i]!
    if (p.calls <= first.calls || p.calls >= last.calls) continue
    if (!mid || Math.abs(p.calls - middleCalls) < Math.abs(mid.calls - middleCalls)) mid = p
  }
  if (!mid) return { leak: true, net, perCall }

  const grew1 = mid.value - first.value
  const grew2 = last.value - mid.value
  if (grew1 < 1 || grew2 < 1) return { leak: false, net, perCall }
  const rate1 = grew1 / (mid.calls - first.calls)
  const rate2 = grew2 / (last.calls - mid.calls)
  const balanced = Math.min(rate1, rate2) / Math.max(rate1, rate2) >= MIN_HALF_RATE_RATIO
  return { leak: balanced, net, perCall }
}

/** Round a per-call figure for reports: 2 significant decimals. */
export function roundRate(value: number): number {
  return Math.round(value * 100) / 100
}
