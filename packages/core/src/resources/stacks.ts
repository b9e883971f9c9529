// Creation stacks for resources, captured cheaply and reduced to the frames a user cares about.

/** Frames captured per resource; internals come first, so this leaves room for ~6 user frames. */
const CAPTURE_LIMIT = 14
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

const internalFrame = /\((?:node:|internal\/)|at (?:node:|internal\/)|\(native\)|<anonymous>\)?$/
// Test-runner plumbing that calls the subject: not where a resource was created.
const runnerFrame = /[\\/]node_modules[\\/](?:vitest|@vitest|tinypool|jest-circus|jest-runner|@jest)[\\/]/

/** True for frames of Node internals, leakproof itself and the test runner. */
export function isNoiseFrame(line: string): boolean {
  if (internalFrame.test(line) || runnerFrame.test(line)) return true
  return ownDir !== undefined && line.includes(ownDir)
}

/** Keep the user's frames of a V8 stack string, as `at fn (file:line:col)` lines. */
export function cleanStack(raw: string | undefined): string | undefined {
  if (!raw) return undefined
  const frames: string[] = []
  for (const line of raw.split('\n')) {
    const trimmed = line.trim()
    if (!trimmed.startsWith('at ') || isNoiseFrame(trimmed)) continue
    frames.push(trimmed)
    if (frames.length === KEEP_FRAMES) break
  }
  return frames.length > 0 ? frames.join('\n') : undefined
}

/**
 * The current stack, formatted right away: a structured stack kept for later would hold its
 * frames' receivers and functions alive (the resource itself, for a constructor frame).
 */
export function captureStack(skip: Function): string | undefined {
  const holder: { stack?: string } = {}
  const limit = Error.stackTraceLimit
  try {
    Error.stackTraceLimit = CAPTURE_LIMIT
    Error.captureStackTrace(holder, skip)
    return cleanStack(holder.stack)
  } catch {
    return undefined
  } finally {
    Error.stackTraceLimit = limit
  }
}
