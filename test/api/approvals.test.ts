import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../src/server/modules/access/users.service.ts'
import { residentIdCheckChar } from '../../src/server/platform/codes/resident-id.ts'
import { systemPrincipal } from '../../src/server/platform/principal.ts'
import { type Session, type TestApi, testApi } from '../support/api.ts'

let api: TestApi
let maker: Session // case_worker, county union 中原区 410102
let worker2: Session // case_worker2, 二七区 410103
let city: Session // approver, 郑州市 4101
let county: Session // made here: an approver of the 中原区 county union
let both: Session // made here: files and approves in 中原区
let admin: Session // province_admin: role.manage
const PASSWORD = 'approvals-api-pass-1'

beforeAll(async () => {
  api = await testApi()
  const db = api.database.db
  const org = await db.selectFrom('org').select('id').where('type', '=', 'county_union').where('region_code', '=', '410102').executeTakeFirstOrThrow()
  const system = systemPrincipal('test')
  await createUser(db, system, { username: 'zy_approver', displayName: '中原区审核', orgId: org.id, roles: ['approver'], password: PASSWORD })
  await createUser(db, system, { username: 'zy_both', displayName: '中原区经办兼审核', orgId: org.id, roles: ['case_worker', 'approver'], password: PASSWORD })
  maker = await api.login('case_worker')
  worker2 = await api.login('case_worker2')
  city = await api.login('approver')
  county = await api.login('zy_approver', PASSWORD)
  both = await api.login('zy_both', PASSWORD)
  admin = await api.login('province_admin')
})
afterAll(async () => api?.close())

let seq = 0
const newId = () => {
  const first17 = `41010219850505${String(++seq).padStart(3, '0')}`
  return first17 + residentIdCheckChar(first17)
}

/** Files a household as `who` and submits it; answers the household and its approval. */
async function submitted(who: Session) {
  const me = (await api.request(who, { method: 'GET', url: '/api/auth/me' })).json()
  const filed = await api.request(who, {
    method: 'POST',
    url: '/api/households',
    payload: {
      regionCode: '410102',
      orgId: me.user.org.id,
      address: '郑州市中原区建设路 8 号',
      members: [{ name: '刘建国', relation: 'head', idNumber: newId(), health: 'chronic_illness', workStatus: 'laid_off', monthlyIncomeFen: '80000' }],
    },
  })
  expect(filed.statusCode).toBe(201)
  const h = filed.json()
  const sub = await api.request(who, { method: 'POST', url: `/api/households/${h.id}/submit`, payload: { version: h.version } })
  expect(sub.statusCode).toBe(200)
  const a = (await api.request(who, { method: 'GET', url: `/api/households/${h.id}/approval` })).json().approval
  return { household: h as { id: string; fileNo: string }, approval: a as { id: string; version: number } }
}

