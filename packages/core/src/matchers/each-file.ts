// Per-test mode at suite scale: the tests of a file (or of a describe block with its own
// beforeAll/afterAll) that passed their first run are screened together — each repeat runs every
// one of them once, with its hooks — and only a group the screen does not clear is split in two
// and screened again, down to single tests, which get the full per-test check (heap snapshots,
// the report). A clean file costs one screen instead of one check per test.
import { SubjectError } from '../errors.js'
import { screenLeakOf, screenedClean } from '../measure.js'
import type { LeakOptions } from '../options.js'
import type { LeakReport } from '../report/types.js'
import { fitToGroup, fitToTest } from './fit.js'
import { checkRepeatedTest, recordCheckedTest, type RepeatCheck } from './each-test.js'

/** A test that passed its first run, waiting for its group's screen. */
export interface QueuedTest extends RepeatCheck {
  /** How long its first run took (hooks included), in ms: sizes the runs. */
  firstRunMs: number
  /** The timeout per-test checks get at least (the adapter's floor). */
  minTimeout?: number
}

/** A test the checks failed: its leak, its own error from a repeat, or an engine error. */
export interface TestFailure {
  test: QueuedTest
  error: unknown
}

/** How the tests of a queue were decided: for the adapters' bookkeeping and for tests. */
export interface GroupCheckStats {
  /** Screens of two or more tests run together. */
  groupScreens: number
  /** Full per-test checks. */
  singleChecks: number
}

// The error a repeated group run threw, with the test that threw it.
class GroupRunError extends Error {
  constructor(
    readonly test: QueuedTest,
    override readonly cause: unknown,
  ) {
    super('a test of the group failed when repeated')
  }
}

/**
 * Groups of tests that can be screened as one subject: same leak options (a test's own options,
 * a threshold say, apply to its own verdict). Order within a group is run order. Pure.
 */
export function groupByOptions<T extends { options: LeakOptions }>(tests: T[]): T[][] {
  const groups = new Map<string, T[]>()
  for (const test of tests) {
    const key = optionsKey(test.options)
    const group = groups.get(key)
    if (group) group.push(test)
    else groups.set(key, [test])
  }
  return [...groups.values()]
}

/**
 * A key for leak options: RegExps by source and flags; other objects that are not plain data (an
 * AbortSignal) by their kind, since they do not change what a verdict means.
 */
export function optionsKey(options: LeakOptions): string {
  return JSON.stringify(options, (_key, value: unknown) => {
    if (Object.prototype.toString.call(value) === '[object RegExp]') return `/${(value as RegExp).source}/${(value as RegExp).flags}`
    if (typeof value === 'function') return '(function)'
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const proto = Object.getPrototypeOf(value) as object | null
      if (proto !== null && proto !== Object.prototype && Object.getPrototypeOf(proto) !== null) {
        return `(${(value as object).constructor?.name ?? 'object'})`
      }
    }
    return value
  })
}

/** The two halves a group the screen did not clear is split into. Pure. */
export function halves<T>(group: T[]): [T[], T[]] {
  const mid = Math.ceil(group.length / 2)
  return [group.slice(0, mid), group.slice(mid)]
}

/**
 * Check queued tests: screen each group, bisect the groups the screen does not clear, run the
 * full per-test check on single tests. Every test gets its run-report record. Resolves with the
 * tests that failed (a leak, an inconclusive check under { inconclusive: 'fail' }, a repeat that
 * threw) and their errors, framed as checkRepeatedTest frames them; never rejects for a test.
 */
export async function checkQueuedTests(queue: QueuedTest[], stats?: GroupCheckStats): Promise<TestFailure[]> {
  const failures: TestFailure[] = []
  for (const group of groupByOptions(queue)) await bisect(group, failures, stats)
  return failures
}

async function bisect(group: QueuedTest[], failures: TestFailure[], stats: GroupCheckStats | undefined): Promise<void> {
  if (group.length === 0) return
  if (group.length === 1) {
    const test = group[0]!
    if (stats) stats.singleChecks++
    try {
      await checkRepeatedTest({ ...test, options: fitToTest(test.options, test.firstRunMs, test.minTimeout) })
    } catch (error) {
      failures.push({ test, error })
    }
    return
  }
  if (stats) stats.groupScreens++
  const screened = await screenGroup(group)
  if (screened.clean) {
    for (const test of group) recordCheckedTest(test.test, 'clean', { report: screened.report! })
    return
  }
  if (screened.failed) {
    // The test that threw when repeated gets its own check (which reports its error as its own);
    // the others are screened again without it.
    const failed = screened.failed
    await bisect([failed], failures, stats)
    await bisect(
      group.filter((t) => t !== failed),
      failures,
      stats,
    )
    return
  }
  const [left, right] = halves(group)
  await bisect(left, failures, stats)
  await bisect(right, failures, stats)
}

interface GroupScreen {
  clean: boolean
  report?: LeakReport
  /** The test whose repeat threw. */
  failed?: QueuedTest
}

async function screenGroup(group: QueuedTest[]): Promise<GroupScreen> {
  const first = group[0]!
  const runMs = group.reduce((sum, t) => sum + t.firstRunMs, 0)
  const options = fitToGroup(first.options, runMs, first.minTimeout)
  const subject = async () => {
    for (const test of group) {
      try {
        await test.run()
      } catch (error) {
        throw new GroupRunError(test, error)
      }
    }
  }
  try {
    const report = await screenLeakOf(`${group.length} tests of ${first.test.testPath}`, subject, options)
    return screenedClean(report) ? { clean: true, report } : { clean: false, report }
  } catch (error) {
    if (error instanceof SubjectError && error.cause instanceof GroupRunError) return { clean: false, failed: error.cause.test }
    // Anything else (a timeout of a run that never settles, say): each test on its own says
    // which one, with the error framed for it.
    return { clean: false }
  }
}
