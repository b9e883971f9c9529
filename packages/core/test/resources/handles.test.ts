import fs from 'node:fs'
import fsp from 'node:fs/promises'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { once } from 'node:events'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { SETTLE_BACKOFF_MS } from '../../src/resources/index.js'
import { activeCount, measure, noop } from './helpers.js'

// Everything a leaky variant leaves open is closed again after each test.
const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

let tmpDir: string
let tmpFile: string
beforeAll(() => {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakproof-res-'))
  tmpFile = path.join(tmpDir, 'data.txt')
  fs.writeFileSync(tmpFile, 'hello')
})
afterAll(() => fs.rmSync(tmpDir, { recursive: true, force: true }))

async function listeningServer(): Promise<http.Server> {
  const server = http.createServer((_req, res) => res.end('ok'))
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return server
}

function portOf(server: net.Server): number {
  return (server.address() as net.AddressInfo).port
}

describe('timers', () => {
  it('reports an interval left running per call, with its creation site', async () => {
    const { resources } = await measure(() => {
      // one interval per call, never cleared
      const t = setInterval(noop, 60_000)
      cleanups.push(() => clearInterval(t))
    })
    expect(resources).toHaveLength(1)
    expect(resources[0]).toMatchObject({ type: 'Timeout', countPerIteration: 1, retainedCount: 20 })
    expect(resources[0]!.stack).toContain('handles.test.ts')
    // Node internals and leakproof's own frames are dropped.
    expect(resources[0]!.stack).not.toMatch(/node:internal|src\/resources/)
  })

  it('does not report an interval that is cleared', async () => {
    const { resources, ms } = await measure(() => clearInterval(setInterval(noop, 60_000)))
    expect(resources).toEqual([])
    expect(ms).toBeLessThan(50) // nothing suspect: no settling waits at all (the backoff is ~200 ms)
  })

  it('reports a pending setTimeout per call, not a cleared one', async () => {
    const leaky = await measure(() => {
      const t = setTimeout(noop, 60_000)
      cleanups.push(() => clearTimeout(t))
    })
    expect(leaky.resources).toMatchObject([{ type: 'Timeout', countPerIteration: 1, retainedCount: 20 }])
    const clean = await measure(() => clearTimeout(setTimeout(noop, 60_000)))
    expect(clean.resources).toEqual([])
  })

  it('ignores unref()ed timers and resources that existed before begin()', async () => {
    const before = setInterval(noop, 60_000)
    cleanups.push(() => clearInterval(before))
    const { resources } = await measure(() => {
      const t = setInterval(noop, 60_000).unref()
      cleanups.push(() => clearInterval(t))
    })
    expect(resources).toEqual([])
  })
})

describe('servers and sockets', () => {
  it('reports one http server per call left listening', async () => {
    const { resources } = await measure(async () => {
      const server = await listeningServer()
      cleanups.push(() => server.close())
    })
    expect(resources).toMatchObject([{ type: 'TCPServerWrap', countPerIteration: 1, retainedCount: 20 }])
    expect(resources[0]!.stack).toContain('listeningServer')
  })

  it('does not report http servers that are closed', async () => {
    const { resources } = await measure(async () => {
      const server = await listeningServer()
      server.close()
      await once(server, 'close')
    })
    expect(resources).toEqual([])
  })

  it('reports connected sockets left open, not destroyed ones', async () => {
    const accepted: net.Socket[] = []
    const server = net.createServer((s) => accepted.push(s)).listen(0, '127.0.0.1')
    await once(server, 'listening')
    cleanups.push(() => {
      for (const s of accepted) s.destroy()
      server.close()
    })
    const connect = async () => {
      const socket = net.connect(portOf(server), '127.0.0.1')
      await once(socket, 'connect')
      return socket
    }

    const leaky = await measure(async () => {
      const socket = await connect()
      cleanups.push(() => socket.destroy())
    })
    // client end + the server's accepted end, both in this process
    expect(leaky.resources).toMatchObject([{ type: 'TCPSocketWrap', countPerIteration: 2, retainedCount: 40 }])
    for (const s of accepted.splice(0)) s.destroy()

    const clean = await measure(async () => {
      const socket = await connect()
      socket.destroy()
      await once(socket, 'close')
      const peer = accepted.pop()
      peer?.destroy()
      if (peer && !peer.closed) await once(peer, 'close')
    })
    expect(clean.resources).toEqual([])
  })

  it('does not report a keep-alive-like pool that opens its sockets once and reuses them', async () => {
    const accepted: net.Socket[] = []
    const server = net.createServer((s) => accepted.push(s)).listen(0, '127.0.0.1')
    await once(server, 'listening')
    const pool: net.Socket[] = []
    cleanups.push(() => {
      for (const s of [...pool, ...accepted]) s.destroy()
      server.close()
    })
    const { resources } = await measure(async () => {
      while (pool.length < 2) {
        const socket = net.connect(portOf(server), '127.0.0.1')
        await once(socket, 'connect')
        pool.push(socket)
      }
      pool[0]!.write('x')
    })
    // 4 sockets (2 ends x 2) stayed open: real growth, but a one-off.
    expect(activeCount('TCPSocketWrap')).toBeGreaterThanOrEqual(4)
    expect(resources).toEqual([])
  })
})

