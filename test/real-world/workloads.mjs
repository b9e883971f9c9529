// Real-world workloads: published npm libraries exercised the way their users call them.
//
//   clean       libraries in leak-free versions; the engine must report no leak at default options.
//   knownLeaks  published versions with a documented, later-fixed leak, pinned side by side via npm
//               aliases (`<pkg>-leaky`, `<pkg>-fixed` in test/real-world/package.json); the leaking
//               version must be reported as a leak and the fixed version must pass.
//
// Each `make()` starts whatever the subject needs (servers on 127.0.0.1, agents, compiled schemas)
// OUTSIDE the subject and returns { run, cleanup }: `run` is one realistic operation (one request,
// one log line, one parse), `cleanup` closes what make() opened. Plain JavaScript so the Vitest
// tests and bench/real-world scripts share it without a TypeScript toolchain.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { httpGet, keepAliveAgent, listen } from './loopback.mjs'

const require = createRequire(import.meta.url)

/** Installed version of a package (read from disk: some packages do not export package.json). */
function version(name) {
  for (const dir of require.resolve.paths(name) ?? []) {
    const file = join(dir, name, 'package.json')
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')).version
  }
  throw new Error(`${name} is not installed (run npm install at the repository root)`)
}

function check(condition, what) {
  if (!condition) throw new Error(`unexpected result: ${what}`)
}

