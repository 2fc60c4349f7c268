import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/server/app.ts'
import { type TestApi, testApi, testCipher } from '../support/api.ts'
import { testDatabase } from '../support/db.ts'

let api: TestApi
beforeAll(async () => {
  api = await testApi()
})
afterAll(async () => api?.close())

describe('conventions', () => {
  it('GET /healthz and /readyz answer, with the engine', async () => {
    expect((await api.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' })
    const ready = await api.app.inject({ url: '/readyz' })
    expect(ready.statusCode).toBe(200)
    expect(ready.json()).toEqual({ status: 'ready', engine: api.database.kind })
  })

  it('serves OpenAPI 3 and the browsable docs', async () => {
    const doc = await api.app.inject({ url: '/api/openapi.json' })
    expect(doc.json()).toMatchObject({ openapi: '3.0.3', info: { title: 'Jiekun API' } })
    expect(Object.keys(doc.json().paths)).toContain('/api/auth/login')
    const docs = await api.app.inject({ url: '/api/docs/' })
    expect(docs.statusCode).toBe(200)
    expect(docs.headers['content-type']).toMatch(/text\/html/)
  })

  it('sends security headers and echoes a request id', async () => {
    const res = await api.app.inject({ url: '/healthz', headers: { 'x-request-id': 'trace-123' } })
    expect(res.headers['x-request-id']).toBe('trace-123')
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'")
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN')
  })

  it('answers unknown API paths with NOT_FOUND in the error shape', async () => {
    const res = await api.app.inject({ url: '/api/nothing-here' })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toEqual({ error: { code: 'NOT_FOUND', message: '记录不存在' } })
  })

  it('answers malformed JSON with VALIDATION_FAILED naming the body', async () => {
    const res = await api.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username":' })
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'body' }] })
  })
})

describe('a failure on our side', () => {
  it('answers 500 INTERNAL with a generic body and /readyz 503', async () => {
    const database = await testDatabase()
    const app = await buildApp({ database, piiCipher: testCipher })
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'test-password-1' } })
    const cookie = `jk_sid=${login.cookies.find((c) => c.name === 'jk_sid')!.value}`
    await database.close() // the database goes away under a running app
    const res = await app.inject({ url: '/api/orgs', headers: { cookie } })
    expect(res.statusCode).toBe(500)
    expect(res.json()).toEqual({ error: { code: 'INTERNAL', message: '系统内部错误，请稍后再试' } })
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(503)
    await app.close()
    await database.drop()
  })
})