describe('files', () => {
  it('reports fs.watch watchers left open, not closed ones', async () => {
    const leaky = await measure(() => {
      const watcher = fs.watch(tmpDir)
      cleanups.push(() => watcher.close())
    })
    expect(leaky.resources).toMatchObject([{ type: 'FSEventWrap', countPerIteration: 1, retainedCount: 20 }])
    expect(leaky.resources[0]!.stack).toContain('handles.test.ts')

    const clean = await measure(() => fs.watch(tmpDir).close())
    expect(clean.resources).toEqual([])
  })

  it.runIf(process.platform === 'linux')('reports FileHandles left open through the fd count, not closed ones', async () => {
    const leaky = await measure(async () => {
      const handle = await fsp.open(tmpFile)
      cleanups.push(() => handle.close())
    })
    expect(leaky.resources).toMatchObject([{ type: 'fd', countPerIteration: 1, retainedCount: 20 }])
    expect(leaky.resources[0]!.stack).toContain('handles.test.ts')

    const clean = await measure(async () => {
      const handle = await fsp.open(tmpFile)
      await handle.close()
    })
    expect(clean.resources).toEqual([])
  })

  it.runIf(process.platform === 'linux')('reports raw file descriptors from fs.openSync', async () => {
    const { resources } = await measure(() => {
      const fd = fs.openSync(tmpFile, 'r')
      cleanups.push(() => fs.closeSync(fd))
    })
    expect(resources).toMatchObject([{ type: 'fd', countPerIteration: 1, retainedCount: 20 }])
  })
})

describe('settling', () => {
  it('does not report resources released a few ticks after the last call', async () => {
    let openAtEnd = 0
    const { resources, ms } = await measure((call) => {
      // Synchronous calls: all 20 intervals are still open when the measurement ends.
      const t = setInterval(noop, 60_000)
      setTimeout(() => clearInterval(t), 30) // closed asynchronously, ~30 ms later
      const server = net.createServer().listen(0, '127.0.0.1')
      server.once('listening', () => setImmediate(() => setImmediate(() => server.close())))
      if (call === 20) openAtEnd = activeCount('Timeout')
    })
    expect(openAtEnd).toBeGreaterThanOrEqual(20)
    expect(resources).toEqual([])
    expect(ms).toBeLessThan(SETTLE_BACKOFF_MS.reduce((a, b) => a + b, 0) + 400) // bounded, with slack for a loaded machine
  })

  it('does not report in-flight fs requests', async () => {
    const { resources } = await measure(() => {
      fs.readFile(tmpFile, noop)
      fs.stat(tmpFile, noop)
    })
    expect(resources).toEqual([])
  })

  it('still reports what is not released within the backoff', async () => {
    const { resources, ms } = await measure(() => {
      const t = setInterval(noop, 60_000)
      const later = setTimeout(() => clearInterval(t), 5_000)
      cleanups.push(() => {
        clearInterval(t)
        clearTimeout(later)
      })
    })
    // each call leaves an interval and a pending timeout
    expect(resources).toMatchObject([{ type: 'Timeout', countPerIteration: 2, retainedCount: 40 }])
    expect(ms).toBeGreaterThan(100) // it waited before concluding
  })
})

