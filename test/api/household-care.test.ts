import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMonths } from '../../src/server/modules/households/visits.ts'
import { chinaDate } from '../../src/server/platform/china-date.ts'
import { residentIdCheckChar } from '../../src/server/platform/codes/resident-id.ts'
import { type Session, type TestApi, testApi } from '../support/api.ts'

let api: TestApi
let worker: Session // case_worker, 410102
let worker2: Session // case_worker2, 410103
let approver: Session // city 4101, read only for households
let orgId: string
let householdId: string
const today = chinaDate()

const idOf = (first17: string) => first17 + residentIdCheckChar(first17)

beforeAll(async () => {
  api = await testApi()
  worker = await api.login('case_worker')
  worker2 = await api.login('case_worker2')
  approver = await api.login('approver')
  orgId = (await api.request(worker, { method: 'GET', url: '/api/auth/me' })).json().user.org.id
  const filed = await api.request(worker, {
    method: 'POST',
    url: '/api/households',
    payload: {
      regionCode: '410102',
      orgId,
      address: '郑州市中原区桐柏路 3 号',
      members: [{ name: '周建国', relation: 'head', idNumber: idOf('41010219700707301'), health: 'healthy', workStatus: 'laid_off', monthlyIncomeFen: '80000' }],
    },
  })
  expect(filed.statusCode).toBe(201)
  householdId = filed.json().id
  // on file for eight months, never visited
  await sql`UPDATE household SET status = 'verified', verified_at = ${`${addMonths(today, -8)}T10:00:00+08:00`}::timestamptz WHERE id = ${householdId}`.execute(api.database.db)
})
afterAll(async () => api?.close())

describe('/api/households/:id/measures', () => {
  let measureId: string

  it('adds a measure (201) and lists the plan', async () => {
    const res = await api.request(worker, {
      method: 'POST',
      url: `/api/households/${householdId}/measures`,
      payload: { batch: 'social_insurance', target: '补缴养老保险', responsible: '王帮扶', dueOn: addMonths(today, 2) },
    })
    expect(res.statusCode).toBe(201)
    measureId = res.json().id
    expect(res.json()).toMatchObject({ batch: 'social_insurance', status: 'planned', version: 1, current: true, outcome: null })
    const list = await api.request(worker, { method: 'GET', url: `/api/households/${householdId}/measures` })
    expect(list.statusCode).toBe(200)
    expect(list.json()).toMatchObject({ episode: 1, editable: true, items: [{ id: measureId }] })
  })

  it('names invalid fields, from the schema and from the rules', async () => {
    const schema = await api.request(worker, { method: 'POST', url: `/api/households/${householdId}/measures`, payload: { batch: 'x', target: 't', responsible: 'r', dueOn: 'soon' } })
    expect(schema.statusCode).toBe(400)
    expect(schema.json().error.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['batch', 'dueOn']))
    const rules = await api.request(worker, {
      method: 'POST',
      url: `/api/households/${householdId}/measures`,
      headers: { 'accept-language': 'zh-CN' },
      payload: { batch: 'medical', target: ' ', responsible: 'r', dueOn: '2001-01-01' },
    })
    expect(rules.statusCode).toBe(400)
    expect(rules.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'target', message: '不能为空' }, { field: 'dueOn' }] })
  })

  it('patches status with the version read; a stale version answers 409', async () => {
    const ok = await api.request(worker, { method: 'PATCH', url: `/api/households/${householdId}/measures/${measureId}`, payload: { version: 1, status: 'in_progress' } })
    expect(ok.statusCode).toBe(200)
    expect(ok.json()).toMatchObject({ status: 'in_progress', version: 2 })
    const stale = await api.request(worker, { method: 'PATCH', url: `/api/households/${householdId}/measures/${measureId}`, payload: { version: 1, status: 'done', outcome: '已补缴' } })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().error).toMatchObject({ code: 'CONFLICT', details: [{ field: 'version' }] })
  })

  it('answers another county, a random id and a measure of a random id alike: 404', async () => {
    const routes = [
      { method: 'GET' as const, url: `/api/households/${householdId}/measures` },
      { method: 'POST' as const, url: `/api/households/${householdId}/measures`, payload: { batch: 'medical', target: 't', responsible: 'r', dueOn: today } },
      { method: 'PATCH' as const, url: `/api/households/${householdId}/measures/${measureId}`, payload: { version: 2, status: 'cancelled' } },
    ]
    for (const r of routes) {
      const outside = await api.request(worker2, r)
      const missing = await api.request(worker2, { ...r, url: r.url.replace(householdId, randomUUID()) })
      expect(outside.statusCode).toBe(404)
      expect(outside.json()).toEqual(missing.json())
    }
    const noMeasure = await api.request(worker, { method: 'PATCH', url: `/api/households/${householdId}/measures/${randomUUID()}`, payload: { version: 1, status: 'cancelled' } })
    expect(noMeasure.statusCode).toBe(404)
    const readOnly = await api.request(approver, routes[1]!)
    expect(readOnly.statusCode).toBe(403)
  })
})

