// The test timeout the adapters give leak checks. A verdict takes forced GCs and, for a suspected
// leak, heap snapshots: seconds, and tens of seconds on a busy machine or in a big heap. Vitest's
// and Jest's default test timeout (5 s) would cut `toLeak()` short; the engine has its own
// timeout (`timeout`, default 60 s) whose error says what to change.
import { defaultOptions } from '../options.js'

/** Lowest test timeout the adapters set. */
const minTestTimeout = 60_000

/**
 * The test timeout for checks with this engine `timeout`: twice it, so that the engine's own
 * timeout error comes first, and at least 60 s. 120 s for the engine's default 60 s.
 */
export function testTimeoutFor(engineTimeout: number = defaultOptions.timeout): number {
  return Math.max(minTestTimeout, 2 * engineTimeout)
}

/**
 * What a setup file should raise the framework's test timeout to, or undefined to leave it.
 * Raised only while it is the framework's default (`frameworkDefault`, 5 s in Vitest and Jest):
 * a project that configured a timeout of its own, longer or shorter, keeps it. (A project that
 * set exactly the default cannot be told apart from one that set none.)
 */
export function raisedTestTimeout(
  current: number,
  frameworkDefault: number,
  engineTimeout: number = defaultOptions.timeout,
): number | undefined {
  if (current !== frameworkDefault) return undefined
  const wanted = testTimeoutFor(engineTimeout)
  return wanted > current ? wanted : undefined
}
