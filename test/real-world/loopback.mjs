// Loopback HTTP helpers for the real-world workloads. Every server listens on 127.0.0.1 only and is
// started in a workload's make(), outside the measured subject; cleanup closes it.
import http from 'node:http'

/** A JSON endpoint: answers every request with a small JSON body after reading the request body. */
export function jsonHandler(req, res) {
  let received = 0
  req.on('data', (chunk) => {
    received += chunk.length
  })
  req.on('end', () => {
    const body = JSON.stringify({ ok: true, path: req.url, received, items: [1, 2, 3] })
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
    res.end(body)
  })
}

/**
 * Start an HTTP server on 127.0.0.1 (ephemeral port). `handler` is a request listener or an
 * express-style app. Keep-alive is held long enough that a measurement reuses one connection.
 */
export async function listen(handler = jsonHandler) {
  const server = http.createServer(handler)
  server.keepAliveTimeout = 60_000
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address()
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A keep-alive agent with one socket, so a measurement reuses one connection. */
export function keepAliveAgent() {
  return new http.Agent({ keepAlive: true, maxSockets: 1 })
}

/** GET `path` through node:http with `agent`; resolves with the body text. */
export function httpGet(port, path, agent) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => {
        body += chunk
      })
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`GET ${path}: HTTP ${res.statusCode} ${body}`))
        else resolve(body)
      })
      res.on('error', reject)
    })
    req.on('error', reject)
  })
}
