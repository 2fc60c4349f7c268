import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reverifyJob } from '../../src/server/modules/households/reverification.job.ts'
import { JobRunner } from '../../src/server/modules/jobs/jobs.service.ts'
import { chinaDate } from '../../src/server/platform/china-date.ts'
import { residentIdCheckChar } from '../../src/server/platform/codes/resident-id.ts'
import { type Session, type TestApi, testApi } from '../support/api.ts'

let api: TestApi
let worker: Session // case_worker, 410102
let worker2: Session // case_worker2, 410103
let householdId: string
const year = Number(chinaDate().slice(0, 4))
const idOf = (first17: string) => first17 + residentIdCheckChar(first17)

beforeAll(async () => {
  api = await testApi()
  worker = await api.login('case_worker')
  worker2 = await api.login('case_worker2')
  const me = await api.request(worker, { method: 'GET', url: '/api/auth/me' })
  const res = await api.request(worker, {
    method: 'POST',
    url: '/api/households',
    payload: {
      regionCode: '410102',
      orgId: me.json().user.org.id,
      address: '郑州市中原区建设路 12 号',
      members: [{ name: '李四', relation: 'head', idNumber: idOf('41010219751108201'), health: 'healthy', workStatus: 'employed', monthlyIncomeFen: '50000' }],
    },
  })
  expect(res.statusCode).toBe(201)
  householdId = res.json().id
  await sql`INSERT INTO local_standard (region_code, effective_from, dibao_line_fen, min_wage_fen) VALUES ('410100', '2003-07-01', 80000, 200000)`.execute(api.database.db)
  await sql`UPDATE household SET status = 'verified', verified_at = now(), last_visit_on = current_date, yearly_income_fen = 600000 WHERE id = ${householdId}::uuid`.execute(
    api.database.db,
  )
})
afterAll(async () => api?.close())

describe('/api/reverification-runs', () => {
  let runId: string

  it('refuses the unauthenticated on every route', async () => {
    const id = randomUUID()
    for (const [method, url] of [
      ['POST', '/api/reverification-runs'],
      ['GET', '/api/reverification-runs'],
      ['GET', `/api/reverification-runs/${id}`],
      ['GET', `/api/reverification-runs/${id}/items`],
      ['POST', `/api/reverification-runs/${id}/items/${id}/resolve`],
    ] as const) {
      const res = await api.request(null, { method, url, payload: method === 'POST' ? {} : undefined })
      expect(res.statusCode, `${method} ${url}`).toBe(401)
    }
  })

  it('starts a run over the caller\'s county, refuses a second one while it runs, and lists its work', async () => {
    const res = await api.request(worker, { method: 'POST', url: '/api/reverification-runs', payload: { year } })
    expect(res.statusCode).toBe(201)
    const run = res.json()
    runId = run.id
    expect(run).toMatchObject({ year, regionPrefix: '410102', regionName: '河南省 郑州市 中原区', status: 'running' })
    const again = await api.request(worker, { method: 'POST', url: '/api/reverification-runs', payload: { year } })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('CONFLICT')

    const job = await api.request(worker, { method: 'GET', url: `/api/jobs/${run.jobId}` })
    expect(job.json()).toMatchObject({ kind: 'households.reverify', status: 'queued' })
    while (await new JobRunner(api.database.db).register(reverifyJob).runOnce()) {
      // drain
    }

    const detail = await api.request(worker, { method: 'GET', url: `/api/reverification-runs/${runId}` })
    expect(detail.statusCode).toBe(200)
    expect(detail.json().status).toBe('succeeded')
    expect(detail.json().outcomes).toContainEqual({ outcome: 'still_eligible', total: 1, unresolved: 1 })

    const items = await api.request(worker, { method: 'GET', url: `/api/reverification-runs/${runId}/items?outcome=still_eligible&resolved=false&regionCode=410102` })
    expect(items.statusCode).toBe(200)
    expect(items.json().items).toEqual([
      expect.objectContaining({ householdId, headName: '李四', regionCode: '410102', outcome: 'still_eligible', resolution: null, householdStatus: 'reverifying' }),
    ])
    expect(items.json().items[0].fileNo).toMatch(/^410102-/)

    const list = await api.request(worker, { method: 'GET', url: '/api/reverification-runs' })
    expect(list.json().items.map((r: { id: string }) => r.id)).toContain(runId)
  })

  it('answers another county\'s run and items as missing', async () => {
    for (const [method, url] of [
      ['GET', `/api/reverification-runs/${runId}`],
      ['GET', `/api/reverification-runs/${runId}/items`],
      ['POST', `/api/reverification-runs/${runId}/items/${householdId}/resolve`],
      ['GET', `/api/reverification-runs/${randomUUID()}`],
      ['GET', '/api/reverification-runs/not-an-id'],
    ] as const) {
      const res = await api.request(worker2, { method, url, payload: method === 'POST' ? { resolution: 'confirmed' } : undefined })
      expect(res.statusCode, `${method} ${url}`).toBe(404)
      expect(res.json().error.code).toBe('NOT_FOUND')
    }
    const list = await api.request(worker2, { method: 'GET', url: '/api/reverification-runs' })
    expect(list.json().items.map((r: { id: string }) => r.id)).not.toContain(runId)
  })

  it('resolves an item: confirmed puts the household back on file; a dismissal needs a note', async () => {
    const url = `/api/reverification-runs/${runId}/items/${householdId}/resolve`
    const bad = await api.request(worker, { method: 'POST', url, payload: { resolution: 'dismissed' } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.details).toEqual([expect.objectContaining({ field: 'note' })])
    const unknown = await api.request(worker, { method: 'POST', url, payload: { resolution: 'approved' } })
    expect(unknown.statusCode).toBe(400)

    const res = await api.request(worker, { method: 'POST', url, payload: { resolution: 'confirmed', note: '仍符合条件' } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ householdId, resolution: 'confirmed', householdStatus: 'verified', note: '仍符合条件', resolvedByName: expect.any(String) })
    const twice = await api.request(worker, { method: 'POST', url, payload: { resolution: 'confirmed' } })
    expect(twice.statusCode).toBe(409)

    const missing = await api.request(worker, { method: 'POST', url: `/api/reverification-runs/${runId}/items/${randomUUID()}/resolve`, payload: { resolution: 'confirmed' } })
    expect(missing.statusCode).toBe(404)
  })
})
