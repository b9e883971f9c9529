// Settings shared by the config side (plugin, reporter) and the worker side (setup file).
// No runtime import of 'vitest' here: the plugin must load in any config file.
import { LeakproofUsageError, resolveOptions, type LeakOptions } from '@leakproof/core'

/** `provide`/`inject` key under which the plugin hands its settings to the test workers. */
export const provideKey = 'leakproof:settings'

/** Per-test or per-suite setting: `true` (check), `false` (do not check) or options for the check. */
export type EachTestSetting = boolean | LeakOptions

/** What the workers receive from the plugin. */
export interface WorkerSettings {
  /** Defaults for every leak check in the project (matchers and per-test mode). */
  options: LeakOptions
  /** Per-test mode: false (off unless a test or suite opts in), or the options its checks use. */
  eachTest: false | LeakOptions
}

/** Options accepted in the plugin, on tests (`meta.leakproof`) and in `leakTest.with()`: no `signal`. */
export function checkSerializableOptions(where: string, options: LeakOptions): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new LeakproofUsageError(`${where} must be true, false or an options object like { iterations: 100 }`)
  }
  if ('signal' in options && options.signal !== undefined) {
    throw new LeakproofUsageError(
      `${where}: "signal" cannot be set here (it does not cross into test workers). ` +
        'Pass it to expect(fn).not.toLeak({ signal }) inside the test instead.',
    )
  }
  // Validates names, ranges and types now, in the main process, with the engine's own messages.
  resolveOptions(options)
}

// RegExps in `ignore` lists do not survive every transport Vitest uses to reach its workers
// (JSON over child-process IPC, structured clone for threads): send them as tagged pairs.
const regexpTag = '__leakproofRegExp'

export function encodeSettings(value: unknown): unknown {
  if (value instanceof RegExp) return { [regexpTag]: [value.source, value.flags] }
  if (Array.isArray(value)) return value.map(encodeSettings)
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeSettings(v)]))
  }
  return value
}

export function decodeSettings<T>(value: unknown): T {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk)
    if (v && typeof v === 'object') {
      const tagged = (v as Record<string, unknown>)[regexpTag]
      if (Array.isArray(tagged)) return new RegExp(String(tagged[0]), String(tagged[1] ?? ''))
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]))
    }
    return v
  }
  return walk(value) as T
}
