// toLeak() checks still running when their test ends (Jest moved on after a test timeout): the
// afterEach hook '@leakproof/jest/setup' registers aborts them, so the next test's check can start.
import { RunningChecks } from '@leakproof/core/adapter'

export const runningChecks = new RunningChecks()