/** @type {import('./workloads.d.mts').Workload[]} */
export const clean = [
  {
    name: 'node:http Agent keep-alive GET to a loopback JSON server',
    library: `node:http (Node ${process.versions.node})`,
    group: 'http',
    async make() {
      const server = await listen()
      const agent = keepAliveAgent()
      let i = 0
      return {
        run: async () => {
          const body = await httpGet(server.port, `/items/${i++ % 100}?q=1`, agent)
          check(JSON.parse(body).ok === true, body)
        },
        cleanup: async () => {
          agent.destroy()
          await server.close()
        },
      }
    },
  },
  {
    name: 'undici Pool.request to a loopback JSON server',
    library: `undici@${version('undici')}`,
    group: 'http',
    async make() {
      const { Pool } = require('undici')
      const server = await listen()
      const pool = new Pool(server.url, { connections: 2 })
      let i = 0
      return {
        run: async () => {
          const { statusCode, body } = await pool.request({ path: `/items/${i++ % 100}`, method: 'GET' })
          const data = await body.json()
          check(statusCode === 200 && data.ok === true, statusCode)
        },
        cleanup: async () => {
          await pool.close()
          await server.close()
        },
      }
    },
  },
  {
    name: 'global fetch (Node built-in) to a loopback JSON server',
    library: `fetch (Node ${process.versions.node}, undici ${process.versions.undici})`,
    group: 'http',
    async make() {
      const server = await listen()
      let i = 0
      return {
        run: async () => {
          const res = await fetch(`${server.url}/items/${i++ % 100}`, { headers: { accept: 'application/json' } })
          const data = await res.json()
          check(res.status === 200 && data.ok === true, res.status)
        },
        cleanup: () => server.close(),
      }
    },
  },
  {
    name: 'express app handling a loopback request (router, params, middleware, res.json)',
    library: `express@${version('express')}`,
    group: 'http',
    async make() {
      const express = require('express')
      const app = express()
      app.disable('x-powered-by')
      app.use((req, res, next) => {
        res.locals.start = Date.now()
        next()
      })
      app.get('/users/:id', (req, res) => {
        res.json({ id: Number(req.params.id), fields: req.query.fields ?? null, tookMs: Date.now() - res.locals.start })
      })
      const server = await listen(app)
      const agent = keepAliveAgent()
      let i = 0
      return {
        run: async () => {
          const body = await httpGet(server.port, `/users/${i++ % 1000}?fields=name,email`, agent)
          check(JSON.parse(body).fields === 'name,email', body)
        },
        cleanup: async () => {
          agent.destroy()
          await server.close()
        },
      }
    },
  },
  {
    name: 'fastify inject of a route with a response schema',
    library: `fastify@${version('fastify')}`,
    group: 'http',
    async make() {
      const Fastify = require('fastify')
      const app = Fastify({ logger: false })
      app.get(
        '/users/:id',
        {
          schema: {
            params: { type: 'object', properties: { id: { type: 'integer' } } },
            response: {
              200: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } } },
            },
          },
        },
        async (request) => ({ id: request.params.id, name: `user ${request.params.id}`, tags: ['a', 'b'] }),
      )
      await app.ready()
      let i = 0
      return {
        run: async () => {
          const res = await app.inject({ method: 'GET', url: `/users/${i++ % 1000}` })
          check(res.statusCode === 200, res.body)
        },
        cleanup: () => app.close(),
      }
    },
  },
  {
    name: 'pino child logger per request writing one line to a stream',
    library: `pino@${version('pino')}`,
    group: 'library',
    async make() {
      const pino = require('pino')
      let bytes = 0
      const sink = new Writable({
        write(chunk, _encoding, callback) {
          bytes += chunk.length
          callback()
        },
      })
      const logger = pino({ level: 'info', base: { service: 'api' } }, sink)
      let i = 0
      return {
        run: () => {
          const log = logger.child({ reqId: `req-${i++}` })
          log.info({ route: '/users/:id', status: 200, durationMs: 3.5 }, 'request completed')
        },
        cleanup: () => check(bytes > 0, 'pino wrote nothing'),
      }
    },
  },
  {
    name: 'zod schema parsing a request body',
    library: `zod@${version('zod')}`,
    group: 'library',
    async make() {
      const { z } = require('zod')
      const User = z.object({
        id: z.number().int().positive(),
        email: z.string().email(),
        name: z.string().min(1).max(100),
        roles: z.array(z.enum(['admin', 'user', 'guest'])),
        address: z.object({ city: z.string(), zip: z.string().regex(/^\d{5}$/) }).optional(),
      })
      let i = 0
      return {
        run: () => {
          const n = ++i
          const parsed = User.parse({ id: n, email: `u${n % 100}@example.com`, name: 'Ada', roles: ['user'], address: { city: 'Paris', zip: '75001' } })
          check(parsed.id === n, 'zod id')
        },
      }
    },
  },
  {
    name: 'ajv compile (cached by schema) + validate, five route schemas',
    library: `ajv@${version('ajv')}`,
    group: 'library',
    async make() {
      const Ajv = require('ajv')
      const ajv = new Ajv({ allErrors: true })
      const schemas = Array.from({ length: 5 }, (_, k) => ({
        type: 'object',
        required: ['id', 'name'],
        properties: {
          id: { type: 'integer', minimum: k },
          name: { type: 'string', maxLength: 50 + k },
          tags: { type: 'array', items: { type: 'string' } },
        },
        additionalProperties: false,
      }))
      let i = 0
      return {
        run: () => {
          const n = i++
          // What a request handler does: compile the route's schema (Ajv caches by schema object)
          // and validate the body.
          const validate = ajv.compile(schemas[n % schemas.length])
          const ok = validate({ id: 10 + (n % 50), name: 'widget', tags: ['x'] })
          check(ok === true, JSON.stringify(validate.errors))
        },
      }
    },
  },
  {
    name: 'lru-cache at its bound (set evicts, get hits)',
    library: `lru-cache@${version('lru-cache')}`,
    group: 'library',
    async make() {
      const { LRUCache } = require('lru-cache')
      const max = 500
      const cache = new LRUCache({ max })
      for (let k = 0; k < max; k++) cache.set(`key:${k}`, { id: k, payload: `value ${k}` })
      let i = max
      return {
        run: () => {
          const n = i++
          cache.set(`key:${n}`, { id: n, payload: `value ${n}` })
          check(cache.get(`key:${n - 10}`)?.id === n - 10, 'lru hit')
          check(cache.size === max, 'lru size')
        },
      }
    },
  },
  {
    name: 'handlebars rendering a precompiled template with helpers',
    library: `handlebars@${version('handlebars')}`,
    group: 'library',
    async make() {
      const Handlebars = require('handlebars').create()
      Handlebars.registerHelper('upper', (s) => String(s).toUpperCase())
      const template = Handlebars.compile(
        '<h1>{{upper title}}</h1><ul>{{#each items}}<li class="{{#if done}}done{{/if}}">{{name}} — {{price}}</li>{{/each}}</ul>{{> footer}}',
      )
      Handlebars.registerPartial('footer', '<footer>{{year}}</footer>')
      const items = Array.from({ length: 10 }, (_, k) => ({ name: `item ${k}`, price: k * 1.5, done: k % 2 === 0 }))
      let i = 0
      return {
        run: () => {
          const html = template({ title: `order ${i++}`, items, year: 2026 })
          check(html.includes('<footer>2026</footer>'), 'handlebars output')
        },
      }
    },
  },
  {
    name: 'marked rendering a markdown document',
    library: `marked@${version('marked')}`,
    group: 'library',
    async make() {
      const { marked } = require('marked')
      const doc = [
        '# Release notes',
        '',
        'Some **bold** text, some _emphasis_, `code` and a [link](https://example.com).',
        '',
        '- item one',
        '- item two with `inline`',
        '  - nested',
        '',
        '| a | b |',
        '| - | - |',
        '| 1 | 2 |',
        '',
        '```js',
        'const x = 1',
        '```',
        '',
        '> quoted',
      ].join('\n')
      let i = 0
      return {
        run: () => {
          const html = marked.parse(`${doc}\n\nParagraph ${i++}.`)
          check(typeof html === 'string' && html.includes('<table>'), 'marked output')
        },
      }
    },
  },
  {
    name: 'knex query builder .toString() without a database',
    library: `knex@${version('knex')}`,
    group: 'library',
    async make() {
      const knex = require('knex')({ client: 'pg' })
      let i = 0
      return {
        run: () => {
          const n = i++
          const sql = knex('orders as o')
            .join('users as u', 'u.id', 'o.user_id')
            .select('o.id', 'o.total', 'u.email')
            .where('o.status', 'paid')
            .andWhere('o.total', '>', n % 100)
            .whereIn('u.country', ['FR', 'DE'])
            .orderBy('o.created_at', 'desc')
            .limit(20)
            .offset(n % 5)
            .toString()
          check(sql.startsWith('select'), sql)
        },
        cleanup: () => knex.destroy(),
      }
    },
  },
  {
    name: 'dayjs parse, add and format',
    library: `dayjs@${version('dayjs')}`,
    group: 'library',
    async make() {
      const dayjs = require('dayjs')
      let i = 0
      return {
        run: () => {
          const d = dayjs('2026-03-01T10:00:00Z').add(i++ % 365, 'day')
          check(d.format('YYYY-MM-DD').length === 10, 'dayjs format')
        },
      }
    },
  },
  {
    name: 'uuid v4 and v7 generation and validation',
    library: `uuid@${version('uuid')}`,
    group: 'library',
    async make() {
      const uuid = await import('uuid')
      return {
        run: () => {
          const a = uuid.v4()
          const b = uuid.v7()
          check(uuid.validate(a) && uuid.validate(b), 'uuid')
        },
      }
    },
  },
  {
    name: 'qs parse and stringify of a nested query string',
    library: `qs@${version('qs')}`,
    group: 'library',
    async make() {
      const qs = require('qs')
      let i = 0
      return {
        run: () => {
          const parsed = qs.parse(`filter[status]=paid&filter[total][gt]=${i++ % 100}&sort=-created&page[size]=20&ids[]=1&ids[]=2`)
          const back = qs.stringify(parsed, { encodeValuesOnly: true })
          check(back.includes('filter'), back)
        },
      }
    },
  },
]

