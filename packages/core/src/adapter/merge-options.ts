// Layers of leak options (project defaults, per-test mode's, a test's own, a call's) as both
// adapters combine them: later layers win, and `ignore` lists add up. A test that ignores one more
// type keeps ignoring what the project ignores.
import { withCurrentNames, type IgnoreOptions, type LeakOptions } from '../options.js'

const ignoreLists = ['types', 'sites', 'resources', 'listeners'] as const satisfies readonly (keyof IgnoreOptions)[]

/** Merge option objects left to right (old option names as their current ones); `ignore` lists are concatenated. */
export function mergeOptions(...layers: (LeakOptions | undefined)[]): LeakOptions {
  const out: LeakOptions = {}
  for (const layer of layers) {
    if (!layer) continue
    const { ignore, ...rest } = withCurrentNames(layer)
    Object.assign(out, rest)
    if (ignore) {
      const merged: IgnoreOptions = { ...out.ignore }
      for (const key of ignoreLists) {
        const more = ignore[key]
        if (more) merged[key] = [...(merged[key] ?? []), ...more]
      }
      out.ignore = merged
    }
  }
  return out
}
