import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createJobRunner } from '../../src/server/jobs.ts'
import { type TestApi, testApi } from '../support/api.ts'

let api: TestApi
beforeAll(async () => {
  api = await testApi()
})
afterAll(async () => api?.close())

describe('audit verification as a job', () => {
  it('is started by an inspector, runs, and shows its progress and result', async () => {
    const inspector = await api.login('inspector')
    const started = await api.request(inspector, { method: 'POST', url: '/api/audit/verify-jobs' })
    expect(started.statusCode).toBe(202)
    expect(started.json()).toMatchObject({ kind: 'audit.verify', status: 'queued' })
    const id = started.json().id as string

    expect(await createJobRunner(api.database.db).runOnce()).toBe(true)
    const done = await api.request(inspector, { method: 'GET', url: `/api/jobs/${id}` })
    expect(done.json()).toMatchObject({ status: 'succeeded', percent: 100, result: { ok: true, firstBroken: null } })
    expect(done.json().progressDone).toBe(done.json().progressTotal)

    const list = await api.request(inspector, { method: 'GET', url: '/api/jobs' })
    expect(list.json().items.map((j: { id: string }) => j.id)).toContain(id)
  })

  it('is refused below province scope, and a job outside the scope answers like a missing one', async () => {
    const caseWorker = await api.login('case_worker')
    expect((await api.request(caseWorker, { method: 'POST', url: '/api/audit/verify-jobs' })).statusCode).toBe(403)

    const inspector = await api.login('inspector')
    const id = (await api.request(inspector, { method: 'POST', url: '/api/audit/verify-jobs' })).json().id as string
    const outside = await api.request(caseWorker, { method: 'GET', url: `/api/jobs/${id}` })
    const missing = await api.request(caseWorker, { method: 'GET', url: `/api/jobs/${randomUUID()}` })
    expect(outside.statusCode).toBe(404)
    expect(outside.json()).toEqual(missing.json())
    const cancel = await api.request(caseWorker, { method: 'POST', url: `/api/jobs/${id}/cancel` })
    expect(cancel.statusCode).toBe(404)
    expect((await api.request(caseWorker, { method: 'GET', url: '/api/jobs' })).json().items).toEqual([])

    const cancelled = await api.request(inspector, { method: 'POST', url: `/api/jobs/${id}/cancel` })
    expect(cancelled.json()).toMatchObject({ status: 'cancelled' })
  })
})
