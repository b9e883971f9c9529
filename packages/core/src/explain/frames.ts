// Which stack frames are whose: the subject's (user code), Node's and V8's own (runtime), or
// leakproof's. Used to attribute sampled allocations (allocation sites, survivor screening).
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { packageRoot } from '../report/paths.js'

export { packageRoot }

export interface CallFrame {
  functionName: string
  scriptId: string
  url: string
  lineNumber: number
  columnNumber: number
}

export function fileOf(url: string): string {
  if (url.startsWith('file://')) {
    try {
      return fileURLToPath(url)
    } catch {
      return url
    }
  }
  return url
}

/** Builtins, natives and Node's own JavaScript: looked through to find the user frame. */
export function isRuntimeFrame(frame: CallFrame): boolean {
  const url = frame.url
  return url === '' || url.startsWith('node:') || url.startsWith('internal/') || url.startsWith('evalmachine')
}

/**
 * leakproof's own code (its loop calling the subject, its bookkeeping): this package and its
 * sibling adapters, which sit next to it both installed (`node_modules/@leakproof/*`) and in the
 * monorepo (`packages/*`). The Vitest adapter's per-test loop showed up as a caller otherwise.
 */
export function isOwnFrame(frame: CallFrame, root: string | null): boolean {
  if (root === null || isRuntimeFrame(frame)) return false
  const file = fileOf(frame.url)
  const siblings = dirname(root)
  return [root, ...['vitest', 'jest', 'cli'].map((name) => join(siblings, name))].some((dir) => {
    if (!file.startsWith(dir + '/')) return false
    const rest = file.slice(dir.length)
    return !rest.startsWith('/node_modules/') && !rest.startsWith('/test/')
  })
}

/**
 * Code of an installed package (a path through `node_modules`): jsdom, React, a client library.
 * Allocation sites look past it to the first frame of the user's own code.
 */
export function isLibraryFrame(frame: CallFrame): boolean {
  return !isRuntimeFrame(frame) && /[\\/]node_modules[\\/]/.test(fileOf(frame.url))
}

/** A frame that can be an allocation site: user code, not Node internals / natives / leakproof. */
export function isUserFrame(frame: CallFrame, root: string | null): boolean {
  return !isRuntimeFrame(frame) && !isOwnFrame(frame, root)
}


/**
 * The same function behind a Proxy, which V8 cannot inline into its caller. Sampled stacks hold
 * only physical frames: once leakproof's call loop is optimised with the subject inlined, the
 * subject's allocations would be attributed to the loop, leakproof's own frame. One Proxy call
 * per call.
 */
export function notInlinable<F extends (...args: never[]) => unknown>(fn: F): F {
  return new Proxy(fn, {})
}
