// Where retained objects were allocated, from V8's sampling heap profiler.
//
// `HeapProfiler.startSampling` with both includeObjectsCollectedBy* flags false keeps only samples
// whose objects are still alive when the profile is read, so after the subject's calls and a
// settled GC the profile is a sample of what those calls retained. Samples are attributed to the
// innermost user frame (not node:internal, not leakproof itself) and aggregated per frame.
//
// V8 reports the position of the *function*, not of the allocating statement (measured, Node 20),
// and only physical frames: a function inlined by TurboFan is invisible, its allocations belong to
// the function it was inlined into (see AllocationSampling.wrap).
// Positions are made 1-based and, best effort, mapped through source maps: Node's own
// (`module.findSourceMap`, with --enable-source-maps) or an inline `data:` source map of the script
// (what Vite / Vitest's module runner and most transpilers emit), read through the inspector.
//
// The inspector may be missing (Node built without it) or refuse a session; then there are no
// sites and nothing throws.

// node:module is imported statically: a dynamic import() throws inside Jest's vm context.
import * as nodeModule from 'node:module'
import { dirname, join } from 'node:path'
import { matchesAny, type IgnorePattern } from '../options.js'
import type { AllocationSite } from '../report/types.js'
import { fileOf, isLibraryFrame, isOwnFrame, isRuntimeFrame, isUserFrame, notInlinable, packageRoot, type CallFrame } from './frames.js'
import { closeSession, post, startLiveSampling, type InspectorSession } from './inspector.js'

export interface AllocationSampling {
  /**
   * Stop sampling and return the live sampled allocations per user allocation site, most bytes
   * first. `calls`: subject calls made while sampling (for bytesPerIteration).
   */
  stop(calls: number, ignoreSites: IgnorePattern[]): Promise<AllocationSite[]>
  /**
   * The same function, called through a Proxy so V8 cannot inline it into its caller. Sampled
   * stacks hold only physical frames: once leakproof's call loop is optimised with the subject
   * inlined, every allocation of the subject is attributed to the loop (leakproof's own frame,
   * which is never a site) and no site is found. Call the subject through `wrap(subject)` while
   * sampling. Costs one Proxy call per call.
   */
  wrap<F extends (...args: never[]) => unknown>(fn: F): F
}

interface ProfileNode {
  callFrame: CallFrame
  selfSize: number
  id: number
  children: ProfileNode[]
}

interface SamplingProfile {
  head: ProfileNode
}

/** At most this many sites are returned. */
const MAX_SITES = 10
/** Sites below this share of the top site's bytes are dropped. */
const MIN_SHARE = 0.02
/** Caller frames kept per site. */
const MAX_STACK = 8

// ----------------------------------------------------------------------------- source maps

interface Position {
  file: string
  line: number // 1-based
  column: number // 1-based
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const BASE64_VALUE = new Int8Array(128).fill(-1)
for (let i = 0; i < BASE64.length; i++) BASE64_VALUE[BASE64.charCodeAt(i)] = i

interface RawSourceMap {
  version?: number
  sources?: string[]
  sourceRoot?: string
  mappings?: string
}

/** A decoded source map: per generated line, [genColumn, sourceIndex, line, column] quadruples. */
export class InlineSourceMap {
  private lines: Int32Array[] = []
  private constructor(
    private readonly sources: string[],
    mappings: string,
  ) {
    this.decode(mappings)
  }

  static parse(json: string, mapFile: string): InlineSourceMap | undefined {
    let raw: RawSourceMap
    try {
      raw = JSON.parse(json) as RawSourceMap
    } catch {
      return undefined
    }
    if (typeof raw.mappings !== 'string' || !Array.isArray(raw.sources)) return undefined
    const root = raw.sourceRoot ?? ''
    const base = dirname(fileOf(mapFile))
    const sources = raw.sources.map((src) => {
      const s = root + src
      if (s.startsWith('file://')) return fileOf(s)
      if (s.startsWith('/') || /^[a-z]+:/i.test(s)) return s
      return join(base, s)
    })
    return new InlineSourceMap(sources, raw.mappings)
  }

