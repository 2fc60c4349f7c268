import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../src/server/modules/access/users.service.ts'
import { closeEndedPostings } from '../../src/server/modules/postings/postings.service.ts'
import { chinaDate } from '../../src/server/platform/china-date.ts'
import { residentIdCheckChar } from '../../src/server/platform/codes/resident-id.ts'
import { systemPrincipal } from '../../src/server/platform/principal.ts'
import { seedProgrammes } from '../../src/server/seed/programmes.ts'
import { type Session, type TestApi, testApi } from '../support/api.ts'

let api: TestApi
let worker: Session // case_worker, 中原区 410102: applies
let county: Session // made here: approver of the 中原区 county union: approves step 1, publishes, reviews
let city: Session // approver, 郑州市: approves step 2
let worker2: Session // case_worker2, 二七区: out of scope
let other: Session // made here: approver of the 二七区 county union: out of scope
let orgId: string
const programmes: Record<string, string> = {}
const PASSWORD = 'postings-api-pass-1'

/** Everything personal this file puts in, to look for in every public answer. */
const personal: string[] = []

beforeAll(async () => {
  api = await testApi()
  const db = api.database.db
  await seedProgrammes(db)
  for (const r of await db.selectFrom('programme').select(['id', 'code']).execute()) programmes[r.code] = r.id
  const org = await db.selectFrom('org').select('id').where('type', '=', 'county_union').where('region_code', '=', '410102').executeTakeFirstOrThrow()
  const org2 = await db.selectFrom('org').select('id').where('type', '=', 'county_union').where('region_code', '=', '410103').executeTakeFirstOrThrow()
  await createUser(db, systemPrincipal('test'), { username: 'post_county', displayName: '中原区审核', orgId: org.id, roles: ['approver'], password: PASSWORD })
  await createUser(db, systemPrincipal('test'), { username: 'post_other', displayName: '二七区审核', orgId: org2.id, roles: ['approver'], password: PASSWORD })
  worker = await api.login('case_worker')
  county = await api.login('post_county', PASSWORD)
  city = await api.login('approver')
  worker2 = await api.login('case_worker2')
  other = await api.login('post_other', PASSWORD)
  orgId = (await api.request(worker, { method: 'GET', url: '/api/auth/me' })).json().user.org.id
})
afterAll(async () => api?.close())

let seq = 0
const newId = () => {
  const first17 = `41010219900606${String(++seq).padStart(3, '0')}`
  return first17 + residentIdCheckChar(first17)
}

/** A verified household of 中原区 with a college student. */
async function household(): Promise<{ id: string; studentId: string }> {
  const head = { name: '欧阳建国', relation: 'head', idNumber: newId(), phone: '13812345678', health: 'chronic_illness', workStatus: 'unemployed', monthlyIncomeFen: '0' }
  const student = { name: '欧阳晓雨', relation: 'child', idNumber: newId(), health: 'healthy', workStatus: 'student', monthlyIncomeFen: '0', schoolStage: 'college' }
  const address = `郑州市中原区建设路 ${seq} 号`
  personal.push(head.name, head.idNumber, head.phone, student.name, student.idNumber, address)
  const res = await api.request(worker, { method: 'POST', url: '/api/households', payload: { regionCode: '410102', orgId, address, members: [head, student] } })
  expect(res.statusCode, res.body).toBe(201)
  const id = res.json().id as string
  await sql`UPDATE household SET status = 'verified', verified_at = now() WHERE id = ${id}`.execute(api.database.db)
  return { id, studentId: res.json().members.find((m: { relation: string }) => m.relation === 'child').id }
}

/** 金秋助学 applied for by the case worker and approved at two levels by two approvers. */
async function approvedApplication(): Promise<{ id: string; householdId: string }> {
  const h = await household()
  const res = await api.request(worker, { method: 'POST', url: '/api/applications', payload: { householdId: h.id, programmeId: programmes.golden_autumn_education, request: { memberIds: [h.studentId] } } })
  expect(res.statusCode, res.body).toBe(201)
  const approvalId = res.json().approvalId
  const a1 = await api.request(county, { method: 'POST', url: `/api/approvals/${approvalId}/decide`, payload: { decision: 'approve', version: 1 } })
  expect(a1.statusCode, a1.body).toBe(200)
  const a2 = await api.request(city, { method: 'POST', url: `/api/approvals/${approvalId}/decide`, payload: { decision: 'approve', version: a1.json().version } })
  expect(a2.statusCode, a2.body).toBe(200)
  return { id: res.json().id, householdId: h.id }
}

