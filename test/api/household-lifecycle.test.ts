import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../src/server/modules/access/users.service.ts'
import { residentIdCheckChar } from '../../src/server/platform/codes/resident-id.ts'
import { systemPrincipal } from '../../src/server/platform/principal.ts'
import { type Session, type TestApi, testApi } from '../support/api.ts'

let api: TestApi
let worker: Session // case_worker, 中原区 410102
let worker2: Session // case_worker2, 二七区 410103
let city: Session // approver, 郑州市
let county: Session // made here: approver of the 中原区 county union
let orgId: string
const PASSWORD = 'lifecycle-api-pass-1'

beforeAll(async () => {
  api = await testApi()
  const db = api.database.db
  const org = await db.selectFrom('org').select('id').where('type', '=', 'county_union').where('region_code', '=', '410102').executeTakeFirstOrThrow()
  await createUser(db, systemPrincipal('test'), { username: 'zy_approver', displayName: '中原区审核', orgId: org.id, roles: ['approver'], password: PASSWORD })
  worker = await api.login('case_worker')
  worker2 = await api.login('case_worker2')
  city = await api.login('approver')
  county = await api.login('zy_approver', PASSWORD)
  orgId = (await api.request(worker, { method: 'GET', url: '/api/auth/me' })).json().user.org.id
})
afterAll(async () => api?.close())

let seq = 0
const newId = () => {
  const first17 = `41010219900909${String(++seq).padStart(3, '0')}`
  return first17 + residentIdCheckChar(first17)
}

async function filed(): Promise<{ id: string; version: number }> {
  const res = await api.request(worker, {
    method: 'POST',
    url: '/api/households',
    payload: {
      regionCode: '410102',
      orgId,
      address: '郑州市中原区桐柏路 3 号',
      members: [{ name: '陈卫东', relation: 'head', idNumber: newId(), health: 'healthy', workStatus: 'unemployed', monthlyIncomeFen: '0' }],
    },
  })
  expect(res.statusCode).toBe(201)
  return { id: res.json().id, version: res.json().version }
}

const post = (who: Session | null, id: string, action: string, payload: object) => api.request(who, { method: 'POST', url: `/api/households/${id}/${action}`, payload })

async function approveAll(id: string) {
  const a = (await api.request(worker, { method: 'GET', url: `/api/households/${id}/approval` })).json().approval
  expect((await api.request(county, { method: 'POST', url: `/api/approvals/${a.id}/decide`, payload: { decision: 'approve', version: a.version } })).statusCode).toBe(200)
  expect((await api.request(city, { method: 'POST', url: `/api/approvals/${a.id}/decide`, payload: { decision: 'approve', version: a.version + 1 } })).statusCode).toBe(200)
}