  private decode(mappings: string): void {
    let source = 0
    let line = 0
    let column = 0
    let segment: number[] = []
    let current: number[] = []
    let genColumn = 0
    let value = 0
    let shift = 0
    const flushSegment = () => {
      if (segment.length >= 4) {
        genColumn += segment[0]!
        source += segment[1]!
        line += segment[2]!
        column += segment[3]!
        current.push(genColumn, source, line, column)
      } else if (segment.length >= 1) {
        genColumn += segment[0]!
      }
      segment = []
    }
    for (let i = 0; i <= mappings.length; i++) {
      const ch = i < mappings.length ? mappings.charCodeAt(i) : 59 // ';' at the end
      if (ch === 44 || ch === 59) {
        flushSegment()
        if (ch === 59) {
          this.lines.push(Int32Array.from(current))
          current = []
          genColumn = 0
        }
        continue
      }
      const digit = ch < 128 ? BASE64_VALUE[ch]! : -1
      if (digit < 0) return
      value += (digit & 31) << shift
      if (digit & 32) {
        shift += 5
        continue
      }
      segment.push(value & 1 ? -(value >>> 1) : value >>> 1)
      value = 0
      shift = 0
    }
  }

  /** Original position of a generated (0-based line, 0-based column), or undefined. */
  find(line0: number, column0: number): Position | undefined {
    const segs = this.lines[line0]
    if (!segs || segs.length === 0) return undefined
    // Last segment whose generated column <= column0, else the first of the line.
    let best = 0
    for (let k = 0; k < segs.length; k += 4) {
      if (segs[k]! <= column0) best = k
      else break
    }
    const file = this.sources[segs[best + 1]!]
    if (file === undefined) return undefined
    return { file, line: segs[best + 2]! + 1, column: segs[best + 3]! + 1 }
  }
}

function decodeDataUrl(url: string): string | undefined {
  const m = /^data:application\/json(?:;charset=[^;,]+)?(;base64)?,(.*)$/s.exec(url)
  if (!m) return undefined
  try {
    return m[1] ? Buffer.from(m[2]!, 'base64').toString('utf8') : decodeURIComponent(m[2]!)
  } catch {
    return undefined
  }
}

interface NodeSourceMap {
  findEntry(line: number, column: number): { originalSource?: string; originalLine?: number; originalColumn?: number } | Record<string, never>
}

/** Vite's module runner loads some files with a query (`widgets.cjs?import`): not part of the path. */
function withoutQuery(file: string): string {
  return file.replace(/\?(?:import|v=[\w.-]+|t=\d+)(?:&[^/]*)?$/, '')
}

/** Maps positions through Node's source map cache, then through inline source maps of scripts. */
class PositionMapper {
  private readonly inline = new Map<string, InlineSourceMap | null>()
  private findSourceMap: ((path: string) => NodeSourceMap | undefined) | undefined

  constructor(
    private readonly sourceMapUrls: Map<string, string>,
    findSourceMap: ((path: string) => NodeSourceMap | undefined) | undefined,
  ) {
    this.findSourceMap = findSourceMap
  }

  map(frame: CallFrame): Position {
    const pos = this.mapRaw(frame)
    return { ...pos, file: withoutQuery(pos.file) }
  }

  private mapRaw(frame: CallFrame): Position {
    const file = withoutQuery(fileOf(frame.url))
    const fallback = { file, line: frame.lineNumber + 1, column: frame.columnNumber + 1 }
    try {
      const nodeMap = this.findSourceMap?.(file) ?? (file !== frame.url ? this.findSourceMap?.(frame.url) : undefined)
      if (nodeMap) {
        const e = nodeMap.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string; originalLine?: number; originalColumn?: number }
        if (e && typeof e.originalSource === 'string' && typeof e.originalLine === 'number') {
          return { file: fileOf(e.originalSource), line: e.originalLine + 1, column: (e.originalColumn ?? 0) + 1 }
        }
      }
      const url = this.sourceMapUrls.get(frame.scriptId)
      if (url) {
        let map = this.inline.get(frame.scriptId)
        if (map === undefined) {
          const json = decodeDataUrl(url)
          map = (json !== undefined && InlineSourceMap.parse(json, file)) || null
          this.inline.set(frame.scriptId, map)
        }
        const pos = map?.find(frame.lineNumber, frame.columnNumber)
        if (pos) return pos
      }
    } catch {
      // Best effort: fall back to the generated position.
    }
    return fallback
  }
}

