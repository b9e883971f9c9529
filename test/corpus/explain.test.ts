import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { createServer, type Server } from 'node:http'
import { once } from 'node:events'
import { measureLeak } from '../../packages/core/src/index.js'

describe('explaining a leak', () => {
  test('a secret string inside a leaked object appears nowhere in the report', async () => {
    const tokens = new Map<number, { user: string; token: string }>()
    let i = 0
    const report = await measureLeak(() => {
      i++
      tokens.set(i, { user: 'u' + i, token: 'sk_live_SECRET_' + i.toString(36).padStart(8, 'x') })
    })
    expect(report.leaked).toBe(true)
    const everything = JSON.stringify(report)
    expect(everything).not.toContain('sk_live_SECRET')
    expect(everything).toContain('tokens')
    // The path starts at the subject, not at the engine's own frames that hold it.
    expect(report.retainerPaths[0]?.text).toMatch(/^\(subject\) → context → tokens \(Map\) → /)
    expect(report.summary).toMatch(/\(string, \d+ chars\)|\(string\)/)
  })

  test('showStrings: true opts in to string contents', async () => {
    const labels: string[] = []
    let i = 0
    const report = await measureLeak(() => { labels.push('visible-label-' + i++) }, { showStrings: true })
    expect(report.leaked).toBe(true)
    expect(JSON.stringify(report.retainerPaths)).toContain('visible-label-')
  })

  test('snapshotDir keeps the three snapshots of a failing run, readable only by the owner', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'leakproof-snapshots-')), 'out')
    const keep: object[] = []
    const report = await measureLeak(() => { keep.push({ kept: true }) }, { snapshotDir: dir })
    expect(report.leaked).toBe(true)
    expect(report.snapshots).toHaveLength(3)
    expect(report.snapshots.map((f) => f.replace(/.*-(\d-\w+)\.heapsnapshot$/, '$1'))).toEqual(['1-baseline', '2-target', '3-final'])
    for (const file of report.snapshots) {
      expect(existsSync(file)).toBe(true)
      expect(statSync(file).mode & 0o777).toBe(0o600)
      expect(readFileSync(file, 'utf8').slice(0, 20)).toContain('"snapshot"')
    }
    expect(report.summary).toContain('Heap snapshots:')
  })

  test('a clean run writes no snapshots even with snapshotDir', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'leakproof-snapshots-')), 'out')
    const report = await measureLeak(() => ({ temporary: true }), { snapshotDir: dir })
    expect(report.leaked).toBe(false)
    expect(report.snapshots).toEqual([])
    expect(existsSync(dir)).toBe(false)
  })
})

describe('resource and listener leaks through measureLeak', () => {
  test('an interval per call is reported as Timeout handles with the creating stack', async () => {
    const timers: NodeJS.Timeout[] = []
    try {
      const report = await measureLeak(() => { timers.push(setInterval(() => {}, 60_000)) })
      expect(report.kinds).toContain('resources')
      const timeout = report.resources.find((r) => r.type === 'Timeout')
      expect(timeout?.countPerIteration).toBeCloseTo(1, 1)
      expect(timeout?.stack).toContain('explain.test.ts')
    } finally {
      timers.forEach(clearInterval)
    }
  })

  test('an AbortSignal listener per call is reported with its event name', async () => {
    const controller = new AbortController()
    const report = await measureLeak(() => { controller.signal.addEventListener('abort', () => {}) })
    expect(report.kinds).toContain('listeners')
    expect(report.listeners).toContainEqual(expect.objectContaining({ target: 'AbortSignal', event: 'abort' }))
    expect(report.summary).toContain("AbortSignal 'abort' +1 per call")
  })

  test('cleared timers and removed listeners are not reported', async () => {
    const controller = new AbortController()
    const report = await measureLeak(() => {
      const fn = () => {}
      controller.signal.addEventListener('abort', fn)
      const t = setInterval(fn, 60_000)
      clearInterval(t)
      controller.signal.removeEventListener('abort', fn)
    })
    expect(report.leaked).toBe(false)
    expect(report.resources).toEqual([])
    expect(report.listeners).toEqual([])
  })

  test('a server left listening per call is reported as TCPServerWrap; closed servers are not', async () => {
    const open: Server[] = []
    const listen = async () => {
      const server = createServer()
      server.listen(0, '127.0.0.1')
      await once(server, 'listening')
      return server
    }
    const small = { warmup: 20, iterations: 100 }
    try {
      const leaky = await measureLeak(async () => { open.push(await listen()) }, small)
      expect(leaky.leaked).toBe(true)
      const servers = leaky.resources.find((r) => r.type === 'TCPServerWrap')
      expect(servers?.countPerIteration).toBeCloseTo(1, 1)
      expect(leaky.summary).toContain('TCPServerWrap')
    } finally {
      await Promise.all(open.map((s) => new Promise((resolve) => s.close(resolve))))
    }
    const clean = await measureLeak(async () => {
      const server = await listen()
      await new Promise((resolve) => server.close(resolve))
    }, small)
    expect(clean.resources).toEqual([])
    expect(clean.leaked, clean.summary).toBe(false)
  })

  test('a timer and a listener released a few ticks after each call are not reported', async () => {
    const controller = new AbortController()
    const report = await measureLeak(() => {
      const fn = () => {}
      const t = setInterval(fn, 60_000)
      controller.signal.addEventListener('abort', fn)
      // Released three event-loop turns later, after the call has returned.
      setImmediate(() => setImmediate(() => setImmediate(() => {
        clearInterval(t)
        controller.signal.removeEventListener('abort', fn)
      })))
    })
    expect(report.resources).toEqual([])
    expect(report.listeners).toEqual([])
    expect(report.leaked, report.summary).toBe(false)
  })

  test('ignore.resources accepts a known leak of handles', async () => {
    const timers: NodeJS.Timeout[] = []
    try {
      const report = await measureLeak(() => { timers.push(setTimeout(() => {}, 60_000)) }, {
        ignore: { resources: ['Timeout'], types: ['Timeout', 'TimersList'] },
      })
      expect(report.resources).toEqual([])
    } finally {
      timers.forEach(clearTimeout)
    }
  })
})