// --- Known leaks -------------------------------------------------------------------------------

function debugWorkload(pkg) {
  return async () => {
    const createDebug = require(pkg)
    let i = 0
    return {
      // issue #678: a debug instance created inside a function that runs per request.
      run: () => {
        const log = createDebug('app:request')
        log('handled request %d', i++)
      },
    }
  }
}

function nodeFetchWorkload(pkg) {
  return async () => {
    const { default: fetch } = await import(pkg)
    const server = await listen()
    const agent = keepAliveAgent()
    let i = 0
    return {
      run: async () => {
        const res = await fetch(`${server.url}/items/${i++ % 100}`, { agent })
        const data = await res.json()
        check(data.ok === true, res.status)
      },
      cleanup: async () => {
        agent.destroy()
        await server.close()
      },
    }
  }
}

function axiosWorkload(pkg) {
  return async () => {
    const axios = require(pkg)
    const server = await listen()
    const agent = keepAliveAgent()
    const client = axios.create({ baseURL: server.url, httpAgent: agent, timeout: 5000 })
    let i = 0
    return {
      run: async () => {
        const res = await client.get(`/items/${i++ % 100}`)
        check(res.data.ok === true, res.status)
      },
      cleanup: async () => {
        agent.destroy()
        await server.close()
      },
    }
  }
}

function undiciFetchWorkload(pkg) {
  return async () => {
    const { fetch, Agent } = require(pkg)
    const server = await listen()
    const dispatcher = new Agent({ connections: 1 })
    let i = 0
    return {
      // nodejs/node#48478: a fresh AbortController per fetch (a per-request timeout/cancel signal).
      run: async () => {
        const controller = new AbortController()
        const res = await fetch(`${server.url}/items/${i++ % 100}`, { signal: controller.signal, dispatcher })
        const data = await res.json()
        check(data.ok === true, res.status)
      },
      cleanup: async () => {
        await dispatcher.close()
        await server.close()
      },
    }
  }
}

function expressFormDataWorkload(pkg) {
  return async () => {
    const express = require('express')
    const formData = require(pkg)
    const os = require('node:os')
    const app = express()
    // The configuration from the package's README: parse with autoClean, then format.
    app.use(formData.parse({ uploadDir: os.tmpdir(), autoClean: true }))
    app.use(formData.format())
    app.get('/health', (req, res) => res.json({ ok: true }))
    const server = await listen(app)
    const agent = keepAliveAgent()
    return {
      run: async () => {
        const body = await httpGet(server.port, '/health', agent)
        check(JSON.parse(body).ok === true, body)
      },
      cleanup: async () => {
        agent.destroy()
        await server.close()
      },
    }
  }
}