/** Inline source map URLs of the given scripts, from the debugger's scriptParsed events. */
async function inlineSourceMapUrls(session: InspectorSession, scriptIds: Set<string>): Promise<Map<string, string>> {
  const urls = new Map<string, string>()
  if (scriptIds.size === 0) return urls
  const listener = (message: { params: unknown }) => {
    const p = message.params as { scriptId?: string; sourceMapURL?: string }
    if (p.scriptId && scriptIds.has(p.scriptId) && p.sourceMapURL && p.sourceMapURL.startsWith('data:')) {
      urls.set(p.scriptId, p.sourceMapURL)
    }
  }
  session.on('Debugger.scriptParsed', listener)
  try {
    // Enabling the debugger replays scriptParsed for every script already compiled.
    await post(session, 'Debugger.enable')
    await post(session, 'Debugger.disable')
  } catch {
    // No debugger domain: no inline maps.
  } finally {
    session.removeListener('Debugger.scriptParsed', listener)
  }
  return urls
}

// ----------------------------------------------------------------------------- aggregation

function frameText(name: string, pos: Position): string {
  return `${name} (${pos.file}:${pos.line}:${pos.column})`
}

interface SiteAcc {
  frame: CallFrame
  bytes: number
  /** Bytes per distinct caller chain; the heaviest is reported. */
  stacks: Map<string, { frames: CallFrame[]; bytes: number }>
  /** The frame is the subject itself: its nearest non-runtime caller is leakproof's own frame. */
  subject: boolean
  /** Library (node_modules) frames that allocated on this frame's behalf, outermost first, by bytes. */
  libraries: Map<string, { frames: CallFrame[]; bytes: number }>
}

/** Aggregate a sampling profile by innermost user frame. Exported for tests. */
export function aggregateProfile(head: ProfileNode, root: string | null): SiteAcc[] {
  const sites = new Map<string, SiteAcc>()
  const path: ProfileNode[] = []
  const visit = (node: ProfileNode) => {
    path.push(node)
    if (node.selfSize > 0) {
      // The innermost user frame, looking through builtins and Node internals. An allocation
      // whose innermost non-runtime frame is leakproof's own is leakproof's, not the caller's.
      let top = -1
      for (let k = path.length - 1; k >= 0; k--) {
        const f = path[k]!.callFrame
        if (isRuntimeFrame(f)) continue
        if (!isOwnFrame(f, root)) top = k
        break
      }
      // Library code (node_modules) allocating on behalf of its caller: the site is the first
      // frame outside node_modules (the user's component or test), the library frames go below.
      let library: CallFrame[] = []
      if (top >= 0 && isLibraryFrame(path[top]!.callFrame)) {
        for (let k = top - 1; k >= 0; k--) {
          const c = path[k]!.callFrame
          if (isRuntimeFrame(c)) continue
          if (isOwnFrame(c, root)) break
          if (!isLibraryFrame(c)) {
            library = path
              .slice(k + 1, top + 1)
              .map((p) => p.callFrame)
              .filter((f) => !isRuntimeFrame(f))
            top = k
            break
          }
        }
      }
      if (top >= 0) {
        const f = path[top]!.callFrame
        const key = `${f.functionName}\u0000${f.url}\u0000${f.lineNumber}\u0000${f.columnNumber}`
        let site = sites.get(key)
        if (!site) {
          site = { frame: f, bytes: 0, stacks: new Map(), libraries: new Map(), subject: false }
          sites.set(key, site)
        }
        // Called by leakproof's loop (through the Proxy of `wrap`, a runtime frame): the subject.
        for (let k = top - 1; k >= 0; k--) {
          const c = path[k]!.callFrame
          if (isRuntimeFrame(c)) continue
          if (isOwnFrame(c, root)) site.subject = true
          break
        }
        site.bytes += node.selfSize
        if (library.length > 0) {
          const libKey = library.map((c) => `${c.functionName}@${c.url}:${c.lineNumber}:${c.columnNumber}`).join('\n')
          const lib = site.libraries.get(libKey)
          if (lib) lib.bytes += node.selfSize
          else site.libraries.set(libKey, { frames: library, bytes: node.selfSize })
        }
        const callers: CallFrame[] = []
        for (let k = top - 1; k >= 0 && callers.length < MAX_STACK; k--) {
          const c = path[k]!.callFrame
          if (c.url === '' || !isUserFrame(c, root)) continue
          callers.push(c)
        }
        const stackKey = callers.map((c) => `${c.functionName}@${c.url}:${c.lineNumber}:${c.columnNumber}`).join('\n')
        const st = site.stacks.get(stackKey)
        if (st) st.bytes += node.selfSize
        else site.stacks.set(stackKey, { frames: callers, bytes: node.selfSize })
      }
    }
    for (const child of node.children ?? []) visit(child)
    path.pop()
  }
  visit(head)
  return [...sites.values()]
}