describe('/api/approvals', () => {
  it('refuses the unauthenticated on every route', async () => {
    const id = randomUUID()
    for (const [method, url] of [
      ['GET', '/api/approvals/pending'],
      ['GET', `/api/approvals/${id}`],
      ['POST', `/api/approvals/${id}/decide`],
      ['POST', `/api/approvals/${id}/resubmit`],
      ['POST', `/api/approvals/${id}/withdraw`],
      ['GET', '/api/approval-policies?kind=household.file&regionCode=410102'],
      ['PUT', '/api/approval-policies'],
    ] as const) {
      const res = await api.request(null, { method, url, payload: method === 'GET' ? undefined : { version: 1, decision: 'approve' } })
      expect(res.statusCode, `${method} ${url}`).toBe(401)
    }
  })

  it("lists the caller's pending approvals with the file number and region, and goes county → city → approved", async () => {
    const { household, approval } = await submitted(maker)
    const pending = await api.request(county, { method: 'GET', url: '/api/approvals/pending?limit=100' })
    expect(pending.statusCode).toBe(200)
    const item = pending.json().items.find((a: { id: string }) => a.id === approval.id)
    expect(item).toMatchObject({ subjectKind: 'household.file', subjectId: household.id, regionName: '河南省 郑州市 中原区', status: 'pending', currentStep: 0, version: 1 })
    expect(item.subjectLabel).toContain(household.fileNo)
    expect((await api.request(city, { method: 'GET', url: '/api/approvals/pending?limit=100' })).json().items.map((a: { id: string }) => a.id)).not.toContain(approval.id)
    expect((await api.request(maker, { method: 'GET', url: '/api/approvals/pending' })).json()).toEqual({ items: [], nextCursor: null })

    const detail = await api.request(county, { method: 'GET', url: `/api/approvals/${approval.id}` })
    expect(detail.json()).toMatchObject({ mayDecide: true, mayWithdraw: false, actions: [{ action: 'submit', actor: { name: '王帮扶（中原区）' } }] })
    expect((await api.request(maker, { method: 'GET', url: `/api/approvals/${approval.id}` })).json()).toMatchObject({ mayDecide: false, mayWithdraw: true, mayResubmit: false })

    const first = await api.request(county, { method: 'POST', url: `/api/approvals/${approval.id}/decide`, payload: { decision: 'approve', opinion: '属实', version: 1 } })
    expect(first.statusCode).toBe(200)
    expect(first.json()).toMatchObject({ status: 'pending', currentStep: 1, version: 2, mayDecide: false })
    const second = await api.request(city, { method: 'POST', url: `/api/approvals/${approval.id}/decide`, payload: { decision: 'approve', version: 2 } })
    expect(second.statusCode).toBe(200)
    expect(second.json()).toMatchObject({ status: 'approved', version: 3 })
    expect(second.json().actions.map((a: { action: string; opinion: string | null }) => [a.action, a.opinion])).toEqual([
      ['submit', null],
      ['approve', '属实'],
      ['approve', null],
    ])
    expect((await api.request(maker, { method: 'GET', url: `/api/households/${household.id}` })).json().status).toBe('verified')
  })

  it('answers another county like a missing approval', async () => {
    const { approval } = await submitted(maker)
    const outside = await api.request(worker2, { method: 'GET', url: `/api/approvals/${approval.id}` })
    const missing = await api.request(worker2, { method: 'GET', url: `/api/approvals/${randomUUID()}` })
    expect(outside.statusCode).toBe(404)
    expect(outside.json()).toEqual(missing.json())
    for (const action of ['decide', 'resubmit', 'withdraw']) {
      const payload = action === 'decide' ? { decision: 'approve', version: 1 } : { version: 1 }
      const res = await api.request(worker2, { method: 'POST', url: `/api/approvals/${approval.id}/${action}`, payload })
      expect(res.statusCode, action).toBe(404)
    }
  })

  it('never lets the maker check their own work', async () => {
    const { approval } = await submitted(both)
    const res = await api.request(both, { method: 'POST', url: `/api/approvals/${approval.id}/decide`, payload: { decision: 'approve', version: 1 } })
    expect(res.statusCode).toBe(403)
    expect(res.json().error.details[0].field).toBe('decision')
    expect((await api.request(both, { method: 'GET', url: `/api/approvals/${approval.id}` })).json()).toMatchObject({ mayDecide: false, status: 'pending' })
    // Nor does it appear in their work list.
    expect((await api.request(both, { method: 'GET', url: '/api/approvals/pending?limit=100' })).json().items.map((a: { id: string }) => a.id)).not.toContain(approval.id)
  })

  it('refuses a decision on a version someone already acted on (409), and a return without an opinion (400)', async () => {
    const { approval } = await submitted(maker)
    const noOpinion = await api.request(county, { method: 'POST', url: `/api/approvals/${approval.id}/decide`, payload: { decision: 'return', version: 1 } })
    expect(noOpinion.statusCode).toBe(400)
    expect(noOpinion.json().error.details[0].field).toBe('opinion')
    const returned = await api.request(county, { method: 'POST', url: `/api/approvals/${approval.id}/decide`, payload: { decision: 'return', opinion: '补充收入证明', version: 1 } })
    expect(returned.statusCode).toBe(200)
    expect(returned.json()).toMatchObject({ status: 'returned', version: 2 })
    const late = await api.request(county, { method: 'POST', url: `/api/approvals/${approval.id}/decide`, payload: { decision: 'approve', version: 1 } })
    expect(late.statusCode).toBe(409)
    expect(late.json().error.details[0].field).toBe('version')

    // The maker resubmits through the approval (back to the first step), or could withdraw it.
    expect((await api.request(maker, { method: 'GET', url: `/api/approvals/${approval.id}` })).json()).toMatchObject({ mayResubmit: true, mayWithdraw: true })
    expect((await api.request(county, { method: 'POST', url: `/api/approvals/${approval.id}/resubmit`, payload: { version: 2 } })).statusCode).toBe(403)
    const again = await api.request(maker, { method: 'POST', url: `/api/approvals/${approval.id}/resubmit`, payload: { version: 2, opinion: '已补充' } })
    expect(again.statusCode).toBe(200)
    expect(again.json()).toMatchObject({ status: 'pending', currentStep: 0, round: 2, version: 3 })
    const gone = await api.request(maker, { method: 'POST', url: `/api/approvals/${approval.id}/withdraw`, payload: { version: 3 } })
    expect(gone.statusCode).toBe(200)
    expect(gone.json()).toMatchObject({ status: 'withdrawn', mayWithdraw: false })
  })

  it('shows the levels in force and lets role.manage set them', async () => {
    const def = await api.request(maker, { method: 'GET', url: '/api/approval-policies?kind=household.file&regionCode=410102' })
    expect(def.statusCode).toBe(200)
    expect(def.json()).toEqual({
      kind: 'household.file',
      regionCode: '410102',
      policyId: null,
      steps: [
        { level: 'county', permission: 'household.approve' },
        { level: 'city', permission: 'household.approve' },
      ],
    })
    expect((await api.request(maker, { method: 'GET', url: '/api/approval-policies?kind=household.file&regionCode=410103' })).statusCode).toBe(404)

    const body = { kind: 'household.file', regionPrefix: '410103', steps: [{ level: 'county', permission: 'household.approve' }] }
    expect((await api.request(maker, { method: 'PUT', url: '/api/approval-policies', payload: body })).statusCode).toBe(403)
    const set = await api.request(admin, { method: 'PUT', url: '/api/approval-policies', payload: body })
    expect(set.statusCode).toBe(200)
    expect(set.json()).toMatchObject({ kind: 'household.file', regionPrefix: '410103', steps: [{ level: 'county' }] })
    const now = await api.request(worker2, { method: 'GET', url: '/api/approval-policies?kind=household.file&regionCode=410103' })
    expect(now.json()).toMatchObject({ policyId: set.json().id, steps: [{ level: 'county', permission: 'household.approve' }] })
    const bad = await api.request(admin, { method: 'PUT', url: '/api/approval-policies', payload: { ...body, steps: [{ level: 'county', permission: 'no.such' }] } })
    expect(bad.statusCode).toBe(400)
  })
})
