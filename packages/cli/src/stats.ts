/** Median of a non-empty list. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

export interface Line {
  slope: number
  intercept: number
}

/**
 * Theil–Sen estimator: the median of the slopes between all pairs of points (robust to a few
 * outliers, such as a GC that ran late). Needs two points with different x; undefined otherwise.
 */
export function theilSen(x: number[], y: number[]): Line | undefined {
  const n = Math.min(x.length, y.length)
  // Pairs grow with n²; thin very long series evenly.
  const step = n > 400 ? Math.ceil(n / 400) : 1
  const idx: number[] = []
  for (let i = 0; i < n; i += step) idx.push(i)
  const slopes: number[] = []
  for (let a = 0; a < idx.length; a++) {
    for (let b = a + 1; b < idx.length; b++) {
      const i = idx[a]!
      const j = idx[b]!
      if (x[j] !== x[i]) slopes.push((y[j]! - y[i]!) / (x[j]! - x[i]!))
    }
  }
  if (slopes.length === 0) return undefined
  const slope = median(slopes)
  return { slope, intercept: interceptFor(x, y, slope) }
}

/** The intercept that centres a line of the given slope on the points: median of y − slope·x. */
export function interceptFor(x: number[], y: number[], slope: number): number {
  const n = Math.min(x.length, y.length)
  const r: number[] = []
  for (let i = 0; i < n; i++) r.push(y[i]! - slope * x[i]!)
  return r.length ? median(r) : 0
}

/** A "nice" axis: round step (1, 2, 2.5, 5 × 10^k) covering [min, max] in about `ticks` steps. */
export function niceAxis(min: number, max: number, ticks = 5): { min: number; max: number; step: number } {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { min: 0, max: 1, step: 1 }
  if (max - min < 1e-9) {
    const pad = Math.max(1, Math.abs(max) * 0.1)
    min -= pad
    max += pad
  }
  const raw = (max - min) / ticks
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag
  return { min: Math.floor(min / step) * step, max: Math.ceil(max / step) * step, step }
}

/**
 * A nice axis for byte values: steps are round in B, KB (1024 B) or MB, so labels read 16 KB,
 * 32 KB. `unit` (1, 1024 or 1024²) is the one unit every label of the axis is written in.
 */
export function niceByteAxis(min: number, max: number, ticks = 5): { min: number; max: number; step: number; unit: number } {
  const range = Math.max(Math.abs(min), Math.abs(max), max - min)
  const unit = range >= 2 * 1024 ** 2 ? 1024 ** 2 : range >= 2 * 1024 ? 1024 : 1
  const a = niceAxis(min / unit, max / unit, ticks)
  return { min: a.min * unit, max: a.max * unit, step: a.step * unit, unit }
}

/** Decimals that show every multiple of `step` exactly enough (0 for whole steps, 1 for 2.5, …). */
export function stepDecimals(step: number): number {
  for (let d = 0; d < 6; d++) if (Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) < 1e-6 * 10 ** d) return d
  return 6
}