const noSampling: AllocationSampling = { stop: async () => [], wrap: (fn) => fn }

/**
 * Start V8's sampling heap profiler (one sample per `intervalBytes` allocated on average).
 * Resolves to a handle whose `stop` returns the allocation sites; never rejects (without an
 * inspector the sites are empty).
 */
export async function startAllocationSampling(intervalBytes = 512): Promise<AllocationSampling> {
  const session = await startLiveSampling(intervalBytes)
  if (!session) return noSampling
  const close = () => closeSession(session)
  let stopped = false
  return {
    wrap: notInlinable,
    async stop(calls: number, ignoreSites: IgnorePattern[]): Promise<AllocationSite[]> {
      if (stopped) return []
      stopped = true
      try {
        const { profile } = await post<{ profile: SamplingProfile }>(session, 'HeapProfiler.getSamplingProfile')
        await post(session, 'HeapProfiler.stopSampling').catch(() => undefined)
        await post(session, 'HeapProfiler.disable').catch(() => undefined)
        const root = packageRoot()
        const accs = aggregateProfile(profile.head, root)
        if (accs.length === 0) return []
        const ids = new Set(accs.flatMap((a) => [a.frame.scriptId, ...[...a.stacks.values()].flatMap((s) => s.frames.map((f) => f.scriptId))]))
        const urls = await inlineSourceMapUrls(session, ids)
        const findSourceMap = (nodeModule as unknown as { findSourceMap?: (path: string) => NodeSourceMap | undefined }).findSourceMap
        const mapper = new PositionMapper(urls, findSourceMap)
        const perCall = calls > 0 ? calls : 1
        const sites: AllocationSite[] = []
        for (const acc of accs) {
          const pos = mapper.map(acc.frame)
          const functionName = acc.frame.functionName || '(anonymous)'
          const heaviest = [...acc.stacks.values()].sort((x, y) => y.bytes - x.bytes)[0]
          const stack = (heaviest?.frames ?? []).map((f) => frameText(f.functionName || '(anonymous)', mapper.map(f)))
          const lib = [...acc.libraries.values()].sort((x, y) => y.bytes - x.bytes)[0]
          const library = (lib?.frames ?? []).map((f) => frameText(f.functionName || '(anonymous)', mapper.map(f)))
          const text = frameText(functionName, pos)
          if (ignoreSites.length > 0 && (matchesAny(text, ignoreSites) || stack.some((line) => matchesAny(line, ignoreSites)))) continue
          sites.push({
            functionName,
            file: pos.file,
            line: pos.line,
            column: pos.column,
            bytesPerIteration: acc.bytes / perCall,
            stack,
            ...(library.length > 0 ? { library } : {}),
            ...(acc.subject ? { subject: true } : {}),
          })
        }
        sites.sort((x, y) => y.bytesPerIteration - x.bytesPerIteration)
        // Sites far below the top one are noise (code warm-up attributed to a caller, a cache
        // entry filled once).
        const floor = (sites[0]?.bytesPerIteration ?? 0) * MIN_SHARE
        return sites.filter((site) => site.bytesPerIteration >= floor).slice(0, MAX_SITES)
      } catch {
        return []
      } finally {
        close()
      }
    },
  }
}

/** Exported for tests: the package root used to skip leakproof's own frames. */
export function ownPackageRoot(): string | null {
  return packageRoot()
}
