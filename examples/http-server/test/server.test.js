import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createApp as createLeakyApp } from '../src/server.js'
import { createApp as createFixedApp } from '../src/server-fixed.js'
import { startServer } from './client.js'

describe.each([
  ['server.js (as shipped: keeps every request in its log)', createLeakyApp],
  ['server-fixed.js (keeps the last 10)', createFixedApp],
])('%s', (_name, createApp) => {
  let client
  beforeAll(async () => {
    client = await startServer(createApp)
  })
  afterAll(() => client.close())

  test('GET /users/:id answers', async () => {
    const res = await client.get('/users/42')
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body)).toEqual({ id: '42', name: 'Ada' })
  })

  test('GET /users/:id lets go of each request', async () => {
    await expect(() => client.get('/users/42')).not.toLeak()
  })
})
