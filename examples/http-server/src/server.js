import { createServer } from 'node:http'
import { randomUUID } from 'node:crypto'

// A small JSON API. Every request is recorded for the /debug/recent endpoint.
// The bug: the record is kept forever. Each request leaves ~1 KB behind.
const requestLog = new Map()

export function createApp() {
  return createServer((req, res) => {
    const id = req.headers['x-request-id'] ?? randomUUID()
    requestLog.set(id, { url: req.url, method: req.method, headers: { ...req.headers }, at: Date.now() })
    if (req.url === '/debug/recent') {
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify([...requestLog.values()].slice(-10)))
      return
    }
    const user = { id: req.url.split('/').pop(), name: 'Ada' }
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify(user))
  })
}
