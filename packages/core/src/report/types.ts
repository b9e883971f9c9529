// The data a measurement produces. Flows one way: run -> samples -> verdict -> report.

/** Why a verdict is a leak. */
export type LeakKind = 'heap' | 'external' | 'resources' | 'listeners'

/** One heap sample taken after a full, settled GC. */
export interface HeapSeries {
  /** Calls of the subject made (after warm-up) when each sample was taken. */
  iteration: number[]
  /**
   * Heap at each point: with the survivor screen, the heap at the window's start plus the bytes of
   * the window's objects allocated up to that point and still alive at its end; with the
   * heap-reading screen, `heapUsed` less code spaces after a full GC.
   */
  heapUsed: number[]
  external: number[]
  arrayBuffers: number[]
}

/** A constructor / V8 node type whose live objects grew with the calls. */
export interface RetainedType {
  /** Constructor or V8 node name, e.g. `Session`, `Array`, `(string)`. */
  name: string
  /** V8 node type: object, closure, string, array, number, ... */
  nodeType: string
  /** Objects of this type allocated per call and still alive. */
  countPerIteration: number
  /** Self bytes of those objects per call. */
  bytesPerIteration: number
  /** How many such objects were found alive in the final snapshot. */
  retainedCount: number
  retainedBytes: number
  /**
   * Only for a tree of DOM nodes (jsdom, happy-dom) made per call: `name` is its root's public
   * interface (`HTMLDivElement`), the counts are trees, the bytes everything the tree holds.
   */
  dom?: DomTreeInfo
}

/** A retained DOM tree: where it is, how big, who holds it (in DOM terms). */
export interface DomTreeInfo {
  library: 'jsdom' | 'happy-dom'
  /** Not in the document (its tree's root is not a document). */
  detached: boolean
  /** DOM nodes in the tree, its root included (elements, text, comments). */
  nodes: number
  /** e.g. `'resize' listener on window (onResize)`, `MutationObserver callback (onChange)`. */
  holder?: string
}

/** One step of a retainer path: the edge followed, then the object reached. */
export interface RetainerStep {
  /** Edge name: property, variable, element index (`[3]`), or internal slot. */
  edge: string
  /** V8 edge type: property, element, context, internal, hidden, shortcut, weak. */
  edgeType: string
  /** Name of the object reached (constructor or V8 node name). */
  name: string
  nodeType: string
  /** The same step repeated this many times in a row (a linked list, a cons-string chain). */
  repeat?: number
}

/** Shortest path from a GC root to a leaked object, clustered: `count` objects share it. */
export interface RetainerPath {
  /** The leaked type this path explains. */
  type: string
  count: number
  steps: RetainerStep[]
  /** e.g. `(global) -> sessions (Map) -> table -> Session` */
  text: string
}

/** Where retained objects were allocated, from V8's sampling heap profiler. */
export interface AllocationSite {
  functionName: string
  /**
   * File path, source-mapped when a map is available: relative to the project root, with forward
   * slashes, when inside it (see report/paths.ts); absolute otherwise.
   */
  file: string
  /** 1-based line and column of the function (V8 reports the function, not the statement). */
  line: number
  column: number
  bytesPerIteration: number
  /** Callers, innermost first, as `fn (file:line:col)`. */
  stack: string[]
  /**
   * When the allocating code is a library's (a path through `node_modules`: jsdom, React), the
   * site is the first frame outside node_modules that called it, and these are the library's
   * frames that allocated, outermost (what the site called) first. Absent otherwise.
   */
  library?: string[]
  /**
   * True when the site is the subject itself (the function leakproof called): V8 attributes the
   * allocations of every function it inlined into the subject to the subject, so the allocating
   * statement may be in a function the subject calls. Absent otherwise.
   */
  subject?: boolean
}

/** An active resource (timer, socket, server, ...) the subject created and never released. */
export interface ResourceLeak {
  /** e.g. `Timeout`, `TCPServerWrap`, `FSEventWrap`, `fd`. */
  type: string
  countPerIteration: number
  retainedCount: number
  /** Creation stack of one instance (async_hooks), when captured. */
  stack?: string
}

/** Listener count growth on an EventEmitter / EventTarget. */
export interface ListenerLeak {
  /** e.g. `AbortSignal`, `EventEmitter`, `Server`. */
  target: string
  event: string
  countPerIteration: number
  retainedCount: number
  /** Where the target is reachable from, when known. */
  path?: string
}

