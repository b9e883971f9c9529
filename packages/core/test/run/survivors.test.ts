import { describe, expect, test } from 'vitest'
import { countSurvivors, scaled } from '../../src/run/survivors.js'
import { samplingInterval, screenInterval } from '../../src/run/screen-stage.js'

const root = '/proj/node_modules/@leakproof/core'
let nextId = 1
interface TestNode {
  id: number
  callFrame: { functionName: string; url: string; scriptId: string; lineNumber: number; columnNumber: number }
  children: TestNode[]
}
function node(functionName: string, url: string, children: TestNode[] = []): TestNode {
  return { id: nextId++, callFrame: { functionName, url, scriptId: '1', lineNumber: 0, columnNumber: 0 }, children }
}

// (root) > leakproof's loop > the subject (user code) > a builtin; the loop itself; the marker.
const builtin = node('push', '')
const subject = node('run', 'file:///proj/test/app.test.js', [builtin])
const marker = node('leakproofRoundMarker', `file://${root}/dist/index.js`)
const loop = node('callRepeatedly', `file://${root}/dist/index.js`, [subject, marker])
const internals = node('processTicksAndRejections', 'node:internal/process/task_queues')
const head = node('(root)', '', [loop, internals])

const sample = (nodeId: number, ordinal: number, size = 64) => ({ nodeId, ordinal, size })
const markerSample = (ordinal: number) => sample(marker.id, ordinal, 131088)

describe('countSurvivors', () => {
  test('splits the subject\'s survivors into rounds by the markers and leaves out leakproof\'s own', () => {
    const profile = {
      head,
      samples: [
        sample(subject.id, 1), // before the first mark: not counted
        markerSample(2),
        sample(subject.id, 3),
        sample(builtin.id, 4), // a builtin called by the subject is the subject's
        sample(loop.id, 5, 4000), // leakproof's loop (its compiled code's metadata): not counted
        markerSample(6),
        sample(internals.id, 7), // runtime frames only: counted, nobody else to blame
        markerSample(8),
        sample(subject.id, 9), // after the last mark: not counted
      ],
    }
    const count = countSurvivors(profile, 3, 256, root)!
    expect(count.samplesPerRound).toEqual([2, 1])
    expect(count.bytesPerRound[0]).toBeCloseTo(2 * scaled(64, 256))
    expect(count.largest).toBe(64)
  })

  test('a marker that was not sampled makes the count unusable rather than wrong', () => {
    const profile = { head, samples: [markerSample(1), sample(subject.id, 2), markerSample(3)] }
    expect(countSurvivors(profile, 3, 256, root)).toBeUndefined()
  })

  test('scaled bytes: a small object stands for about one interval, a large one for itself', () => {
    expect(scaled(16, 256)).toBeCloseTo(256 + 8, -1)
    expect(scaled(1 << 20, 256)).toBeCloseTo(1 << 20)
  })
})

describe('samplingInterval', () => {
  test.each([
    // [threshold, calls, bytes allocated per call, interval]: a threshold leak gives 64 samples a
    // window, never finer than 128 B, never more than 200 000 samples a window.
    [4, 4000, 200, 250],
    [4, 400, 200, 128],
    [4, 2000, 100_000, 1000],
  ])('threshold %d, %d calls, %d B a call: 1 sample per %d B', (threshold, calls, allocated, interval) => {
    expect(samplingInterval(threshold, calls, allocated)).toBe(interval)
  })
})

describe('screenInterval', () => {
  test('a subject sampling can afford: the sampling interval', () => {
    expect(screenInterval(4, 4000, 200, false)).toBe(250)
    expect(screenInterval(16, 100, 30_000, true)).toBe(128)
  })

  test('too much allocation for a threshold leak to show: none, unless a group can be sampled finer', () => {
    // 1 MB a run (a Jest file of 10 tests), 100 runs, 16 B a run: 200 B still sees it (8 samples).
    expect(screenInterval(16, 100, 1_000_000, false)).toBeUndefined()
    expect(screenInterval(16, 100, 1_000_000, true)).toBe(200)
    // 2 MB a run would need a million samples a window: split instead.
    expect(screenInterval(16, 100, 2_000_000, true)).toBeUndefined()
  })
})
