// V8 compiles hot functions while a window is being measured (Sparkplug, Maglev, TurboFan), and
// the compiled code is allocated in whatever JavaScript frame is running when a job finishes: to
// the sampling profiler it is an object of the calls, and it stays alive. Measured in Vitest's
// per-test mode: the survivors of clean tests' screens (8-100 samples a window, in every round,
// for 300-450 runs of a file) were this code; with --no-opt --no-sparkplug they were gone, and so
// were the heap snapshots they led to. So tiering is paused while windows are measured and resumed
// after. Flags the user set themselves are left alone (and then nothing is paused). V8 flags are
// per process: in a worker-threads pool a neighbour's check may resume tiering early, which costs
// a window, not a verdict.
import v8 from 'node:v8'

const tieringFlag = /^--(no-)?(opt|turbofan|sparkplug|maglev|jitless|max-opt|always-sparkplug|always-turbofan|always-opt)(=|$)/

/**
 * The tiers to pause, given the process's flags and build: none when the user set a tiering flag
 * (or LEAKPROOF_JIT=on); Maglev only where Node builds it (on by default there: Node 24). Pure.
 */
export function tiersToPause(execArgv: readonly string[], nodeOptions: string | undefined, maglevBuilt: unknown, jitEnv: string | undefined): string[] {
  if (jitEnv === 'on') return []
  const args = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)]
  if (args.some((arg) => tieringFlag.test(arg.replaceAll('_', '-')))) return []
  return maglevBuilt === 1 || maglevBuilt === true || maglevBuilt === '1' ? ['opt', 'sparkplug', 'maglev'] : ['opt', 'sparkplug']
}

let paused = 0
let pausedTiers: string[] = []

/**
 * Pause V8's tiering up; the returned function resumes it (once, however often it is called).
 * Nested pauses resume at the outermost.
 */
export function pauseTiering(setFlags: (flags: string) => void = v8.setFlagsFromString): () => void {
  if (paused++ === 0) {
    const variables = process.config.variables as unknown as Record<string, unknown>
    pausedTiers = tiersToPause(process.execArgv, process.env.NODE_OPTIONS, variables.v8_enable_maglev, process.env.LEAKPROOF_JIT)
    for (const tier of pausedTiers) setFlags(`--no-${tier}`)
  }
  let resumed = false
  return () => {
    if (resumed) return
    resumed = true
    if (--paused === 0) for (const tier of pausedTiers) setFlags(`--${tier}`)
  }
}
