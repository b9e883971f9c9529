import { LeakproofUsageError } from './errors.js'

/** A pattern matched against a type name, allocation site, creation stack or resource type. */
export type IgnorePattern = string | RegExp

export interface IgnoreOptions {
  /** Retained object types to ignore, e.g. `'CachedSchema'` or `/^Compiled/`. */
  types?: IgnorePattern[]
  /** Allocation sites or creation stacks to ignore (matched against `fn (file:line)` text). */
  sites?: IgnorePattern[]
  /** Resource types to ignore, e.g. `'TCPSocketWrap'`, `/Timeout/`. */
  resources?: IgnorePattern[]
  /** Listener leaks to ignore, matched against `Target 'event'`. */
  listeners?: IgnorePattern[]
}

export interface LeakOptions {
  /** Calls made before measuring (JIT tiering, lazy singletons, caches filling). Default 200. */
  warmup?: number
  /**
   * Calls measured by the screening pass. Default: adaptive, at least 400 and up to 4000 when
   * calls are fast (about 150 ms of calls), so step-shaped growth such as a table doubling falls
   * inside the window. A number fixes it.
   */
  calls?: number
  /** @deprecated The old name of `calls`. */
  iterations?: number
  /** Points of the screening pass (rounds + 1), at least 4. Default 11. */
  samples?: number
  /** Retained growth, in bytes per call, at or above which the heap is said to grow. Default 4. */
  threshold?: number
  /** Cap on all calls (warm-up, screening and confirmation). Default 100000; slow subjects are limited by time first. */
  maxCalls?: number
  /** @deprecated The old name of `maxCalls`. */
  maxIterations?: number
  /**
   * Time budget of the whole measurement, in ms. Default 60000. Out of time with the subject still
   * settling, the evidence so far decides (clean or leak) or the verdict is `inconclusive` (see
   * `inconclusive`); a call that never settles fails with a LeakTimeoutError.
   */
  timeout?: number
  /**
   * What an inconclusive check (out of time before the evidence decided) does to the test:
   * 'warn' (default) passes it with a warning, 'fail' fails it. Either way the run report records
   * verdict `inconclusive`.
   */
  inconclusive?: 'warn' | 'fail'
  /** Abort the measurement. */
  signal?: AbortSignal
  /** Find retainer paths and allocation sites for a leak verdict. Default true. */
  explain?: boolean
  /** Check timers, sockets, servers and other handles, and listener counts. Default true. */
  resources?: boolean
  /** Write the three heap snapshots of a failing run here (mode 0600). */
  snapshotDir?: string
  /** Show string contents from the heap in reports. Default false: strings are redacted. */
  showStrings?: boolean
  /** Known, accepted retention to ignore. */
  ignore?: IgnoreOptions
}

export interface ResolvedOptions {
  warmup: number
  /** Minimum screening calls; the exact count when `adaptiveIterations` is false. */
  iterations: number
  /** The user left `iterations` unset: fast subjects get a longer screening window. */
  adaptiveIterations: boolean
  samples: number
  threshold: number
  maxIterations: number
  timeout: number
  inconclusive: 'warn' | 'fail'
  signal: AbortSignal | undefined
  explain: boolean
  resources: boolean
  snapshotDir: string | undefined
  showStrings: boolean
  ignore: Required<IgnoreOptions>
}

export const defaultOptions = {
  warmup: 200,
  iterations: 400,
  samples: 11,
  threshold: 4,
  maxIterations: 100_000,
  timeout: 60_000,
  inconclusive: 'warn',
  explain: true,
  resources: true,
  showStrings: false,
} as const

const integerRanges = {
  warmup: [0, 1_000_000],
  iterations: [10, 1_000_000],
  samples: [4, 1_000],
  maxIterations: [20, 10_000_000],
  timeout: [1, 2_147_483_647],
} as const

const known = new Set([
  'warmup', 'calls', 'samples', 'threshold', 'maxCalls', 'timeout', 'inconclusive', 'signal',
  'explain', 'resources', 'snapshotDir', 'showStrings', 'ignore',
])

/** Old option names, still accepted: leakproof says "call" for each time the subject is called. */
const oldNames = { iterations: 'calls', maxIterations: 'maxCalls' } as const

/** The options under their current names (`calls`, `maxCalls`); both names at once is an error. */
export function withCurrentNames(input: LeakOptions): LeakOptions {
  let out = input
  for (const [old, current] of Object.entries(oldNames) as [keyof typeof oldNames, 'calls' | 'maxCalls'][]) {
    if (input[old] === undefined) continue
    if (input[current] !== undefined) fail(`options "${current}" and "${old}" (its old name) are both given: keep "${current}"`)
    const { [old]: value, ...rest } = out
    out = { ...rest, [current]: value }
  }
  return out
}