function proxyMiddlewareWorkload(pkg) {
  return async () => {
    const express = require('express')
    const proxy = require(pkg)
    const target = await listen()
    const app = express()
    // ws: true, as for an API that also proxies WebSocket upgrades.
    app.use('/api', proxy({ target: target.url, ws: true, logLevel: 'silent' }))
    const server = await listen(app)
    const agent = keepAliveAgent()
    let i = 0
    return {
      run: async () => {
        const body = await httpGet(server.port, `/api/items/${i++ % 100}`, agent)
        check(JSON.parse(body).ok === true, body)
      },
      cleanup: async () => {
        agent.destroy()
        await server.close()
        await target.close()
      },
    }
  }
}

/** @type {import('./workloads.d.mts').KnownLeak[]} */
export const knownLeaks = [
  {
    name: 'debug: instance created per call',
    package: 'debug',
    leaky: 'debug-leaky',
    fixed: 'debug-fixed',
    reference: 'https://github.com/debug-js/debug/issues/678 (fixed by https://github.com/debug-js/debug/pull/740, released in 4.3.0)',
    what: 'createDebug.instances keeps every debug instance ever created (for enable()/disable())',
    make: (variant) => debugWorkload(variant === 'leaky' ? 'debug-leaky' : 'debug-fixed')(),
  },
  {
    name: 'node-fetch: GET through a keep-alive http.Agent',
    package: 'node-fetch',
    leaky: 'node-fetch-leaky',
    fixed: 'node-fetch-fixed',
    reference: 'https://github.com/node-fetch/node-fetch/issues/1295 (fixed by https://github.com/node-fetch/node-fetch/pull/1474, released in 3.2.5)',
    what: "each request adds 'close' and 'data' listeners to the reused keep-alive socket and never removes them",
    make: (variant) => nodeFetchWorkload(variant === 'leaky' ? 'node-fetch-leaky' : 'node-fetch-fixed')(),
  },
  {
    name: 'axios: GET through a keep-alive http.Agent',
    package: 'axios',
    leaky: 'axios-leaky',
    fixed: 'axios-fixed',
    reference: 'https://github.com/axios/axios/issues/10780 (fixed by https://github.com/axios/axios/pull/10788, released in 1.15.2)',
    what: "each request adds an 'error' listener to the reused keep-alive socket (closing over the request) that is never removed",
    make: (variant) => axiosWorkload(variant === 'leaky' ? 'axios-leaky' : 'axios-fixed')(),
  },
  {
    name: 'undici fetch with a per-request AbortSignal',
    package: 'undici',
    leaky: 'undici-leaky',
    fixed: 'undici-fixed',
    reference:
      'https://github.com/nodejs/node/issues/48478 (undici 5.21.0, shipped in Node 18.16.0; fixed by https://github.com/nodejs/undici/pull/2049, in 5.21.1)',
    what: 'the FinalizationRegistry entry for each Request holds the signal listener that references the Request, so no Request is ever collected',
    make: (variant) => undiciFetchWorkload(variant === 'leaky' ? 'undici-leaky' : 'undici-fixed')(),
  },
  {
    name: 'express-form-data: parse({ autoClean: true }) on every request',
    package: 'express-form-data',
    leaky: 'express-form-data-leaky',
    fixed: 'express-form-data-fixed',
    reference: 'https://github.com/ortexx/express-form-data/issues/16 (2.0.19; fixed in 2.0.20)',
    what: 'each request registers a process-exit handler (signal-exit) closing over the request, never removed',
    make: (variant) => expressFormDataWorkload(variant === 'leaky' ? 'express-form-data-leaky' : 'express-form-data-fixed')(),
  },
  {
    name: 'http-proxy-middleware: proxied request with ws: true',
    package: 'http-proxy-middleware',
    leaky: 'http-proxy-middleware-leaky',
    fixed: 'http-proxy-middleware-fixed',
    reference: 'https://github.com/chimurai/http-proxy-middleware/issues/113 (fixed by https://github.com/chimurai/http-proxy-middleware/pull/114, released in 0.17.2)',
    what: "each proxied request adds the same 'upgrade' listener to the http.Server again (8 bytes of listener array per call)",
    make: (variant) => proxyMiddlewareWorkload(variant === 'leaky' ? 'http-proxy-middleware-leaky' : 'http-proxy-middleware-fixed')(),
  },
]

/** The installed version behind an alias, e.g. versionOf('debug-leaky') → '4.2.0'. */
export function versionOf(alias) {
  return version(alias)
}