describe('/api/households/:id/pairing', () => {
  it('sets and replaces the helper; reads it back', async () => {
    const set = await api.request(worker, { method: 'PUT', url: `/api/households/${householdId}/pairing`, payload: { helperOrgId: orgId, helperPerson: '刘结对' } })
    expect(set.statusCode).toBe(200)
    expect(set.json()).toMatchObject({ helperOrgId: orgId, helperPerson: '刘结对', pairedOn: today, paired: true, editable: true })
    const replaced = await api.request(worker, { method: 'PUT', url: `/api/households/${householdId}/pairing`, payload: { helperOrgId: orgId, helperPerson: '陈帮扶', pairedOn: '2026-03-01' } })
    expect(replaced.json()).toMatchObject({ helperPerson: '陈帮扶', pairedOn: '2026-03-01' })
    const read = await api.request(approver, { method: 'GET', url: `/api/households/${householdId}/pairing` })
    expect(read.statusCode).toBe(200)
    expect(read.json().helperPerson).toBe('陈帮扶')
  })

  it('refuses a helper unit outside the scope by field; another county gets 404', async () => {
    const me2 = (await api.request(worker2, { method: 'GET', url: '/api/auth/me' })).json().user.org.id
    const bad = await api.request(worker, { method: 'PUT', url: `/api/households/${householdId}/pairing`, payload: { helperOrgId: me2, helperPerson: '张' } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.details).toEqual([{ field: 'helperOrgId', message: 'is not an active organisation within your data scope' }])
    for (const r of [
      { method: 'GET' as const, url: `/api/households/${householdId}/pairing` },
      { method: 'PUT' as const, url: `/api/households/${householdId}/pairing`, payload: { helperOrgId: me2, helperPerson: '张' } },
    ]) {
      const outside = await api.request(worker2, r)
      const missing = await api.request(worker2, { ...r, url: r.url.replace(householdId, randomUUID()) })
      expect(outside.statusCode).toBe(404)
      expect(outside.json()).toEqual(missing.json())
    }
  })
})

describe('/api/households/:id/visits', () => {
  it('is overdue before the first visit; a visit clears the flag', async () => {
    const before = await api.request(worker, { method: 'GET', url: `/api/households/${householdId}/visits` })
    expect(before.statusCode).toBe(200)
    expect(before.json()).toMatchObject({ overdue: true, onFile: true, lastVisitOn: null, items: [] })
    const added = await api.request(worker, { method: 'POST', url: `/api/households/${householdId}/visits`, payload: { visitedOn: today, visitor: '王帮扶', findings: '住房漏雨', followUp: '协调维修' } })
    expect(added.statusCode).toBe(201)
    expect(added.json()).toMatchObject({ visitedOn: today, visitor: '王帮扶', findings: '住房漏雨', followUp: '协调维修' })
    const after = await api.request(worker, { method: 'GET', url: `/api/households/${householdId}/visits` })
    expect(after.json()).toMatchObject({ overdue: false, lastVisitOn: today, dueBy: addMonths(today, 6), items: [{ visitedOn: today }] })
  })

  it('refuses a visit in the future by field; another county gets 404', async () => {
    const future = await api.request(worker, { method: 'POST', url: `/api/households/${householdId}/visits`, payload: { visitedOn: addMonths(today, 1), visitor: '王', findings: 'f' } })
    expect(future.statusCode).toBe(400)
    expect(future.json().error.details).toEqual([{ field: 'visitedOn', message: 'must not be in the future' }])
    for (const r of [
      { method: 'GET' as const, url: `/api/households/${householdId}/visits` },
      { method: 'POST' as const, url: `/api/households/${householdId}/visits`, payload: { visitedOn: today, visitor: '王', findings: 'f' } },
    ]) {
      const outside = await api.request(worker2, r)
      const missing = await api.request(worker2, { ...r, url: r.url.replace(householdId, randomUUID()) })
      expect(outside.statusCode).toBe(404)
      expect(outside.json()).toEqual(missing.json())
    }
  })
})

describe('/api/households/pairing-coverage and /api/households/overdue-visits', () => {
  it('are not taken for a household id by GET /households/:id', async () => {
    const coverage = await api.request(worker, { method: 'GET', url: '/api/households/pairing-coverage' })
    expect(coverage.statusCode).toBe(200)
    expect(coverage.json()).toMatchObject({ regionPrefix: '410102', total: { onFile: expect.any(Number), paired: expect.any(Number), percent: expect.any(Number) } })
    const overdue = await api.request(worker, { method: 'GET', url: '/api/households/overdue-visits' })
    expect(overdue.statusCode).toBe(200)
    expect(overdue.json()).toMatchObject({ today, items: expect.any(Array) })
  })

  it('reports coverage per filing organisation, basis points, for a region in scope', async () => {
    const res = await api.request(approver, { method: 'GET', url: '/api/households/pairing-coverage?regionCode=410102' })
    expect(res.statusCode).toBe(200)
    const line = res.json().items.find((i: { orgId: string }) => i.orgId === orgId)
    expect(line.onFile).toBeGreaterThanOrEqual(1)
    expect(line.paired).toBeGreaterThanOrEqual(1)
    expect(line.percent).toBe(Math.floor((line.paired * 10_000) / line.onFile))
    expect(typeof line.orgName).toBe('string')
  })

  it('lists an overdue household until it is visited', async () => {
    const other = await api.request(worker, {
      method: 'POST',
      url: '/api/households',
      payload: {
        regionCode: '410102',
        orgId,
        address: '郑州市中原区桐柏路 5 号',
        members: [{ name: '吴长青', relation: 'head', idNumber: idOf('41010219710808402'), health: 'healthy', workStatus: 'laid_off', monthlyIncomeFen: '50000' }],
      },
    })
    const id = other.json().id
    await sql`UPDATE household SET status = 'verified', verified_at = now() - interval '400 days' WHERE id = ${id}`.execute(api.database.db)
    const ids = async (session: Session, query = '') => {
      const found: string[] = []
      let cursor: string | null = null
      do {
        const res = await api.request(session, { method: 'GET', url: `/api/households/overdue-visits?limit=200${query}${cursor ? `&cursor=${cursor}` : ''}` })
        expect(res.statusCode).toBe(200)
        found.push(...res.json().items.map((i: { id: string }) => i.id))
        cursor = res.json().nextCursor
      } while (cursor)
      return found
    }
    expect(await ids(worker)).toContain(id)
    expect(await ids(approver, '&regionCode=410102')).toContain(id)
    expect(await ids(worker)).not.toContain(householdId) // visited today
    expect(await ids(worker2)).not.toContain(id)
    await api.request(worker, { method: 'POST', url: `/api/households/${id}/visits`, payload: { visitedOn: today, visitor: '王', findings: '走访' } })
    expect(await ids(worker)).not.toContain(id)
  })

  it('answers a region outside the scope with 404, a malformed one with 400', async () => {
    for (const url of ['/api/households/pairing-coverage?regionCode=410103', '/api/households/overdue-visits?regionCode=410103', '/api/households/pairing-coverage?regionCode=41']) {
      const res = await api.request(worker, { method: 'GET', url })
      expect(res.statusCode).toBe(404)
      expect(res.json().error.code).toBe('NOT_FOUND')
    }
    const bad = await api.request(worker, { method: 'GET', url: '/api/households/pairing-coverage?regionCode=41x' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.details[0].field).toBe('regionCode')
  })
})

describe('every care route', () => {
  it('refuses the unauthenticated with 401', async () => {
    const m = randomUUID()
    for (const r of [
      { method: 'GET' as const, url: `/api/households/${householdId}/measures` },
      { method: 'POST' as const, url: `/api/households/${householdId}/measures`, payload: {} },
      { method: 'PATCH' as const, url: `/api/households/${householdId}/measures/${m}`, payload: {} },
      { method: 'GET' as const, url: `/api/households/${householdId}/pairing` },
      { method: 'PUT' as const, url: `/api/households/${householdId}/pairing`, payload: {} },
      { method: 'GET' as const, url: `/api/households/${householdId}/visits` },
      { method: 'POST' as const, url: `/api/households/${householdId}/visits`, payload: {} },
      { method: 'GET' as const, url: '/api/households/pairing-coverage' },
      { method: 'GET' as const, url: '/api/households/overdue-visits' },
    ]) {
      const res = await api.request(null, r)
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401)
      expect(res.json().error.code).toBe('AUTH_REQUIRED')
    }
  })
})