/** User-facing name of an option the engine keeps under its old name. */
const userName = (key: string) => (key === 'iterations' ? 'calls' : key === 'maxIterations' ? 'maxCalls' : key)

function fail(message: string): never {
  throw new LeakproofUsageError(message)
}

function checkPatterns(name: string, value: unknown): IgnorePattern[] {
  if (value === undefined) return []
  if (!Array.isArray(value) || !value.every((p) => typeof p === 'string' || p instanceof RegExp)) {
    fail(`ignore.${name} must be an array of strings or RegExps, got ${describe(value)}`)
  }
  return value as IgnorePattern[]
}

export function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value)
  if (typeof value === 'object') return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`
  return `${typeof value} ${String(value)}`
}

/** Validate user options and fill in defaults. Throws LeakproofUsageError naming the fix. */
export function resolveOptions(input: LeakOptions | undefined = {}): ResolvedOptions {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    fail(`options must be an object like { calls: 400 }, got ${describe(input)}`)
  }
  const given = withCurrentNames(input)
  for (const key of Object.keys(given)) {
    if (!known.has(key)) {
      fail(`unknown option "${key}". Known options: ${[...known].join(', ')}`)
    }
  }
  const out = { ...defaultOptions } as Record<string, unknown>
  for (const [key, [min, max]] of Object.entries(integerRanges)) {
    const value = (given as Record<string, unknown>)[userName(key)]
    if (value === undefined) continue
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      fail(`option "${userName(key)}" must be a whole number, got ${describe(value)}`)
    }
    if (value < min || value > max) {
      fail(`option "${userName(key)}" must be between ${min} and ${max}, got ${value}`)
    }
    out[key] = value
  }
  if (input.threshold !== undefined) {
    if (typeof input.threshold !== 'number' || !Number.isFinite(input.threshold) || input.threshold <= 0 || input.threshold > 1e9) {
      fail(`option "threshold" must be a positive number of bytes per call, got ${describe(input.threshold)}`)
    }
    out.threshold = input.threshold
  }
  for (const key of ['explain', 'resources', 'showStrings'] as const) {
    const value = input[key]
    if (value === undefined) continue
    if (typeof value !== 'boolean') fail(`option "${key}" must be true or false, got ${describe(value)}`)
    out[key] = value
  }
  if (input.inconclusive !== undefined) {
    if (input.inconclusive !== 'warn' && input.inconclusive !== 'fail') {
      fail(
        `option "inconclusive" must be 'warn' (pass an inconclusive check with a warning) or 'fail' ` +
          `(fail the test), got ${describe(input.inconclusive)}`,
      )
    }
    out.inconclusive = input.inconclusive
  }
  if (input.signal !== undefined && !(input.signal instanceof AbortSignal)) {
    fail(`option "signal" must be an AbortSignal, got ${describe(input.signal)}`)
  }
  if (input.snapshotDir !== undefined && (typeof input.snapshotDir !== 'string' || input.snapshotDir === '')) {
    fail(`option "snapshotDir" must be a directory path, got ${describe(input.snapshotDir)}`)
  }
  const ignore = input.ignore ?? {}
  if (ignore === null || typeof ignore !== 'object' || Array.isArray(ignore)) {
    fail(`option "ignore" must be an object like { types: ['MyCache'] }, got ${describe(ignore)}`)
  }
  for (const key of Object.keys(ignore)) {
    if (!['types', 'sites', 'resources', 'listeners'].includes(key)) {
      fail(`unknown ignore key "${key}". Known keys: types, sites, resources, listeners`)
    }
  }
  const resolved: ResolvedOptions = {
    ...(out as Omit<ResolvedOptions, 'signal' | 'snapshotDir' | 'ignore' | 'adaptiveIterations'>),
    adaptiveIterations: given.calls === undefined,
    signal: input.signal,
    snapshotDir: input.snapshotDir,
    ignore: {
      types: checkPatterns('types', ignore.types),
      sites: checkPatterns('sites', ignore.sites),
      resources: checkPatterns('resources', ignore.resources),
      listeners: checkPatterns('listeners', ignore.listeners),
    },
  }
  if (resolved.maxIterations < resolved.warmup + resolved.iterations) {
    fail(
      `option "maxCalls" (${resolved.maxIterations}) must be at least warmup + calls ` +
        `(${resolved.warmup} + ${resolved.iterations})`,
    )
  }
  if (resolved.iterations < resolved.samples - 1) {
    fail(`option "calls" (${resolved.iterations}) must be at least samples - 1 (${resolved.samples - 1})`)
  }
  return resolved
}

/** True when text matches any pattern (substring for strings). */
export function matchesAny(text: string, patterns: readonly IgnorePattern[]): boolean {
  return patterns.some((p) => (typeof p === 'string' ? text.includes(p) : p.test(text)))
}
