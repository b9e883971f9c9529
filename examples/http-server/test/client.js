import { Agent, request } from 'node:http'
import { once } from 'node:events'

/** Start an app on 127.0.0.1 and return a keep-alive `get(path)` client for it. */
export async function startServer(createApp) {
  const server = createApp()
  // A leak check pauses the process for seconds while it writes heap snapshots. With Node's
  // default 5 s keep-alive timeout the server would close idle sockets during such a pause, and
  // the client's next request could go out on a socket being closed (ECONNRESET). 0: no idle
  // timeout; close() below ends the connections.
  server.keepAliveTimeout = 0
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address()
  const agent = new Agent({ keepAlive: true, maxSockets: 4 })
  const get = (path) =>
    new Promise((resolve, reject) => {
      request({ host: '127.0.0.1', port, path, agent }, (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk) => (body += chunk))
        res.on('end', () => resolve({ status: res.statusCode, body }))
      })
        .on('error', reject)
        .end()
    })
  const close = async () => {
    agent.destroy()
    server.close()
    await once(server, 'close')
  }
  return { get, close }
}