describe('/api/households/:id lifecycle', () => {
  it('refuses the unauthenticated on every route', async () => {
    const id = randomUUID()
    for (const action of ['submit', 'exit', 'remove', 'reenter']) {
      expect((await post(null, id, action, { version: 1, reason: 'other', note: 'x' })).statusCode, action).toBe(401)
    }
    for (const what of ['history', 'approval']) {
      expect((await api.request(null, { method: 'GET', url: `/api/households/${id}/${what}` })).statusCode, what).toBe(401)
    }
  })

  it('submits, is verified through the approval, exits and re-enters as episode 2; the history tells it all', async () => {
    const h = await filed()
    expect((await api.request(worker, { method: 'GET', url: `/api/households/${h.id}/approval` })).json()).toEqual({ approval: null })

    const sub = await post(worker, h.id, 'submit', { version: h.version, opinion: '请审核' })
    expect(sub.statusCode).toBe(200)
    expect(sub.json()).toMatchObject({ id: h.id, status: 'submitted', episode: 1, version: h.version + 1, endReason: null })
    const a = (await api.request(worker, { method: 'GET', url: `/api/households/${h.id}/approval` })).json().approval
    expect(a).toMatchObject({ subjectKind: 'household.file', status: 'pending', regionName: '河南省 郑州市 中原区', mayWithdraw: true, mayDecide: false })
    expect((await api.request(county, { method: 'GET', url: `/api/households/${h.id}/approval` })).json().approval.mayDecide).toBe(true)

    await approveAll(h.id)
    const got = (await api.request(worker, { method: 'GET', url: `/api/households/${h.id}` })).json()
    expect(got.status).toBe('verified')

    const exit = await post(worker, h.id, 'exit', { version: got.version, reason: 'social_security', note: '已纳入低保' })
    expect(exit.statusCode).toBe(200)
    expect(exit.json()).toMatchObject({ status: 'exited', endReason: 'social_security', endNote: '已纳入低保' })

    const back = await post(worker, h.id, 'reenter', { version: exit.json().version })
    expect(back.statusCode).toBe(200)
    expect(back.json()).toMatchObject({ status: 'draft', episode: 2, endReason: null })

    const history = await api.request(worker, { method: 'GET', url: `/api/households/${h.id}/history?limit=3` })
    expect(history.statusCode).toBe(200)
    expect(history.json().items.map((e: { action: string }) => e.action)).toEqual(['household.reenter', 'household.exit', 'household.verify'])
    expect(history.json().items[1]).toMatchObject({ before: { status: 'verified' }, after: { status: 'exited', endReason: 'social_security' }, note: '已纳入低保', actor: { name: '王帮扶（中原区）' } })
    const rest = await api.request(worker, { method: 'GET', url: `/api/households/${h.id}/history?limit=50&cursor=${history.json().nextCursor}` })
    expect(rest.json().items.map((e: { action: string }) => e.action)).toContain('household.submit')
  })

  it('answers another county like a missing file on every route', async () => {
    const h = await filed()
    const missing = randomUUID()
    for (const action of ['submit', 'exit', 'remove', 'reenter']) {
      const body = { version: h.version, reason: action === 'exit' ? 'employment_income' : 'duplicate' }
      const payload = action === 'submit' || action === 'reenter' ? { version: h.version } : body
      const outside = await post(worker2, h.id, action, payload)
      const none = await post(worker2, missing, action, payload)
      expect(outside.statusCode, action).toBe(404)
      expect(outside.json()).toEqual(none.json())
    }
    for (const what of ['history', 'approval']) {
      expect((await api.request(worker2, { method: 'GET', url: `/api/households/${h.id}/${what}` })).statusCode, what).toBe(404)
      expect((await api.request(worker2, { method: 'GET', url: `/api/households/${missing}/${what}` })).statusCode, what).toBe(404)
    }
  })

  it('refuses a stale version with 409 on every action, and an action the status does not allow', async () => {
    const h = await filed()
    const staleSubmit = await post(worker, h.id, 'submit', { version: h.version + 5 })
    expect(staleSubmit.statusCode).toBe(409)
    expect(staleSubmit.json().error.details[0].field).toBe('version')
    expect((await post(worker, h.id, 'remove', { version: h.version + 5, reason: 'duplicate' })).statusCode).toBe(409)
    await post(worker, h.id, 'submit', { version: h.version })
    await approveAll(h.id)
    const v = (await api.request(worker, { method: 'GET', url: `/api/households/${h.id}` })).json().version
    expect((await post(worker, h.id, 'exit', { version: v - 1, reason: 'employment_income' })).statusCode).toBe(409)
    // A verified file is removed by a checker, not by the case worker.
    expect((await post(worker, h.id, 'remove', { version: v, reason: 'duplicate' })).statusCode).toBe(403)
    // Re-entry is for ended files only.
    const notEnded = await post(worker, h.id, 'reenter', { version: v })
    expect(notEnded.statusCode).toBe(409)
    expect(notEnded.json().error.details[0].field).toBe('status')
    const removed = await post(city, h.id, 'remove', { version: v, reason: 'false_information', note: '隐瞒收入' })
    expect(removed.statusCode).toBe(200)
    expect((await post(worker, h.id, 'reenter', { version: v })).statusCode).toBe(409)
    expect((await post(worker, h.id, 'exit', { version: removed.json().version, reason: 'nope' })).statusCode).toBe(400)
  })
})
