// Survivors of the measured calls, from V8's sampling heap profiler.
//
// The profiler samples allocations (one per `interval` bytes on average, Poisson) and, with both
// includeObjectsCollectedBy* flags off, drops a sample when its object is collected. Read after a
// collection, the samples are the objects allocated since sampling began that are still alive:
// what the calls retained, at the object level, whatever the rest of the heap holds. That needs
// no stable heap total, so neither a large host heap (a Jest or jsdom worker) nor the garbage of
// earlier tests moves it, and one full collection per window is enough (V8's own, when it reports
// the profile) where a series of heap totals needed one per round.
//
// Boundaries between rounds are marked by allocating one large array per boundary: an object of
// 128 KB is all but certainly sampled at the intervals used here (at most a few KB), and its
// sample's ordinal (the profiler's allocation counter) splits the other samples into rounds. A
// marker that was not sampled makes the count undefined, and the screen falls back to heap readings.
import v8 from 'node:v8'
import { isOwnFrame, isRuntimeFrame, notInlinable, packageRoot, type CallFrame } from '../explain/frames.js'
import { closeSession, post, startLiveSampling, type InspectorSession } from '../explain/inspector.js'

interface ProfileNode {
  callFrame: CallFrame
  id: number
  children: ProfileNode[]
}

interface Sample {
  size: number
  nodeId: number
  ordinal: number
}

interface SamplingProfile {
  head: ProfileNode
  samples: Sample[]
}

const markerName = 'leakproofRoundMarker'
const asyncHooksUrl = 'node:internal/async_hooks'
/** Elements per marker array: 128 KB of pointers, far above any sampling interval used. */
const markerLength = 16 * 1024
const markerMinBytes = 64 * 1024

export interface SurvivorCount {
  /** Estimated bytes of the subject's objects allocated in each round and still alive. */
  bytesPerRound: number[]
  /** Sampled objects behind those bytes, per round. */
  samplesPerRound: number[]
  /** Bytes of the largest single surviving object. */
  largest: number
}

export interface SurvivorSampling {
  /** Bytes per sample on average. */
  readonly interval: number
  /** Call the subject through this while sampling (see notInlinable). */
  wrap<F extends (...args: never[]) => unknown>(fn: F): F
  /** Mark the end of a round (and the start of the next). */
  mark(): void
  /** Forget the marks: the next mark starts a new window, and survivors before it no longer count. */
  newWindow(): void
  /**
   * Survivors per round, between consecutive marks; undefined when a marker was not sampled.
   * V8 collects garbage fully before it reports a sampling profile: this costs one full GC.
   */
  read(): Promise<SurvivorCount | undefined>
  /** Stop sampling and close the session. Idempotent. */
  stop(): Promise<void>
}

/**
 * Bytes one call allocates: the median over a few calls, each started on an empty young
 * generation (read from the heap total, not the profiler: reading a sampling profile costs a full
 * GC). A scavenge during a call makes it an underestimate, which only makes sampling finer.
 */
export async function allocationPerCall(callOnce: () => Promise<number>, minorGc: () => void, calls = 5): Promise<number> {
  const deltas: number[] = []
  for (let i = 0; i < calls; i++) {
    minorGc()
    const before = v8.getHeapStatistics().used_heap_size
    if ((await callOnce()) === 0) break
    deltas.push(Math.max(0, v8.getHeapStatistics().used_heap_size - before))
  }
  deltas.sort((a, b) => a - b)
  return deltas[deltas.length >> 1] ?? 0
}

/** Unbiased bytes behind one sample of an object of `size` bytes (V8 samples by bytes). */
export function scaled(size: number, interval: number): number {
  return size / (1 - Math.exp(-size / interval))
}

export async function startSurvivorSampling(interval: number): Promise<SurvivorSampling | undefined> {
  const session = await startLiveSampling(interval)
  return session && new Sampling(session, interval)
}

class Sampling implements SurvivorSampling {
  private markers: unknown[][] = []
  private stopped = false
  readonly wrap = notInlinable

  constructor(
    private readonly session: InspectorSession,
    readonly interval: number,
  ) {}

  mark(): void {
    this.markers.push(leakproofRoundMarker())
  }

  newWindow(): void {
    this.markers = []
  }

  async read(): Promise<SurvivorCount | undefined> {
    if (this.stopped) return undefined
    const { profile } = await post<{ profile: SamplingProfile }>(this.session, 'HeapProfiler.getSamplingProfile')
    return countSurvivors(profile, this.markers.length, this.interval, packageRoot())
  }

  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    this.markers = []
    // disable stops sampling without stopSampling's own profile read (a full GC).
    await post(this.session, 'HeapProfiler.disable').catch(() => undefined)
    closeSession(this.session)
  }
}

// A named function: its frame identifies the markers' samples.
function leakproofRoundMarker(): unknown[] {
  return new Array(markerLength)
}

type NodeKind = 'subject' | 'own' | 'marker'

/**
 * Sort a profile's samples into rounds by the markers' ordinals and sum the subject's bytes per
 * round. Samples whose innermost non-runtime frame is leakproof's own (its loop's compiled code,
 * its bookkeeping) are not the subject's; samples under runtime frames only are counted.
 * Exported for tests.
 */
export function countSurvivors(profile: SamplingProfile, marks: number, interval: number, root: string | null): SurvivorCount | undefined {
  const kinds = new Map<number, NodeKind>()
  const path: CallFrame[] = []
  const visit = (node: ProfileNode) => {
    path.push(node.callFrame)
    let kind: NodeKind = 'subject'
    if (path.some((f) => f.functionName === markerName)) kind = 'marker'
    else {
      let k = path.length - 1
      for (; k >= 0; k--) {
        const f = path[k]!
        if (isRuntimeFrame(f)) continue
        if (isOwnFrame(f, root)) kind = 'own'
        break
      }
      // Node's own frames only, in its async-hooks bookkeeping: the stack of async contexts
      // (execution_async_resources and its id fields) grows to the deepest nesting it has seen,
      // a one-off after the first calls of an async subject. Measured in test workers (promise
      // hooks on): the first window's only survivors, 0.2-1.7 KB each.
      if (k < 0 && path.some((f) => f.url === asyncHooksUrl)) kind = 'own'
    }
    kinds.set(node.id, kind)
    for (const child of node.children ?? []) visit(child)
    path.pop()
  }
  visit(profile.head)
  const samples = [...profile.samples].sort((a, b) => a.ordinal - b.ordinal)
  const bounds = samples.filter((s) => kinds.get(s.nodeId) === 'marker' && s.size >= markerMinBytes).map((s) => s.ordinal)
  if (bounds.length !== marks || marks < 2) return undefined
  const rounds = marks - 1
  const bytesPerRound = new Array<number>(rounds).fill(0)
  const samplesPerRound = new Array<number>(rounds).fill(0)
  let round = -1
  let largest = 0
  for (const s of samples) {
    while (round + 1 < marks && s.ordinal > bounds[round + 1]!) round++
    if (round < 0 || round >= rounds) continue
    if (kinds.get(s.nodeId) !== 'subject') continue
    bytesPerRound[round]! += scaled(s.size, interval)
    samplesPerRound[round]!++
    largest = Math.max(largest, s.size)
  }
  return { bytesPerRound, samplesPerRound, largest }
}
