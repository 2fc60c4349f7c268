import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Session, type TestApi, testApi } from '../support/api.ts'

let api: TestApi
let provinceAdmin: Session
let caseWorker: Session
let zhongyuanUnion: { id: string }
let erqiUnion: { id: string }

beforeAll(async () => {
  api = await testApi()
  provinceAdmin = await api.login('province_admin')
  caseWorker = await api.login('case_worker')
  const find = async (name: string) => {
    const res = await api.request(provinceAdmin, { method: 'GET', url: `/api/orgs?q=${encodeURIComponent(name)}` })
    return res.json().items[0] as { id: string }
  }
  zhongyuanUnion = await find('郑州中原区总工会')
  erqiUnion = await find('郑州二七区总工会')
})
afterAll(async () => api?.close())

describe('GET /api/orgs', () => {
  it('shows a county user only the tops of their own county', async () => {
    const res = await api.request(caseWorker, { method: 'GET', url: '/api/orgs' })
    expect(res.statusCode).toBe(200)
    const items = res.json().items as { regionCode: string; name: string }[]
    expect(items.length).toBeGreaterThan(0)
    expect(items.every((o) => o.regionCode === '410102')).toBe(true)
  })

  it('shows a province user the province bodies as tops, and pages by cursor', async () => {
    const tops = await api.request(provinceAdmin, { method: 'GET', url: '/api/orgs' })
    expect(tops.json().items.map((o: { type: string }) => o.type).sort()).toEqual(['province_bureau', 'province_union'])
    const union = tops.json().items.find((o: { type: string }) => o.type === 'province_union')
    const first = await api.request(provinceAdmin, { method: 'GET', url: `/api/orgs?parentId=${union.id}&limit=5` })
    expect(first.json().items).toHaveLength(5)
    expect(first.json().nextCursor).toEqual(expect.any(String))
    const second = await api.request(provinceAdmin, { method: 'GET', url: `/api/orgs?parentId=${union.id}&limit=5&cursor=${first.json().nextCursor}` })
    const names = [...first.json().items, ...second.json().items].map((o: { name: string }) => o.name)
    expect(new Set(names).size).toBe(10)
  })

  it('refuses a forged cursor by name', async () => {
    const res = await api.request(provinceAdmin, { method: 'GET', url: '/api/orgs?cursor=bm90LWEtY3Vyc29y' })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.details).toEqual([{ field: 'cursor', message: 'not a cursor this API issued' }])
  })
})

describe('POST /api/orgs', () => {
  it('creates a grassroots union under a county union, audited', async () => {
    const res = await api.request(provinceAdmin, {
      method: 'POST',
      url: '/api/orgs',
      payload: { parentId: zhongyuanUnion.id, name: '郑州第一棉纺厂工会', type: 'grassroots_union', regionCode: '410102' },
    })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ name: '郑州第一棉纺厂工会', level: 'grassroots', regionCode: '410102', parentId: zhongyuanUnion.id, active: true })
    const audit = await api.request(provinceAdmin, { method: 'GET', url: `/api/audit?entityId=${res.json().id}` })
    expect(audit.json().items).toMatchObject([{ action: 'org.create', actorName: 'province_admin', after: { name: '郑州第一棉纺厂工会' } }])
  })

  it('names the field that is wrong', async () => {
    const outside = await api.request(provinceAdmin, {
      method: 'POST',
      url: '/api/orgs',
      payload: { parentId: zhongyuanUnion.id, name: 'X 工会', type: 'grassroots_union', regionCode: '410103' },
    })
    expect(outside.statusCode).toBe(400)
    expect(outside.json().error.details).toEqual([{ field: 'regionCode', message: "must lie within the parent organisation's region" }])

    const badType = await api.request(provinceAdmin, { method: 'POST', url: '/api/orgs', payload: { parentId: zhongyuanUnion.id, name: 'Y', type: 'club', regionCode: '410102' } })
    expect(badType.statusCode).toBe(400)
    expect(badType.json().error.details[0].field).toBe('type')

    const noRegion = await api.request(provinceAdmin, { method: 'POST', url: '/api/orgs', payload: { parentId: zhongyuanUnion.id, name: 'Z', type: 'grassroots_union', regionCode: '419999' } })
    expect(noRegion.json().error.details).toEqual([{ field: 'regionCode', message: 'is not a GB/T 2260 region code' }])

    const up = await api.request(provinceAdmin, { method: 'POST', url: '/api/orgs', payload: { parentId: zhongyuanUnion.id, name: 'W', type: 'city_union', regionCode: '410100' } })
    expect(up.json().error.details).toEqual([{ field: 'type', message: 'cannot sit under a county-level organisation' }])
  })

  it('names the field in Chinese for a Chinese browser', async () => {
    const res = await api.request(provinceAdmin, {
      method: 'POST',
      url: '/api/orgs',
      headers: { 'accept-language': 'zh-CN' },
      payload: { parentId: zhongyuanUnion.id, name: 'X 工会', type: 'grassroots_union', regionCode: '410103' },
    })
    expect(res.json().error.details).toEqual([{ field: 'regionCode', message: '必须位于上级组织的行政区划之内' }])
  })

  it('refuses a duplicate name under the same parent with CONFLICT', async () => {
    const payload = { parentId: zhongyuanUnion.id, name: '郑州重名测试工会', type: 'grassroots_union', regionCode: '410102' }
    expect((await api.request(provinceAdmin, { method: 'POST', url: '/api/orgs', payload })).statusCode).toBe(201)
    const again = await api.request(provinceAdmin, { method: 'POST', url: '/api/orgs', payload })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('CONFLICT')
  })

  it('is forbidden to a role without org.manage', async () => {
    const res = await api.request(caseWorker, { method: 'POST', url: '/api/orgs', payload: { parentId: zhongyuanUnion.id, name: 'V', type: 'grassroots_union', regionCode: '410102' } })
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('FORBIDDEN')
  })
})

describe('PATCH /api/orgs/:id', () => {
  it('renames and deactivates, recording before and after', async () => {
    const created = await api.request(provinceAdmin, {
      method: 'POST',
      url: '/api/orgs',
      payload: { parentId: erqiUnion.id, name: '二七区待改名工会', type: 'grassroots_union', regionCode: '410103' },
    })
    const id = created.json().id
    const res = await api.request(provinceAdmin, { method: 'PATCH', url: `/api/orgs/${id}`, payload: { name: '二七区已改名工会', active: false } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ name: '二七区已改名工会', active: false })
    const audit = await api.request(provinceAdmin, { method: 'GET', url: `/api/audit?entityId=${id}&action=org.update` })
    expect(audit.json().items[0]).toMatchObject({ before: { name: '二七区待改名工会', active: true }, after: { name: '二七区已改名工会', active: false } })
  })

  it('refuses to deactivate an organisation with active children', async () => {
    const res = await api.request(provinceAdmin, { method: 'PATCH', url: `/api/orgs/${zhongyuanUnion.id}`, payload: { active: false } })
    expect(res.statusCode).toBe(409)
    expect(res.json().error.details).toEqual([{ field: 'active', message: 'has active child organisations' }])
  })
})
