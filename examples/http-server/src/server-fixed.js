import { createServer } from 'node:http'
import { randomUUID } from 'node:crypto'

// The fix: /debug/recent only ever shows the last 10 requests, so keep only those.
const recentLimit = 10
const requestLog = []

export function createApp() {
  return createServer((req, res) => {
    const id = req.headers['x-request-id'] ?? randomUUID()
    requestLog.push({ id, url: req.url, method: req.method, headers: { ...req.headers }, at: Date.now() })
    if (requestLog.length > recentLimit) requestLog.shift()
    if (req.url === '/debug/recent') {
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify(requestLog))
      return
    }
    const user = { id: req.url.split('/').pop(), name: 'Ada' }
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify(user))
  })
}
