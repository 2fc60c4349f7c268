import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Session, type TestApi, testApi } from '../support/api.ts'

let api: TestApi
let admin: Session // national, standard.manage
let provinceAdmin: Session // 河南 (41), standard.manage
let worker: Session // case_worker, 410102, household.read
let worker2: Session // case_worker2, 410103

beforeAll(async () => {
  api = await testApi()
  admin = await api.login('admin')
  provinceAdmin = await api.login('province_admin')
  worker = await api.login('case_worker')
  worker2 = await api.login('case_worker2')
})
afterAll(async () => api?.close())

const body = (over: Record<string, unknown> = {}) => ({ regionCode: '410102', effectiveFrom: '2032-01-01', dibaoLineFen: '85000', minWageFen: '230000', ...over })
const fieldsOf = (res: { json(): unknown }) => ((res.json() as { error: { details: { field: string }[] } }).error.details ?? []).map((d) => d.field).sort()

describe('/api/standards', () => {
  let created: { id: string }

  it('refuses the unauthenticated on every route', async () => {
    for (const [method, url] of [
      ['GET', '/api/standards'],
      ['GET', '/api/standards/in-force?regionCode=410102'],
      ['POST', '/api/standards'],
      ['DELETE', `/api/standards/${randomUUID()}`],
    ] as const) {
      const res = await api.request(null, { method, url, ...(method === 'POST' ? { payload: body() } : {}) })
      expect(res.statusCode, `${method} ${url}`).toBe(401)
      expect(res.json().error.code).toBe('AUTH_REQUIRED')
    }
  })

  it('an administrator adds a standard; money as whole fen, multiples defaulted, a job only when in force', async () => {
    const res = await api.request(provinceAdmin, { method: 'POST', url: '/api/standards', payload: body({ laidOffAllowanceFen: '200000', note: '测试' }) })
    expect(res.statusCode).toBe(201)
    const r = res.json()
    created = r.standard
    expect(r.standard).toMatchObject({
      regionCode: '410102',
      regionName: '中原区',
      effectiveFrom: '2032-01-01',
      dibaoLineFen: '85000',
      minWageFen: '230000',
      deepMultipleBp: 10_000,
      relativeMultipleBp: 20_000,
      accidentRatioBp: 8_000,
      laidOffAllowanceFen: '200000',
      note: '测试',
      deletable: true,
    })
    expect(r.job).toBeNull()

    const now = await api.request(provinceAdmin, { method: 'POST', url: '/api/standards', payload: body({ effectiveFrom: '2001-01-01', relativeMultipleBp: 15_000 }) })
    expect(now.statusCode).toBe(201)
    expect(now.json().standard.deletable).toBe(false)
    expect(now.json().job).toMatchObject({ kind: 'households.reclassify', status: 'queued' })
    const job = await api.request(provinceAdmin, { method: 'GET', url: `/api/jobs/${now.json().job.id}` })
    expect(job.statusCode).toBe(200)
  })

  it('names each invalid field, in the caller’s language', async () => {
    const res = await api.request(provinceAdmin, {
      method: 'POST',
      url: '/api/standards',
      payload: body({ effectiveFrom: '2032-13-01', dibaoLineFen: '-5', minWageFen: 'abc', deepMultipleBp: 20_000, relativeMultipleBp: 10_000, accidentRatioBp: 0 }),
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.code).toBe('VALIDATION_FAILED')
    expect(fieldsOf(res)).toEqual(['accidentRatioBp', 'dibaoLineFen', 'effectiveFrom', 'minWageFen', 'relativeMultipleBp'])
    const zh = await api.request(provinceAdmin, { method: 'POST', url: '/api/standards', payload: body({ dibaoLineFen: '0' }), headers: { 'accept-language': 'zh-CN' } })
    expect(zh.json().error.details).toEqual([{ field: 'dibaoLineFen', message: '必须是正整数（单位：分），不超过 10000000（10 万元）' }])
    const unknown = await api.request(provinceAdmin, { method: 'POST', url: '/api/standards', payload: { ...body(), extra: 1 } })
    expect(unknown.statusCode).toBe(400)
    expect(fieldsOf(unknown)).toEqual(['extra'])
  })

  it('a second standard for one region and day is a conflict on effectiveFrom', async () => {
    const res = await api.request(provinceAdmin, { method: 'POST', url: '/api/standards', payload: body() })
    expect(res.statusCode).toBe(409)
    expect(res.json().error.code).toBe('CONFLICT')
    expect(fieldsOf(res)).toEqual(['effectiveFrom'])
  })

  it('a case worker may read but not add (403)', async () => {
    const res = await api.request(worker, { method: 'POST', url: '/api/standards', payload: body({ effectiveFrom: '2033-01-01' }) })
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('FORBIDDEN')
    const del = await api.request(worker, { method: 'DELETE', url: `/api/standards/${created.id}` })
    expect(del.statusCode).toBe(403)
  })

  it('a region outside the scope is refused on create', async () => {
    const res = await api.request(provinceAdmin, { method: 'POST', url: '/api/standards', payload: body({ regionCode: '420102' }) })
    expect(res.statusCode).toBe(400)
    expect(fieldsOf(res)).toEqual(['regionCode'])
  })

  it('lists the standards of the scope and above it; another county’s are invisible', async () => {
    const mine = await api.request(worker, { method: 'GET', url: '/api/standards?limit=200' })
    expect(mine.statusCode).toBe(200)
    const ids = mine.json().items.map((s: { id: string }) => s.id)
    expect(ids).toContain(created.id)
    const theirs = await api.request(worker2, { method: 'GET', url: '/api/standards?limit=200' })
    expect(theirs.json().items.map((s: { id: string }) => s.id)).not.toContain(created.id)
    expect(theirs.json().items.every((s: { regionCode: string }) => !s.regionCode.startsWith('410102'))).toBe(true)
    // narrowing to another county answers like a missing region
    const other = await api.request(worker2, { method: 'GET', url: '/api/standards?regionCode=410102' })
    const missing = await api.request(worker2, { method: 'GET', url: '/api/standards?regionCode=410199' })
    expect(other.statusCode).toBe(404)
    expect(other.json()).toEqual(missing.json())
    const bad = await api.request(worker2, { method: 'GET', url: '/api/standards?regionCode=41' })
    expect(bad.statusCode).toBe(400)
    expect(fieldsOf(bad)).toEqual(['regionCode'])
  })

  it('gives the standard in force for a region and day', async () => {
    const res = await api.request(worker, { method: 'GET', url: '/api/standards/in-force?regionCode=410102&on=2032-06-01' })
    expect(res.statusCode).toBe(200)
    expect(res.json().standard).toMatchObject({ id: created.id, dibaoLineFen: '85000' })
    const before = await api.request(worker, { method: 'GET', url: '/api/standards/in-force?regionCode=410102&on=2020-06-01' })
    expect(before.json().standard).toMatchObject({ effectiveFrom: '2001-01-01', relativeMultipleBp: 15_000 })
    const none = await api.request(admin, { method: 'GET', url: '/api/standards/in-force?regionCode=540102&on=2020-06-01' })
    expect(none.statusCode).toBe(200)
    expect(none.json().standard).toBeNull()
    const outside = await api.request(worker2, { method: 'GET', url: '/api/standards/in-force?regionCode=410102' })
    expect(outside.statusCode).toBe(404)
    const badDay = await api.request(worker, { method: 'GET', url: '/api/standards/in-force?regionCode=410102&on=2026-02-30' })
    expect(badDay.statusCode).toBe(400)
    expect(fieldsOf(badDay)).toEqual(['on'])
  })

  it('deletes a standard not yet in force; one in force stays; outside the scope is not found', async () => {
    const inForce = (await api.request(worker, { method: 'GET', url: '/api/standards/in-force?regionCode=410102&on=2020-06-01' })).json().standard
    const refused = await api.request(provinceAdmin, { method: 'DELETE', url: `/api/standards/${inForce.id}` })
    expect(refused.statusCode).toBe(409)
    expect(fieldsOf(refused)).toEqual(['effectiveFrom'])

    const hubei = await api.request(admin, { method: 'POST', url: '/api/standards', payload: body({ regionCode: '420102' }) })
    expect(hubei.statusCode).toBe(201)
    const outside = await api.request(provinceAdmin, { method: 'DELETE', url: `/api/standards/${hubei.json().standard.id}` })
    const missing = await api.request(provinceAdmin, { method: 'DELETE', url: `/api/standards/${randomUUID()}` })
    expect(outside.statusCode).toBe(404)
    expect(outside.json()).toEqual(missing.json())

    const del = await api.request(provinceAdmin, { method: 'DELETE', url: `/api/standards/${created.id}` })
    expect(del.statusCode).toBe(204)
    const again = await api.request(provinceAdmin, { method: 'DELETE', url: `/api/standards/${created.id}` })
    expect(again.statusCode).toBe(404)
    const audit = await api.request(provinceAdmin, { method: 'GET', url: '/api/audit?action=standard.delete' })
    expect(audit.json().items.map((e: { entityId: string }) => e.entityId)).toEqual([created.id])
  })
})
