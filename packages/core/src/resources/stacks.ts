// Creation stacks for resources: captured cheaply, reduced to the frames a user cares about.
//
// Capturing goes through our own Error.prepareStackTrace, which copies the few fields of the
// user's frames into plain records: no formatting, no source-map lookup (Vitest's source-map
// prepareStackTrace made a capture ~8x dearer), and nothing that holds a frame's receiver or
// function alive. A record behaves like a V8 CallSite, so when a stack is reported it goes
// through whatever prepareStackTrace is installed then (Vitest's / source-map-support's map it
// back to the original source); without one it prints like V8 does.

/** Frames captured per resource: internals come first, so this leaves room for the user's. */
const CAPTURE_LIMIT = 12
/** Frames kept after filtering. */
const KEEP_FRAMES = 6

/** Directory of leakproof's own code (…/packages/core/src or …/dist), from where this file runs. */
const ownDir = findOwnDir()

function findOwnDir(): string | undefined {
  const holder: { stack?: string } = {}
  Error.captureStackTrace(holder)
  // The first frame is this function, in this file (or in the bundle it was built into).
  const frame = holder.stack?.split('\n').find((line) => line.trim().startsWith('at '))
  const match = frame && /\(?((?:file:\/\/)?\/[^():]+|[A-Za-z]:\\[^():]+):\d+:\d+\)?\s*$/.exec(frame)
  if (!match?.[1]) return undefined
  let file = match[1]
  if (file.startsWith('file://')) file = decodeURIComponent(file.slice('file://'.length))
  const parts = file.split(/[\\/]/)
  parts.pop() // the file itself
  // src/resources/stacks.ts -> src ; dist/index.js -> dist
  if (parts[parts.length - 1] === 'resources') parts.pop()
  const dir = parts.join('/')
  return dir.length > 1 ? dir + '/' : undefined
}

// Test-runner plumbing that calls the subject: not where a resource was created.
const runnerFile = /[\\/]node_modules[\\/](?:vitest|@vitest|vite|tinypool|jest-circus|jest-runner|@jest)[\\/]/

/** True for a file of Node internals, leakproof itself or the test runner. */
export function isNoiseFile(fileName: string | null | undefined): boolean {
  if (!fileName) return true
  if (fileName.startsWith('node:') || fileName.startsWith('internal/')) return true
  if (runnerFile.test(fileName)) return true
  if (ownDir === undefined) return false
  const path = fileName.startsWith('file://') ? decodeURIComponent(fileName.slice('file://'.length)) : fileName
  return path.startsWith(ownDir)
}

/** A frame copied out of a V8 CallSite: the same methods, plain data behind them. */
export class StackFrame {
  private readonly functionName: string | null
  private readonly typeName: string | null
  private readonly methodName: string | null
  private readonly fileName: string | null
  private readonly line: number | null
  private readonly column: number | null
  private readonly flags: number
  private readonly evalOrigin: string | undefined
  private readonly promiseIndex: number | null

  constructor(site: NodeJS.CallSite) {
    this.functionName = site.getFunctionName()
    this.fileName = site.getFileName() ?? null
    this.line = site.getLineNumber()
    this.column = site.getColumnNumber()
    const toplevel = site.isToplevel()
    const ctor = site.isConstructor()
    let typeName: string | null = null
    let methodName: string | null = null
    if (!toplevel && !ctor) {
      try {
        typeName = site.getTypeName()
        methodName = site.getMethodName()
      } catch {
        // a receiver whose class name cannot be read
      }
    }
    this.typeName = typeName
    this.methodName = methodName
    const s = site as NodeJS.CallSite & { isAsync?: () => boolean; isPromiseAll?: () => boolean; getPromiseIndex?: () => number | null }
    this.flags =
      (toplevel ? 1 : 0) |
      (ctor ? 2 : 0) |
      (site.isNative() ? 4 : 0) |
      (site.isEval() ? 8 : 0) |
      (s.isAsync?.() ? 16 : 0) |
      (s.isPromiseAll?.() ? 32 : 0)
    this.evalOrigin = site.isEval() ? site.getEvalOrigin() : undefined
    this.promiseIndex = s.getPromiseIndex?.() ?? null
  }

