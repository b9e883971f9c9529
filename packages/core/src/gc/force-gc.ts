import v8 from 'node:v8'
import vm from 'node:vm'
import { LeakproofUsageError } from '../errors.js'

export type GcSource = 'expose-gc' | 'runtime-flag'

export interface ForcedGc {
  /** A full, synchronous collection. Always called bare: on Node 20 any argument makes it minor. */
  full: () => void
  /** A young-generation collection (scavenge). */
  minor: () => void
  source: GcSource
}

let cached: ForcedGc | undefined

function wrap(gc: (options?: unknown) => void, source: GcSource): ForcedGc {
  return {
    full: () => gc(),
    minor: () => gc({ type: 'minor' }),
    source,
  }
}

/**
 * The engine's way to force GC: `globalThis.gc` when Node runs with --expose-gc, otherwise the flag
 * set at run time and `gc` taken from a fresh context (works in worker threads and in the vm
 * contexts Jest and Vitest run tests in).
 */
export function getGc(): ForcedGc {
  if (cached) return cached
  const exposed = (globalThis as { gc?: unknown }).gc
  if (typeof exposed === 'function') {
    cached = wrap(exposed as (o?: unknown) => void, 'expose-gc')
    return cached
  }
  let fromContext: unknown
  let failure: unknown
  try {
    v8.setFlagsFromString('--expose-gc')
    fromContext = vm.runInNewContext('gc')
  } catch (error) {
    failure = error
  }
  if (typeof fromContext !== 'function') {
    const reason = failure instanceof Error ? ` (${failure.message})` : ''
    throw new LeakproofUsageError(
      `leakproof cannot force garbage collection${reason}. Run Node with --expose-gc: ` +
        `\`node --expose-gc\`, NODE_OPTIONS=--expose-gc, Vitest \`execArgv: ['--expose-gc']\` ` +
        `(forks pool), or Jest \`node --expose-gc node_modules/.bin/jest\`.`,
    )
  }
  cached = wrap(fromContext as (o?: unknown) => void, 'runtime-flag')
  return cached
}

/** A full collection with the engine's GC (for modules that need just that). */
export function fullGc(): void {
  getGc().full()
}
