import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../src/server/modules/access/users.service.ts'
import { chinaDate } from '../../src/server/platform/china-date.ts'
import { systemPrincipal } from '../../src/server/platform/principal.ts'
import { type Session, type TestApi, testApi } from '../support/api.ts'

let api: TestApi
let admin: Session // national
let province: Session // province_admin, 河南省 41
let countyAdmin: Session // made here: an administrator of the 中原区 county union (410102)
let caseWorker: Session // case_worker, 中原区: no role.read
const PASSWORD = 'policies-api-pass-1'

beforeAll(async () => {
  api = await testApi()
  const db = api.database.db
  const org = await db.selectFrom('org').select('id').where('type', '=', 'county_union').where('region_code', '=', '410102').executeTakeFirstOrThrow()
  await createUser(db, systemPrincipal('test'), { username: 'zy_admin', displayName: '中原区管理员', orgId: org.id, roles: ['admin'], password: PASSWORD })
  admin = await api.login('admin')
  province = await api.login('province_admin')
  countyAdmin = await api.login('zy_admin', PASSWORD)
  caseWorker = await api.login('case_worker')
})
afterAll(async () => api?.close())

type Listed = { id: string; kind: string; regionPrefix: string; regionName: string; steps: unknown[]; effectiveFrom: string; status: string; setBy: { name: string } | null; setAt: string }

const approve = 'household.approve'
const put = (who: Session, body: object) => api.request(who, { method: 'PUT', url: '/api/approval-policies', payload: { kind: 'household.file', ...body } })
const list = async (who: Session, query = 'kind=household.file&limit=100') => {
  const res = await api.request(who, { method: 'GET', url: `/api/approval-policies/list?${query}` })
  expect(res.statusCode, res.body).toBe(200)
  return res.json() as { items: Listed[]; nextCursor: string | null }
}
/** A date `days` from today (China time). */
const day = (days: number) => chinaDate(new Date(Date.now() + days * 86_400_000))

describe('/api/approval-policies/list', () => {
  it('refuses the unauthenticated', async () => {
    for (const url of ['/api/approval-policies/list', '/api/approval-policies/kinds']) {
      expect((await api.request(null, { method: 'GET', url })).statusCode, url).toBe(401)
    }
  })

  it('refuses a case worker, who holds no role.read', async () => {
    const res = await api.request(caseWorker, { method: 'GET', url: '/api/approval-policies/list' })
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('FORBIDDEN')
  })

  it('lists a policy set through PUT, with who set it and whether it is in force', async () => {
    const set = await put(province, { regionPrefix: '4101', steps: [{ level: 'county', permission: approve }, { level: 'city', permission: approve }, { level: 'province', permission: approve }], effectiveFrom: day(-30) })
    expect(set.statusCode, set.body).toBe(200)
    const items = (await list(province)).items
    const found = items.find((p) => p.id === set.json().id)
    expect(found).toMatchObject({
      kind: 'household.file',
      regionPrefix: '4101',
      regionName: '河南省 郑州市',
      effectiveFrom: day(-30),
      status: 'current',
      setBy: { name: '省总工会管理员' },
      steps: [{ level: 'county' }, { level: 'city' }, { level: 'province' }],
    })
    expect(Number.isNaN(Date.parse(found!.setAt))).toBe(false)

    // The lookup names the policy that applies.
    const look = await api.request(province, { method: 'GET', url: '/api/approval-policies?kind=household.file&regionCode=410102' })
    expect(look.json()).toMatchObject({ policyId: set.json().id, regionPrefix: '4101', regionName: '河南省 郑州市', effectiveFrom: day(-30) })
    const none = await api.request(province, { method: 'GET', url: '/api/approval-policies?kind=household.file&regionCode=410300' })
    expect(none.json()).toMatchObject({ policyId: null, steps: [{ level: 'county' }, { level: 'city' }] })
    expect(none.json()).not.toHaveProperty('regionPrefix')
  })

  it('orders newest effective first and marks later and replaced policies', async () => {
    const old = (await put(province, { regionPrefix: '4102', steps: [{ level: 'county', permission: approve }], effectiveFrom: day(-400) })).json()
    const now = (await put(province, { regionPrefix: '4102', steps: [{ level: 'city', permission: approve }], effectiveFrom: day(-10) })).json()
    const later = (await put(province, { regionPrefix: '4102', steps: [{ level: 'province', permission: approve }], effectiveFrom: day(20) })).json()
    const items = (await list(province)).items.filter((p) => p.regionPrefix === '4102')
    expect(items.map((p) => [p.id, p.status])).toEqual([
      [later.id, 'future'],
      [now.id, 'current'],
      [old.id, 'superseded'],
    ])
    const all = (await list(province)).items.map((p) => p.effectiveFrom)
    expect(all).toEqual([...all].sort().reverse())
  })

  it('pages with a cursor', async () => {
    const first = await list(province, 'kind=household.file&limit=2')
    expect(first.items).toHaveLength(2)
    expect(first.nextCursor).not.toBeNull()
    const second = await list(province, `kind=household.file&limit=2&cursor=${first.nextCursor}`)
    expect(second.items.length).toBeGreaterThan(0)
    expect(second.items.map((p) => p.id)).not.toContain(first.items[0]!.id)
    expect(second.items[0]!.effectiveFrom <= first.items[1]!.effectiveFrom).toBe(true)
    const forged = await api.request(province, { method: 'GET', url: '/api/approval-policies/list?cursor=bm90LWEtY3Vyc29y' })
    expect(forged.statusCode).toBe(400)
  })

  it('shows a county user the policies inside and above its county, not another county or province', async () => {
    const steps = [{ level: 'county', permission: approve }]
    const national = (await put(admin, { regionPrefix: '', steps, effectiveFrom: day(-5) })).json()
    const henan = (await put(admin, { regionPrefix: '41', steps, effectiveFrom: day(-5) })).json()
    const own = (await put(admin, { regionPrefix: '410102', steps, effectiveFrom: day(-5) })).json()
    const sibling = (await put(admin, { regionPrefix: '410103', steps, effectiveFrom: day(-5) })).json()
    const elsewhere = await put(admin, { regionPrefix: '42', steps, effectiveFrom: day(-5) })
    expect(elsewhere.statusCode, elsewhere.body).toBe(200)
    // a province administrator cannot set another province's policy
    expect((await put(province, { regionPrefix: '42', steps })).statusCode).toBe(403)

    const seen = (await list(countyAdmin)).items.map((p) => p.id)
    expect(seen).toEqual(expect.arrayContaining([national.id, henan.id, own.id]))
    expect(seen).not.toContain(sibling.id)
    expect(seen).not.toContain(elsewhere.json().id)
    expect((await list(countyAdmin)).items.find((p) => p.id === national.id)?.regionName).toBe('')

    const seenByProvince = (await list(province)).items.map((p) => p.id)
    expect(seenByProvince).toEqual(expect.arrayContaining([national.id, henan.id, own.id, sibling.id]))
    expect(seenByProvince).not.toContain(elsewhere.json().id)
    expect((await list(admin)).items.map((p) => p.id)).toContain(elsewhere.json().id)
  })

  it('filters by kind', async () => {
    expect((await list(admin, 'kind=payment.batch')).items).toEqual([])
  })

  it('lists the registered subject kinds with the permission their steps need', async () => {
    const res = await api.request(caseWorker, { method: 'GET', url: '/api/approval-policies/kinds' })
    expect(res.statusCode).toBe(200)
    expect(res.json().items).toContainEqual({ kind: 'household.file', approvePermission: 'household.approve', base: null, nameZh: null, nameEn: null })
  })
})
