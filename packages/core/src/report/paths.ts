// Paths a user can paste: every file a report names (allocation sites, their callers, creation
// stacks of handles, test files, snapshots) relative to the project root, with forward slashes,
// and leakproof's own frames cut from the stacks a user reads. One place for all the formats: the
// engine applies it when it builds a report (so the summary, the LeakError message and the run
// report's JSON already hold relative paths), the CLI applies it again to whatever it reads (older
// reports, reports written elsewhere). Engine-free: part of `@leakproof/core/report`.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { LeakReport } from './types.js'

/** Environment variable naming the project root (absolute); default: the working directory. */
export const rootEnv = 'LEAKPROOF_ROOT'

/** The project root reports are relative to: `$LEAKPROOF_ROOT` when it is an absolute path, else `process.cwd()`. */
export function projectRoot(): string {
  const env = process.env[rootEnv]
  if (env && (env.startsWith('/') || /^[A-Za-z]:[\\/]/.test(env))) return env
  return process.cwd()
}

const slashes = (p: string) => p.replace(/\\/g, '/')
const trimSlash = (p: string) => (p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p)

/** A `file://` URL as a path (anything else unchanged). */
function urlToPath(file: string): string {
  if (!file.startsWith('file://')) return file
  try {
    return fileURLToPath(file)
  } catch {
    return file
  }
}

/**
 * A file as reports name it: a `file://` URL becomes a path; a path inside `root` becomes relative
 * to it, with forward slashes (`src/x.ts`, `node_modules/pkg/index.js`). Anything else (a path
 * outside the root, `node:fs`, `<anonymous>`) is returned unchanged, apart from the URL decoding.
 */
export function relativePath(file: string, root: string = projectRoot()): string {
  const path = urlToPath(file)
  const r = trimSlash(slashes(root))
  if (!r) return path
  const p = slashes(path)
  // Drive letters compare case-insensitively on Windows; everything else exactly.
  const same = /^[A-Za-z]:/.test(r) ? p.toLowerCase().startsWith(r.toLowerCase() + '/') : p.startsWith(r + '/')
  return same ? p.slice(r.length + 1) : path
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * Free text (a stack, a frame `fn (file:line:col)`) with its `file://` URLs turned into paths and
 * the paths inside `root` made relative to it.
 */
export function relativizeText(text: string, root: string = projectRoot()): string {
  let out = text.replace(/file:\/\/[^\s()'"]+/g, (url) => {
    // A frame's URL ends in :line:col, which fileURLToPath keeps.
    return urlToPath(url)
  })
  const r = trimSlash(root)
  if (!r || r === '/') return out
  const variants = new Set([r, slashes(r), r.replace(/\//g, '\\')])
  for (const v of variants) {
    const sep = v.includes('\\') && !v.includes('/') ? '\\\\' : '/'
    out = out.replace(new RegExp(`(^|[\\s(\\[,'"=@])${escapeRegExp(v)}${sep}([^\\s()'"]*)`, 'g'), (_m, before: string, rest: string) => before + slashes(rest))
  }
  return out
}

// ----------------------------------------------------------------------------- own frames

/** Installed copies of leakproof, however the package manager lays them out (npm, pnpm, yarn). */
const installed = /[\\/]node_modules[\\/](?:\.pnpm[\\/][^\\/]*[\\/]node_modules[\\/])?@leakproof[\\/]/

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


let ownDirsCache: string[] | undefined

/**
 * The directories of leakproof's own code on this machine: `dist` and `src` of `@leakproof/core`
 * and of its sibling packages (the adapters and the CLI, next to it both installed and in the
 * monorepo). Found from where this module runs.
 */
export function leakproofDirs(): string[] {
  if (ownDirsCache) return ownDirsCache
  const dirs: string[] = []
  const root = packageRoot()
  if (root) {
    const siblings = dirname(root)
    for (const p of [root, ...['vitest', 'jest', 'cli'].map((n) => join(siblings, n))]) {
      dirs.push(slashes(join(p, 'dist')) + '/', slashes(join(p, 'src')) + '/')
    }
  }
  ownDirsCache = dirs
  return dirs
}

/**
 * Whether one line of a stack (`    at fn (file:line:col)`) is a frame of leakproof's own code: an
 * installed `@leakproof/*` package, or (on the machine that ran the check) the `dist`/`src` of
 * leakproof's packages. Lines that are not frames are never leakproof's.
 */
export function isLeakproofFrame(line: string, ownDirs: readonly string[] = leakproofDirs()): boolean {
  if (!/^\s*at\s/.test(line)) return false
  if (installed.test(line)) return true
  if (ownDirs.length === 0) return false
  const text = slashes(line.replace(/file:\/\/[^\s()'"]+/g, (url) => urlToPath(url)))
  return ownDirs.some((dir) => text.includes(dir))
}

/** A stack's frames (`at …` lines) without leakproof's own; other lines are kept. */
export function cutOwnFrames(stack: string, ownDirs: readonly string[] = leakproofDirs()): string {
  return stack
    .split('\n')
    .filter((line) => !isLeakproofFrame(line, ownDirs))
    .join('\n')
}

/**
 * An error's `stack` with leakproof's frames cut: the header (`Name: message`, however many lines
 * the message has) stays, then the frames that are not leakproof's. No-op when the stack does not
 * start with the message (a runner rewrote it).
 */
export function cutOwnErrorFrames(error: Error, ownDirs: readonly string[] = leakproofDirs()): void {
  let stack: unknown
  try {
    stack = error.stack
  } catch {
    return
  }
  if (typeof stack !== 'string') return
  const at = error.message ? stack.indexOf(error.message) : -1
  if (at < 0) return
  const end = at + error.message.length
  const frames = stack.slice(end).split('\n').slice(1)
  const kept = frames.filter((line) => !isLeakproofFrame(line, ownDirs))
  if (kept.length === frames.length) return
  // The header as V8 wrote it may name the base class: the name is set after construction.
  error.stack = `${error.name}: ${error.message}${kept.length ? '\n' + kept.join('\n') : ''}`
}

// ----------------------------------------------------------------------------- whole reports

/**
 * A leak report with the files it names relative to `root` and leakproof's frames cut from its
 * stacks: allocation sites and their callers, handles' creation stacks, heap snapshot paths. The
 * summary text is left alone (rebuild it from the result). Pure: returns a copy.
 */
export function relativizeReport<R extends LeakReport>(report: R, root: string = projectRoot(), ownDirs: readonly string[] = leakproofDirs()): R {
  return {
    ...report,
    allocationSites: (report.allocationSites ?? []).map((s) => ({
      ...s,
      file: relativePath(s.file, root),
      stack: s.stack.filter((f) => !isLeakproofFrame(`at ${f}`, ownDirs)).map((f) => relativizeText(f, root)),
      ...(s.library ? { library: s.library.map((f) => relativizeText(f, root)) } : {}),
    })),
    resources: (report.resources ?? []).map((r) =>
      r.stack === undefined ? r : { ...r, stack: relativizeText(cutOwnFrames(r.stack, ownDirs), root) },
    ),
    snapshots: (report.snapshots ?? []).map((p) => relativePath(p, root)),
  }
}
