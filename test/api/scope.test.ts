import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Session, type TestApi, testApi } from '../support/api.ts'

// domain.md §1: no query, export, report or file ever returns a row outside the caller's
// scope, and an out-of-scope record answers exactly like a missing one.

let api: TestApi
let zhongyuan: Session // case worker, 410102
let erqiAdmin: Session // an administrator in the neighbouring county, 410103
let erqiOrgId: string
let zhongyuanOrgId: string
let zhongyuanUserId: string

beforeAll(async () => {
  api = await testApi()
  const provinceAdmin = await api.login('province_admin')
  const find = async (name: string) =>
    (await api.request(provinceAdmin, { method: 'GET', url: `/api/orgs?q=${encodeURIComponent(name)}` })).json().items[0].id as string
  erqiOrgId = await find('郑州二七区总工会')
  zhongyuanOrgId = await find('郑州中原区总工会')
  const created = await api.request(provinceAdmin, {
    method: 'POST',
    url: '/api/users',
    payload: { username: 'erqi_admin', displayName: '二七区管理员', orgId: erqiOrgId, roles: ['admin', 'inspector'], password: 'erqi-admin-pass' },
  })
  expect(created.statusCode).toBe(201)
  zhongyuan = await api.login('case_worker')
  zhongyuanUserId = zhongyuan.userId
  erqiAdmin = await api.login('erqi_admin', 'erqi-admin-pass')
})
afterAll(async () => api?.close())

describe('every API route refuses the anonymous', () => {
  it('answers 401 AUTH_REQUIRED on each documented route but sign-in and the public postings', async () => {
    const doc = (await api.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> }
    const routes = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => [m.toUpperCase(), path] as const))
    expect(routes.length).toBeGreaterThan(15)
    for (const [method, path] of routes) {
      // The public side of postings (公示) is for everyone: test/api/postings.test.ts.
      if (path === '/api/auth/login' || path.startsWith('/api/public/')) continue
      const url = path.replace(/\{[^}]+\}/g, (p) => (p === '{code}' ? '410102' : randomUUID()))
      const res = await api.app.inject({ method, url, payload: method === 'GET' ? undefined : {} })
      expect.soft(res.statusCode, `${method} ${path}`).toBe(401)
      expect.soft(res.json(), `${method} ${path}`).toEqual({ error: { code: 'AUTH_REQUIRED', message: '请先登录' } })
    }
  })
})

/** The answer for an id nobody has: what an out-of-scope id must look like too. */
async function missing(session: Session, method: 'GET' | 'PATCH' | 'POST', url: (id: string) => string, payload?: object) {
  const res = await api.request(session, { method, url: url(randomUUID()), payload })
  return { status: res.statusCode, body: res.json() }
}

describe('out of scope answers like missing', () => {
  const cases: { name: string; method: 'GET' | 'PATCH' | 'POST'; url: (id: string) => string; payload?: object; id: () => string }[] = [
    { name: 'GET /api/orgs/:id', method: 'GET', url: (id) => `/api/orgs/${id}`, id: () => zhongyuanOrgId },
    { name: 'PATCH /api/orgs/:id', method: 'PATCH', url: (id) => `/api/orgs/${id}`, payload: { name: '改名' }, id: () => zhongyuanOrgId },
    { name: 'GET /api/users/:id', method: 'GET', url: (id) => `/api/users/${id}`, id: () => zhongyuanUserId },
    { name: 'PATCH /api/users/:id', method: 'PATCH', url: (id) => `/api/users/${id}`, payload: { displayName: 'x' }, id: () => zhongyuanUserId },
    { name: 'POST /api/users/:id/reset-password', method: 'POST', url: (id) => `/api/users/${id}/reset-password`, payload: { password: 'another-pass-1' }, id: () => zhongyuanUserId },
    { name: 'POST /api/users/:id/unlock', method: 'POST', url: (id) => `/api/users/${id}/unlock`, id: () => zhongyuanUserId },
  ]
  for (const c of cases) {
    it(c.name, async () => {
      const res = await api.request(erqiAdmin, { method: c.method, url: c.url(c.id()), payload: c.payload })
      const none = await missing(erqiAdmin, c.method, c.url, c.payload)
      expect(none.status).toBe(404)
      expect({ status: res.statusCode, body: res.json() }).toEqual(none)
    })
  }

  it('creating under an out-of-scope parent answers like a missing parent', async () => {
    const payload = (parentId: string) => ({ parentId, name: '越界工会', type: 'grassroots_union', regionCode: '410103' })
    const res = await api.request(erqiAdmin, { method: 'POST', url: '/api/orgs', payload: payload(zhongyuanOrgId) })
    const none = await api.request(erqiAdmin, { method: 'POST', url: '/api/orgs', payload: payload(randomUUID()) })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toEqual(none.json())
  })

  it('creating a user in an out-of-scope organisation answers like a missing one', async () => {
    const payload = (orgId: string) => ({ username: 'sneaky', displayName: 's', orgId, roles: [], password: 'sneaky-pass-12' })
    const res = await api.request(erqiAdmin, { method: 'POST', url: '/api/users', payload: payload(zhongyuanOrgId) })
    const none = await api.request(erqiAdmin, { method: 'POST', url: '/api/users', payload: payload(randomUUID()) })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual(none.json())
  })

  it('lists hold only in-scope rows', async () => {
    const orgs = await api.request(erqiAdmin, { method: 'GET', url: `/api/orgs?q=${encodeURIComponent('中原')}` })
    expect(orgs.json().items).toEqual([])
    const children = await api.request(erqiAdmin, { method: 'GET', url: `/api/orgs?parentId=${zhongyuanOrgId}` })
    expect(children.json().items).toEqual([])
    const tops = await api.request(erqiAdmin, { method: 'GET', url: '/api/orgs' })
    expect(tops.json().items.length).toBeGreaterThan(0)
    // The city bodies above are out of scope: not even their ids or names show.
    expect(tops.json().items.every((o: { parentId: string | null; parentName: string | null }) => o.parentId === null && o.parentName === null)).toBe(true)
    const users = await api.request(erqiAdmin, { method: 'GET', url: '/api/users' })
    expect(users.json().items.map((u: { username: string }) => u.username).sort()).toEqual(['case_worker2', 'erqi_admin'])
    const audit = await api.request(erqiAdmin, { method: 'GET', url: '/api/audit?limit=200' })
    expect(audit.json().items.length).toBeGreaterThan(0)
    expect(audit.json().items.every((e: { regionCode: string }) => e.regionCode?.startsWith('410103'))).toBe(true)
  })

  it('counts on the workbench cover only the scope', async () => {
    const summary = await api.request(erqiAdmin, { method: 'GET', url: '/api/dashboard/summary' })
    expect(summary.statusCode).toBe(200)
    expect(summary.json()).toMatchObject({ users: 2, regions: { provinces: 34, cities: 337, counties: 2846 } })
    const province = await api.request(await api.login('province_admin'), { method: 'GET', url: '/api/dashboard/summary' })
    expect(province.json().orgs).toBeGreaterThan(summary.json().orgs)
  })

  it('chain verification is refused below province scope', async () => {
    const res = await api.request(erqiAdmin, { method: 'GET', url: '/api/audit/verify' })
    expect(res.statusCode).toBe(403)
    const inspector = await api.login('inspector')
    const ok = await api.request(inspector, { method: 'GET', url: '/api/audit/verify' })
    expect(ok.json()).toMatchObject({ ok: true, firstBroken: null })
  })
})
