// Suite-level mode's options: what a held file does to the run, whether to explain it, what to leave out.

import { LeakproofUsageError } from '../errors.js'
import { describe } from '../options.js'

export interface SuiteCheckOptions {
  /**
   * What a test file whose world is still reachable after it ended does: `'fail'` (default) fails
   * the run and names the file, as `jest --detectLeaks` fails a leaking file; `'warn'` reports it.
   */
  onLeak?: 'fail' | 'warn'
  /** Take a heap snapshot for a held file, for its retainer path and retained size. Default true. */
  explain?: boolean
  /**
   * Known, accepted holders: `files` (test file paths: substrings, RegExps or '/regex/flags'
   * strings) are not reported; `holders` (matched against the retainer path) are reported but do
   * not fail the run.
   */
  ignore?: { files?: (string | RegExp)[]; holders?: (string | RegExp)[] }
  /** Milliseconds of idle worker after a file ends before its check runs (unless the next file starts first). Default 50. */
  idleMs?: number
}

export interface ResolvedSuiteOptions {
  onLeak: 'fail' | 'warn'
  explain: boolean
  ignoreFiles: RegExp[]
  ignoreHolders: RegExp[]
  idleMs: number
}

const known = ['onLeak', 'explain', 'ignore', 'idleMs']

function pattern(value: unknown, where: string): RegExp {
  if (value instanceof RegExp || Object.prototype.toString.call(value) === '[object RegExp]') {
    const r = value as RegExp
    return new RegExp(r.source, r.flags)
  }
  if (typeof value !== 'string' || value === '') {
    throw new LeakproofUsageError(`${where} must hold non-empty strings (substrings, or '/regex/flags') or RegExps, got ${describe(value)}`)
  }
  const m = /^\/(.+)\/([a-z]*)$/.exec(value)
  if (m) {
    try {
      return new RegExp(m[1]!, m[2])
    } catch (error) {
      throw new LeakproofUsageError(`${where}: ${value} is not a valid regular expression (${(error as Error).message})`)
    }
  }
  return new RegExp(value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
}

function patterns(value: unknown, where: string): RegExp[] {
  if (value === undefined) return []
  if (!Array.isArray(value)) throw new LeakproofUsageError(`${where} must be an array, like ['src/legacy/'], got ${describe(value)}`)
  return value.map((v) => pattern(v, where))
}

/** Validate suite-level options (`true` / `undefined`: the defaults). `where` names the setting in errors. */
export function resolveSuiteOptions(input: unknown, where = 'suite options'): ResolvedSuiteOptions {
  const raw = input === undefined || input === true ? {} : input
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new LeakproofUsageError(`${where} must be true or an object like { onLeak: 'warn' }, got ${describe(input)}`)
  }
  const o = raw as Record<string, unknown>
  const unknownKeys = Object.keys(o).filter((k) => !known.includes(k))
  if (unknownKeys.length) {
    throw new LeakproofUsageError(`${where}: unknown option ${unknownKeys.map((k) => JSON.stringify(k)).join(', ')}; known options are ${known.join(', ')}`)
  }
  const onLeak = o.onLeak ?? 'fail'
  if (onLeak !== 'fail' && onLeak !== 'warn') {
    throw new LeakproofUsageError(`${where}: onLeak must be 'fail' or 'warn', got ${describe(onLeak)}`)
  }
  const explain = o.explain ?? true
  if (typeof explain !== 'boolean') throw new LeakproofUsageError(`${where}: explain must be true or false, got ${describe(explain)}`)
  const idleMs = o.idleMs ?? 50
  if (typeof idleMs !== 'number' || !Number.isFinite(idleMs) || idleMs < 0) {
    throw new LeakproofUsageError(`${where}: idleMs must be a number of milliseconds ≥ 0, got ${describe(idleMs)}`)
  }
  let ignoreFiles: RegExp[] = []
  let ignoreHolders: RegExp[] = []
  if (o.ignore !== undefined) {
    if (o.ignore === null || typeof o.ignore !== 'object' || Array.isArray(o.ignore)) {
      throw new LeakproofUsageError(`${where}: ignore must be an object like { files: ['legacy.test.js'], holders: ['(global) → sharedCache'] }, got ${describe(o.ignore)}`)
    }
    const ig = o.ignore as Record<string, unknown>
    const extra = Object.keys(ig).filter((k) => k !== 'files' && k !== 'holders')
    if (extra.length) throw new LeakproofUsageError(`${where}: ignore takes files and holders, not ${extra.join(', ')}`)
    ignoreFiles = patterns(ig.files, `${where}: ignore.files`)
    ignoreHolders = patterns(ig.holders, `${where}: ignore.holders`)
  }
  return { onLeak, explain, ignoreFiles, ignoreHolders, idleMs }
}