describe('ignore options', () => {
  const leakInterval = () => {
    const t = setInterval(noop, 60_000)
    cleanups.push(() => clearInterval(t))
  }

  it('ignoreResources drops a type by name or RegExp', async () => {
    expect((await measure(leakInterval, { ignoreResources: ['Timeout'] })).resources).toEqual([])
    expect((await measure(leakInterval, { ignoreResources: [/^Time/] })).resources).toEqual([])
    expect((await measure(leakInterval, { ignoreResources: ['TCPServerWrap'] })).resources).toHaveLength(1)
  })

  it('ignoreSites drops resources created at a matching stack', async () => {
    function createdInIgnoredHelper() {
      const t = setInterval(noop, 60_000)
      cleanups.push(() => clearInterval(t))
    }
    expect((await measure(createdInIgnoredHelper, { ignoreSites: ['createdInIgnoredHelper'] })).resources).toEqual([])
    expect((await measure(createdInIgnoredHelper, { ignoreSites: [/somewhereElse/] })).resources).toHaveLength(1)
    // Only the ignored site is taken out: another leak of the same type is still reported.
    const mixed = await measure(
      () => {
        createdInIgnoredHelper()
        leakInterval()
      },
      { ignoreSites: ['createdInIgnoredHelper'] },
    )
    expect(mixed.resources).toMatchObject([{ type: 'Timeout', countPerIteration: 1, retainedCount: 20 }])
  })
  it('ignoreSites matches the source-mapped `file:line` of the creation', async () => {
    let site = ''
    const subject = () => {
      const t = setInterval(noop, 60_000); site ||= /handles\.test\.ts:\d+:/.exec(new Error().stack ?? '')?.[0] ?? '?'
      cleanups.push(() => clearInterval(t))
    }
    subject() // learn the site: the line of the setInterval call as the test runner reports it
    expect(site).toMatch(/^handles\.test\.ts:\d+:$/)
    expect((await measure(subject, { ignoreSites: [site] })).resources).toEqual([])
    const otherLine = site.replace(/\d+/, (n) => String(Number(n) + 1))
    expect((await measure(subject, { ignoreSites: [otherLine] })).resources).toHaveLength(1)
  })
})

describe('growth rule', () => {
  it('a one-off burst of several resources is not a leak; steady growth is', async () => {
    const burst = await measure((call) => {
      if (call !== 3) return
      for (let i = 0; i < 10; i++) {
        const t = setInterval(noop, 60_000)
        cleanups.push(() => clearInterval(t))
      }
    })
    expect(burst.resources).toEqual([])

    const everyOther = await measure(
      (call) => {
        if (call % 2) return
        const t = setInterval(noop, 60_000)
        cleanups.push(() => clearInterval(t))
      },
      { calls: 40 },
    )
    expect(everyOther.resources).toMatchObject([{ type: 'Timeout', countPerIteration: 0.5, retainedCount: 20 }])
  })
})

describe('workers', () => {
  it('reports Worker threads left running, not terminated ones', async () => {
    const { Worker } = await import('node:worker_threads')
    const start = async () => {
      const worker = new Worker('setInterval(() => {}, 60_000)', { eval: true })
      await once(worker, 'online')
      return worker
    }
    const leaky = await measure(
      async () => {
        const worker = await start()
        cleanups.push(() => worker.terminate())
      },
      { calls: 6 },
    )
    expect(leaky.resources).toMatchObject([{ type: 'Worker', countPerIteration: 1, retainedCount: 6 }])
    expect(leaky.resources[0]!.stack).toContain('handles.test.ts')

    const clean = await measure(
      async () => {
        const worker = await start()
        await worker.terminate()
      },
      { calls: 6 },
    )
    expect(clean.resources).toEqual([])
  })
})
