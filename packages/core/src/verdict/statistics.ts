/** Median of a numeric array (sorts a copy). */
export function median(values: ArrayLike<number>): number {
  const sorted = Array.from(values).sort((a, b) => a - b)
  const n = sorted.length
  if (n === 0) return 0
  const mid = n >> 1
  return n % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/**
 * Theil–Sen slope: the median of all pairwise slopes. Robust to a few outlying samples, which is
 * what post-GC heap noise looks like (single jumps, not Gaussian scatter).
 */
export function theilSen(x: ArrayLike<number>, y: ArrayLike<number>, n = x.length): number {
  const slopes: number[] = []
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = x[j]! - x[i]!
      if (dx !== 0) slopes.push((y[j]! - y[i]!) / dx)
    }
  }
  return median(slopes)
}

/** Average growth per unit of x from first to last sample. */
export function meanGrowth(x: ArrayLike<number>, y: ArrayLike<number>, n = x.length): number {
  if (n < 2) return 0
  const dx = x[n - 1]! - x[0]!
  return dx === 0 ? 0 : (y[n - 1]! - y[0]!) / dx
}

/** Median of the per-round growth rates (y[i] - y[i-1]) / (x[i] - x[i-1]). */
export function medianIncrement(x: ArrayLike<number>, y: ArrayLike<number>, n = x.length): number {
  const rates: number[] = []
  for (let i = 1; i < n; i++) {
    const dx = x[i]! - x[i - 1]!
    if (dx !== 0) rates.push((y[i]! - y[i - 1]!) / dx)
  }
  return median(rates)
}

/** Largest absolute change between consecutive samples. */
export function largestJump(y: ArrayLike<number>, n = y.length): number {
  let out = 0
  for (let i = 1; i < n; i++) out = Math.max(out, Math.abs(y[i]! - y[i - 1]!))
  return out
}

/**
 * Largest absolute change between consecutive samples after a running median of three, which
 * removes single-sample spikes (a reading up by 130-220 KB, back at the next one: measured in
 * test workers) but keeps steps and plateaus of two samples or more.
 */
export function largestSmoothedJump(y: ArrayLike<number>, n = y.length): number {
  if (n < 3) return largestJump(y, n)
  const mid = (a: number, b: number, c: number) => Math.max(Math.min(a, b), Math.min(Math.max(a, b), c))
  let previous = y[0]!
  let out = 0
  for (let i = 1; i < n; i++) {
    const value = i === n - 1 ? y[i]! : mid(y[i - 1]!, y[i]!, y[i + 1]!)
    out = Math.max(out, Math.abs(value - previous))
    previous = value
  }
  return out
}