  getThis(): undefined {
    return undefined
  }
  getFunction(): undefined {
    return undefined
  }
  getTypeName(): string | null {
    return this.typeName
  }
  getFunctionName(): string | null {
    return this.functionName
  }
  getMethodName(): string | null {
    return this.methodName
  }
  getFileName(): string | null {
    return this.fileName
  }
  getScriptNameOrSourceURL(): string | null {
    return this.fileName
  }
  getLineNumber(): number | null {
    return this.line
  }
  getColumnNumber(): number | null {
    return this.column
  }
  getEvalOrigin(): string | undefined {
    return this.evalOrigin
  }
  isToplevel(): boolean {
    return (this.flags & 1) !== 0
  }
  isConstructor(): boolean {
    return (this.flags & 2) !== 0
  }
  isNative(): boolean {
    return (this.flags & 4) !== 0
  }
  isEval(): boolean {
    return (this.flags & 8) !== 0
  }
  isAsync(): boolean {
    return (this.flags & 16) !== 0
  }
  isPromiseAll(): boolean {
    return (this.flags & 32) !== 0
  }
  getPromiseIndex(): number | null {
    return this.promiseIndex
  }

  /** `fn (file:line:col)`, like V8 prints a frame. */
  toString(): string {
    let location = this.fileName ?? '<anonymous>'
    if (this.line !== null) location += `:${this.line}` + (this.column !== null ? `:${this.column}` : '')
    const prefix = this.isAsync() ? 'async ' : ''
    let name: string
    if (this.isConstructor()) name = `new ${this.functionName ?? '<anonymous>'}`
    else if (this.isToplevel()) name = this.functionName ?? ''
    else if (this.functionName) {
      const type = this.typeName && !this.functionName.startsWith(this.typeName) ? `${this.typeName}.` : ''
      name = type + this.functionName
    } else name = `${this.typeName ?? '<anonymous>'}.${this.methodName ?? '<anonymous>'}`
    return name ? `${prefix}${name} (${location})` : `${prefix}${location}`
  }
}

/** A creation stack: the user's frames, innermost first (never empty). */
export type Frames = readonly StackFrame[]

function recordFrames(_error: unknown, sites: NodeJS.CallSite[]): StackFrame[] {
  const frames: StackFrame[] = []
  for (const site of sites) {
    if (isNoiseFile(site.getFileName())) continue
    frames.push(new StackFrame(site))
    if (frames.length === KEEP_FRAMES) break
  }
  return frames
}

/** The user's frames of the current stack (above `skip`), or undefined when there are none. */
export function captureFrames(skip: Function): Frames | undefined {
  const holder: { stack?: unknown } = {}
  const limit = Error.stackTraceLimit
  const prepare = Error.prepareStackTrace
  try {
    Error.stackTraceLimit = CAPTURE_LIMIT
    Error.prepareStackTrace = recordFrames
    Error.captureStackTrace(holder, skip)
    const frames = holder.stack as StackFrame[] | undefined
    return frames && frames.length > 0 ? frames : undefined
  } catch {
    return undefined
  } finally {
    Error.prepareStackTrace = prepare
    Error.stackTraceLimit = limit
  }
}

/** Unmapped one-line-per-frame text: a grouping key and what ignoreSites is matched against. */
export function framesKey(frames: Frames): string {
  return frames.map((f) => f.toString()).join('\n')
}

/**
 * The stack as report text, `at fn (file:line:col)` per line, mapped to original sources by the
 * installed Error.prepareStackTrace when there is one.
 */
export function formatFrames(frames: Frames): string {
  const prepare = Error.prepareStackTrace
  if (typeof prepare === 'function' && prepare !== recordFrames) {
    try {
      const text = prepare({ name: 'Error', message: '' } as Error, frames as unknown as NodeJS.CallSite[])
      if (typeof text === 'string') {
        const lines = text
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l.startsWith('at '))
        if (lines.length > 0) return lines.join('\n')
      }
    } catch {
      // fall back to V8's own format below
    }
  }
  return frames.map((f) => `at ${f.toString()}`).join('\n')
}