const status = async (applicationId: string) => (await api.request(worker, { method: 'GET', url: `/api/applications/${applicationId}` })).json().status
const publish = (who: Session, payload: object) => api.request(who, { method: 'POST', url: '/api/postings', payload: { kind: 'application', title: '2026年金秋助学公示', ...payload } })
const object = (postingId: string, itemId: string, content: string, remoteAddress = '203.0.113.7') =>
  api.request(null, { method: 'POST', url: `/api/public/postings/${postingId}/items/${itemId}/objections`, payload: { content }, remoteAddress })

describe('/api/postings', () => {
  it('refuses the unauthenticated on every staff route, and the public routes answer without a login', async () => {
    const id = randomUUID()
    for (const [method, url] of [
      ['GET', '/api/postings/candidates?kind=application'],
      ['POST', '/api/postings'],
      ['GET', '/api/postings'],
      ['GET', `/api/postings/${id}`],
      ['POST', `/api/postings/${id}/items/${id}/resolve`],
    ] as const) {
      const res = await api.request(null, { method, url, ...(method === 'POST' ? { payload: {} } : {}) })
      expect(res.statusCode, `${method} ${url}`).toBe(401)
    }
    expect((await api.request(null, { method: 'GET', url: '/api/public/postings' })).statusCode).toBe(200)
    expect((await api.request(null, { method: 'GET', url: `/api/public/postings/${id}` })).statusCode).toBe(404)
  })

  it('keeps an approved 金秋助学 application waiting for a posting, publishes it masked, and the public page lists it by region', async () => {
    const a = await approvedApplication()
    expect(await status(a.id)).toBe('approved')
    const candidates = await api.request(county, { method: 'GET', url: '/api/postings/candidates?kind=application' })
    expect(candidates.statusCode, candidates.body).toBe(200)
    expect(candidates.json().items.map((c: { subjectId: string }) => c.subjectId)).toContain(a.id)
    // a case worker cannot publish
    expect((await publish(worker, { subjectIds: [a.id] })).statusCode).toBe(403)
    // shorter than the programme's 7 days: refused naming endsOn
    const today = chinaDate()
    const short = await publish(county, { subjectIds: [a.id], startsOn: today, endsOn: today })
    expect(short.statusCode).toBe(400)
    expect(short.json().error.details).toEqual([{ field: 'endsOn', message: 'the posting must run at least 7 days' }])
    expect(await status(a.id)).toBe('approved')

    const res = await publish(county, { subjectIds: [a.id] })
    expect(res.statusCode, res.body).toBe(201)
    const posting = res.json()
    expect(posting).toMatchObject({ kind: 'application', status: 'open', startsOn: today, itemCount: 1, regionCode: '410102' })
    expect(posting.items[0]).toMatchObject({ subjectId: a.id, maskedName: '欧**雨', status: 'posted', amountFen: '500000' })
    expect(posting.items[0].maskedId).toMatch(/^4101\*{10}\d{3}[\dX]$/)
    expect(await status(a.id)).toBe('posted')
    // posting it again is refused
    expect((await publish(county, { subjectIds: [a.id] })).statusCode).toBe(400)

    const list = await api.request(null, { method: 'GET', url: '/api/public/postings?region=4101' })
    expect(list.json().items.map((p: { id: string }) => p.id)).toContain(posting.id)
    const elsewhere = await api.request(null, { method: 'GET', url: '/api/public/postings?region=11' })
    expect(elsewhere.json().items.map((p: { id: string }) => p.id)).not.toContain(posting.id)
    const detail = await api.request(null, { method: 'GET', url: `/api/public/postings/${posting.id}` })
    expect(detail.statusCode).toBe(200)
    expect(Object.keys(detail.json().items[0]).sort()).toEqual(['amountFen', 'detailEn', 'detailZh', 'id', 'maskedId', 'maskedName', 'regionName', 'seq'])
  })

  it('takes an objection from anyone, sends the item back to review, and the reviewer (not the maker) dismisses it; the end of the period makes it payable', async () => {
    const a = await approvedApplication()
    const posting = (await publish(county, { subjectIds: [a.id] })).json()
    const item = posting.items[0]
    const tooShort = await object(posting.id, item.id, '不对')
    expect(tooShort.statusCode).toBe(400)
    expect(tooShort.json().error.details).toEqual([{ field: 'content', message: 'must be 5 to 500 characters' }])
    const ok = await object(posting.id, item.id, '该户子女已工作，不在读，请核实。')
    expect(ok.statusCode, ok.body).toBe(201)
    expect(await status(a.id)).toBe('objected')
    // the reviewer's workbench counts it; the case worker, who cannot decide it, sees none; nor does another county
    const summary = async (who: Session) => (await api.request(who, { method: 'GET', url: '/api/dashboard/summary' })).json().households.objectionsWaiting
    expect(await summary(county)).toBe(1)
    expect(await summary(worker)).toBe(0)
    expect(await summary(other)).toBe(0)
    // the same source may not flood one item
    await object(posting.id, item.id, '补充：已于今年七月毕业。')
    await object(posting.id, item.id, '再次补充：在郑州某公司上班。')
    const flood = await object(posting.id, item.id, '第四次反映同一事项。')
    expect(flood.statusCode).toBe(429)
    expect((await object(posting.id, item.id, '另一来源的反映意见。', '198.51.100.9')).statusCode).toBe(201)

    const seen = await api.request(county, { method: 'GET', url: `/api/postings/${posting.id}` })
    expect(seen.json().objectedCount).toBe(1)
    expect(seen.json().items[0]).toMatchObject({ status: 'objected' })
    expect(seen.json().items[0].objections.map((o: { content: string; sourceIp: string }) => [o.content, o.sourceIp])[0]).toEqual(['该户子女已工作，不在读，请核实。', '203.0.113.7'])
    // out of scope: like a missing posting
    expect((await api.request(other, { method: 'GET', url: `/api/postings/${posting.id}` })).statusCode).toBe(404)
    expect((await api.request(worker2, { method: 'GET', url: `/api/postings/${posting.id}` })).statusCode).toBe(404)
    expect((await api.request(other, { method: 'POST', url: `/api/postings/${posting.id}/items/${item.id}/resolve`, payload: { decision: 'dismiss', opinion: '经核实不属实' } })).statusCode).toBe(404)
    // an opinion is required; a case worker cannot decide
    const bare = await api.request(county, { method: 'POST', url: `/api/postings/${posting.id}/items/${item.id}/resolve`, payload: { decision: 'dismiss', opinion: '' } })
    expect(bare.statusCode).toBe(400)
    expect((await api.request(worker, { method: 'POST', url: `/api/postings/${posting.id}/items/${item.id}/resolve`, payload: { decision: 'dismiss', opinion: '经核实不属实' } })).statusCode).toBe(403)

    const dismissed = await api.request(county, { method: 'POST', url: `/api/postings/${posting.id}/items/${item.id}/resolve`, payload: { decision: 'dismiss', opinion: '经入户核实，子女仍在读大学，异议不成立。' } })
    expect(dismissed.statusCode, dismissed.body).toBe(200)
    expect(dismissed.json().items[0]).toMatchObject({ status: 'posted', resolution: '经入户核实，子女仍在读大学，异议不成立。' })
    expect(dismissed.json().items[0].objections.every((o: { status: string }) => o.status === 'dismissed')).toBe(true)
    expect(await status(a.id)).toBe('posted')

    // the clock: nothing happens before the end, then the application becomes payable once
    expect(await closeEndedPostings(api.database.db, posting.endsOn)).toBe(0)
    const after = new Date(Date.parse(`${posting.endsOn}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
    expect(await closeEndedPostings(api.database.db, after)).toBeGreaterThanOrEqual(1)
    expect(await closeEndedPostings(api.database.db, after)).toBe(0)
    expect(await status(a.id)).toBe('payable')
    const owed = await api.database.db.selectFrom('entitlement').select(['amount_fen', 'status']).where('application_id', '=', a.id).execute()
    expect(owed).toEqual([{ amount_fen: 500000n, status: 'due' }])
    const closed = await api.request(county, { method: 'GET', url: `/api/postings/${posting.id}` })
    expect(closed.json()).toMatchObject({ status: 'closed' })
    expect(closed.json().items[0].status).toBe('effective')
    // a closed posting is off the public page and takes no objection
    expect((await api.request(null, { method: 'GET', url: `/api/public/postings/${posting.id}` })).statusCode).toBe(404)
    expect((await object(posting.id, item.id, '期满之后的异议内容。')).statusCode).toBe(404)
  })

  it('rejects the application when an objection is upheld', async () => {
    const a = await approvedApplication()
    const posting = (await publish(county, { subjectIds: [a.id] })).json()
    const item = posting.items[0]
    expect((await object(posting.id, item.id, '该户已有稳定收入，不应资助。', '192.0.2.44')).statusCode).toBe(201)
    const upheld = await api.request(county, { method: 'POST', url: `/api/postings/${posting.id}/items/${item.id}/resolve`, payload: { decision: 'uphold', opinion: '经核实异议属实，取消资助。' } })
    expect(upheld.statusCode, upheld.body).toBe(200)
    expect(upheld.json().items[0].status).toBe('upheld')
    expect(await status(a.id)).toBe('rejected')
    const history = await api.database.db.selectFrom('household_event').select(['action', 'note']).where('household_id', '=', a.householdId).orderBy('at').execute()
    expect(history.map((e) => e.action)).toEqual(expect.arrayContaining(['application.post', 'application.objection', 'application.reject']))
  })

  it('posts new files once per episode', async () => {
    const h = await household()
    const first = await api.request(county, { method: 'POST', url: '/api/postings', payload: { kind: 'household.entry', title: '困难职工建档公示', subjectIds: [h.id] } })
    expect(first.statusCode, first.body).toBe(201)
    expect(first.json().items[0]).toMatchObject({ maskedName: '欧**国', detailZh: '新建档困难职工家庭' })
    const again = await api.request(county, { method: 'POST', url: '/api/postings', payload: { kind: 'household.entry', title: '困难职工建档公示', subjectIds: [h.id] } })
    expect(again.statusCode).toBe(409)
    // an out-of-scope approver cannot post it: like a missing file
    const theirs = await api.request(other, { method: 'POST', url: '/api/postings', payload: { kind: 'household.entry', title: '建档公示', subjectIds: [h.id] } })
    expect(theirs.statusCode).toBe(400)
    expect(theirs.json().error.details).toEqual([{ field: 'subjectIds.0', message: 'unknown item' }])
  })

  it('lists a posting of the city under each county it posts about', async () => {
    const a = await approvedApplication()
    const res = await publish(city, { subjectIds: [a.id], title: '郑州市金秋助学公示' })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json().regionCode).toBe('410100')
    const ids = async (region: string) => (await api.request(null, { method: 'GET', url: `/api/public/postings?region=${region}` })).json().items.map((p: { id: string }) => p.id)
    expect(await ids('410102')).toContain(res.json().id)
    expect(await ids('4101')).toContain(res.json().id)
    expect(await ids('410103')).not.toContain(res.json().id)
  })

  it('never shows a full name, ID number, address or phone on a public answer', async () => {
    const list = await api.request(null, { method: 'GET', url: '/api/public/postings' })
    const bodies = [list.body]
    for (const p of list.json().items as { id: string }[]) bodies.push((await api.request(null, { method: 'GET', url: `/api/public/postings/${p.id}` })).body)
    expect(bodies.length).toBeGreaterThan(2)
    for (const body of bodies) for (const value of personal) expect(body.includes(value), value).toBe(false)
  })

  it('records an objection to a new file on its history; dismissed, the entry takes effect at the end of the period', async () => {
    const h = await household()
    const posting = (await api.request(county, { method: 'POST', url: '/api/postings', payload: { kind: 'household.entry', title: '建档公示', subjectIds: [h.id] } })).json()
    const item = posting.items[0]
    expect((await object(posting.id, item.id, '该户有经营性收入，不属于困难职工。', '192.0.2.99')).statusCode).toBe(201)
    const dismissed = await api.request(county, { method: 'POST', url: `/api/postings/${posting.id}/items/${item.id}/resolve`, payload: { decision: 'dismiss', opinion: '经核实无经营性收入。' } })
    expect(dismissed.statusCode, dismissed.body).toBe(200)
    expect(dismissed.json().items[0].status).toBe('posted')
    const after = new Date(Date.parse(`${posting.endsOn}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
    await closeEndedPostings(api.database.db, after)
    const history = await api.database.db.selectFrom('household_event').select('action').where('household_id', '=', h.id).orderBy('at').execute()
    expect(history.map((e) => e.action).slice(-4)).toEqual(['household.post', 'household.objection', 'household.objection_dismissed', 'household.posting_effective'])
    expect((await api.request(county, { method: 'GET', url: `/api/postings/${posting.id}` })).json().items[0].status).toBe('effective')
  })
})
