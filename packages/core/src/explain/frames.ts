// Which stack frames are whose: the subject's (user code), Node's and V8's own (runtime), or
// leakproof's. Used to attribute sampled allocations (allocation sites, survivor screening).
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface CallFrame {
  functionName: string
  scriptId: string
  url: string
  lineNumber: number
  columnNumber: number
}

/** The directory of this package (`@leakproof/core`), whose frames are never the allocation site. */
let ownRoot: string | null | undefined
export function packageRoot(): string | null {
  if (ownRoot !== undefined) return ownRoot
  ownRoot = null
  try {
    // import.meta.url first: `node -e` defines a global __filename ('[eval]') that an ESM build
    // would otherwise pick up. In the CJS build import.meta is empty and __filename is real.
    const metaUrl = (import.meta as { url?: string }).url
    let dir = dirname(metaUrl ? fileURLToPath(metaUrl) : typeof __filename === 'string' ? __filename : '.')
    for (let k = 0; k < 6; k++) {
      const pkg = join(dir, 'package.json')
      if (existsSync(pkg)) {
        const name = (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name
        if (name === '@leakproof/core') {
          ownRoot = dir
          break
        }
      }
      const up = dirname(dir)
      if (up === dir) break
      dir = up
    }
  } catch {
    ownRoot = null
  }
  return ownRoot
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