/** Garbage collections observed while measuring (PerformanceObserver 'gc' entries). */
export interface GcStats {
  /** Full collections forced by leakproof. */
  forced: number
  /** Scavenges (young generation) seen. */
  minor: number
  /** Mark-compacts (full) seen, forced ones included. */
  major: number
  incremental: number
  weakCallbacks: number
  /** Milliseconds spent in the collections observed. */
  gcTimeMs: number
}

/** One step of how the verdict was reached, for explainability. */
export interface DecisionStep {
  /** `timeout`: the time budget ran out, and this step says what the evidence so far decided. */
  stage: 'warmup' | 'screen' | 'confirm' | 'resources' | 'abort' | 'timeout'
  /** Calls of the subject made during this step. */
  iterations: number
  /** Estimated retained growth in bytes per call (heap, code excluded where known). */
  bytesPerIteration: number
  externalBytesPerIteration?: number
  outcome: 'clean' | 'suspect' | 'leak' | 'inconclusive'
  note: string
}

/**
 * The outcome of a check: `leak` (`leaked` is true), `clean`, or `inconclusive`: it ran out of
 * time (the `timeout` option) before the evidence decided, and is not reported as a leak.
 */
export type LeakVerdict = 'leak' | 'clean' | 'inconclusive'

/** Why a check is inconclusive: how far it got before its time budget ran out. */
export interface InconclusiveDetail {
  /** What ended the check undecided: its time budget (the `timeout` option). */
  reason: 'timeout'
  /** The stage the check had reached: warm-up, the screen, or the heap-snapshot confirmation. */
  stage: 'warmup' | 'screen' | 'confirm'
  /**
   * What was left undecided and why the check escalated, e.g. `the screen suspected growth of
   * 3 B/call of JS heap; heap snapshots did not confirm it before the 60 s budget`.
   */
  detail: string
  /** Growth per call the screen suspected (the larger of heap and external), when it did. */
  suspectedBytesPerIteration?: number
  /** Calls of the subject made, warm-up included. */
  calls: number
  /** Mean time one call of the subject took, in ms (the calls alone: GCs and snapshots excluded). */
  msPerCall: number
  /** The time budget, in ms (the `timeout` option). */
  timeoutMs: number
}

export interface LeakReport {
  leaked: boolean
  /** `leak`, `clean`, or `inconclusive` (out of time before the evidence decided; `leaked` is false). */
  verdict: LeakVerdict
  /** Only for verdict `inconclusive`: the stage reached, what was undecided, the subject's pace. */
  inconclusive?: InconclusiveDetail
  /** Which kinds of evidence made it a leak (empty when clean). */
  kinds: LeakKind[]
  /** Calls measured after warm-up (all stages). */
  iterations: number
  warmupIterations: number
  /** Estimated retained JS heap growth per call. */
  bytesPerIteration: number
  /** Estimated retained `external` (Buffers, native) growth per call. */
  externalBytesPerIteration: number
  /** The heap series the screening verdict used. */
  samples: HeapSeries
  retainedTypes: RetainedType[]
  retainerPaths: RetainerPath[]
  allocationSites: AllocationSite[]
  resources: ResourceLeak[]
  listeners: ListenerLeak[]
  gc: GcStats
  decision: DecisionStep[]
  /** Paths of heap snapshots written (only with `snapshotDir`). */
  snapshots: string[]
  durationMs: number
  /** Human-readable explanation, one paragraph per finding. */
  summary: string
  runtime: { node: string; v8: string; gc: 'expose-gc' | 'runtime-flag' }
}

/**
 * `run.options` of a run report: how the run's leak checks were configured. JSON-safe: RegExps in
 * `ignore` lists are written as `/source/flags` strings.
 */
export interface RunOptions {
  /** Options every leak check of the run starts from (Vitest: the plugin's `options`). Absent: the engine's defaults. */
  defaults?: Record<string, unknown>
  /**
   * Per-test mode on for every test (Vitest: the plugin's `eachTest`; Jest: the leakproof test
   * environment). When false, only tests that opt in are checked that way.
   */
  eachTest?: boolean
  /** The options per-test mode's checks use, `defaults` included (Jest: testEnvironmentOptions.leakproof). */
  eachTestOptions?: Record<string, unknown>
  /** Tests per-test mode leaves out, by name (Jest's `exclude`: substrings or `/regex/flags`). */
  exclude?: string[]
  /** Only when the projects of a run were configured differently: each project's options, by project name. */
  projects?: Record<string, RunOptions>
}
