import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../src/server/modules/access/users.service.ts'
import { setPolicy } from '../../src/server/modules/approvals/approvals.service.ts'
import { residentIdCheckChar } from '../../src/server/platform/codes/resident-id.ts'
import { systemPrincipal } from '../../src/server/platform/principal.ts'
import { seedProgrammes } from '../../src/server/seed/programmes.ts'
import { type Session, type TestApi, testApi } from '../support/api.ts'

let api: TestApi
let worker: Session // case_worker, 中原区 410102
let worker2: Session // case_worker2, 二七区 410103
let both: Session // made here: case worker and approver of the 中原区 county union
let county: Session // made here: approver of the 中原区 county union
let city: Session // approver, 郑州市
let orgId: string
const programmes: Record<string, string> = {}
const PASSWORD = 'applications-api-pass-1'

beforeAll(async () => {
  api = await testApi()
  const db = api.database.db
  await seedProgrammes(db)
  for (const r of await db.selectFrom('programme').select(['id', 'code']).execute()) programmes[r.code] = r.id
  const org = await db.selectFrom('org').select('id').where('type', '=', 'county_union').where('region_code', '=', '410102').executeTakeFirstOrThrow()
  await createUser(db, systemPrincipal('test'), { username: 'app_both', displayName: '中原区经办兼审核', orgId: org.id, roles: ['case_worker', 'approver'], password: PASSWORD })
  await createUser(db, systemPrincipal('test'), { username: 'app_county', displayName: '中原区审核', orgId: org.id, roles: ['approver'], password: PASSWORD })
  worker = await api.login('case_worker')
  worker2 = await api.login('case_worker2')
  both = await api.login('app_both', PASSWORD)
  county = await api.login('app_county', PASSWORD)
  city = await api.login('approver')
  orgId = (await api.request(worker, { method: 'GET', url: '/api/auth/me' })).json().user.org.id
})
afterAll(async () => api?.close())

let seq = 0
const newId = () => {
  const first17 = `41010219850505${String(++seq).padStart(3, '0')}`
  return first17 + residentIdCheckChar(first17)
}

/** A verified household of 中原区; `student` adds a college student. */
async function household(opts: { student?: boolean } = {}): Promise<{ id: string; memberIds: string[] }> {
  const members = [{ name: '刘建国', relation: 'head', idNumber: newId(), health: 'chronic_illness', workStatus: 'unemployed', monthlyIncomeFen: '0' }]
  if (opts.student) members.push({ name: '刘晓雨', relation: 'child', idNumber: newId(), health: 'healthy', workStatus: 'student', monthlyIncomeFen: '0', schoolStage: 'college' } as never)
  const res = await api.request(worker, { method: 'POST', url: '/api/households', payload: { regionCode: '410102', orgId, address: '郑州市中原区建设路 9 号', members } })
  expect(res.statusCode, res.body).toBe(201)
  const id = res.json().id as string
  await sql`UPDATE household SET status = 'verified', verified_at = now() WHERE id = ${id}`.execute(api.database.db)
  return { id, memberIds: res.json().members.map((m: { id: string }) => m.id) }
}

const precheck = (who: Session | null, payload: object) => api.request(who, { method: 'POST', url: '/api/applications/precheck', payload })
const applyFor = (who: Session | null, payload: object) => api.request(who, { method: 'POST', url: '/api/applications', payload })

describe('/api/applications', () => {
  it('refuses the unauthenticated on every route', async () => {
    const id = randomUUID()
    for (const [method, url] of [
      ['POST', '/api/applications/precheck'],
      ['POST', '/api/applications'],
      ['GET', '/api/applications'],
      ['GET', `/api/applications/${id}`],
    ] as const) {
      const res = await api.request(null, { method, url, ...(method === 'POST' ? { payload: { householdId: id, programmeId: id } } : {}) })
      expect(res.statusCode, `${method} ${url}`).toBe(401)
      expect(res.json().error.code).toBe('AUTH_REQUIRED')
    }
  })

  it('pre-checks 金秋助学 with its lines, then applies (201) and lists it on the household', async () => {
    const h = await household({ student: true })
    const pc = await precheck(worker, { householdId: h.id, programmeId: programmes.golden_autumn_education })
    expect(pc.statusCode, pc.body).toBe(200)
    expect(pc.json()).toMatchObject({ eligible: true, amountFen: '500000', withinCap: true, cap: { capFen: null, grantedThisYearFen: '0', allowedFen: null } })
    expect(pc.json().eligibility).toEqual([
      { condition: { kind: 'status', anyOf: ['verified'] }, passed: true, figures: { status: 'verified' } },
      { condition: { kind: 'memberSchoolStage', anyOf: ['senior', 'vocational', 'college'] }, passed: true, figures: { seen: [null, 'college'], matching: 1 } },
    ])
    expect(pc.json().period).toMatch(/^\d{4}\/\d{4}$/)

    const res = await applyFor(worker, { householdId: h.id, programmeId: programmes.golden_autumn_education })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({ householdId: h.id, programmeCode: 'golden_autumn_education', amountFen: '500000', status: 'submitted', period: pc.json().period, version: 1 })
    expect(res.json().approvalId).toEqual(expect.any(String))

    const list = await api.request(worker, { method: 'GET', url: `/api/applications?householdId=${h.id}` })
    expect(list.statusCode).toBe(200)
    expect(list.json().items.map((a: { id: string }) => a.id)).toEqual([res.json().id])
    const one = await api.request(worker, { method: 'GET', url: `/api/applications/${res.json().id}` })
    expect(one.statusCode).toBe(200)
    expect(one.json().benefit.at(-1)).toMatchObject({ step: 'cap' })

    // the household's history shows the application
    const events = await api.database.db.selectFrom('household_event').select('action').where('household_id', '=', h.id).execute()
    expect(events.map((e) => e.action)).toContain('application.submit')

    // a second application for the same programme and period is refused
    const again = await applyFor(worker, { householdId: h.id, programmeId: programmes.golden_autumn_education })
    expect(again.statusCode).toBe(409)
    expect(again.json().error).toMatchObject({ code: 'CONFLICT', details: [{ field: 'programmeId' }] })
  })

  it('refuses an ineligible household, naming the failed condition and its figures (zh and en)', async () => {
    const h = await household()
    const res = await applyFor(worker, { householdId: h.id, programmeId: programmes.golden_autumn_education })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.code).toBe('VALIDATION_FAILED')
    expect(res.json().error.details).toHaveLength(1)
    expect(res.json().error.details[0].field).toBe('eligibility')
    expect(res.json().error.details[0].message).toContain('school stage: needs senior, vocational, college')
    expect(res.json().error.details[0].message).toContain('matching = 0')
    const zh = await api.request(worker, { method: 'POST', url: '/api/applications', headers: { 'accept-language': 'zh-CN' }, payload: { householdId: h.id, programmeId: programmes.golden_autumn_education } })
    expect(zh.json().error.details[0].message).toContain('家庭成员在读阶段：要求 senior、vocational、college')
    expect(await api.database.db.selectFrom('application').select('id').where('household_id', '=', h.id).execute()).toEqual([])

    const pc = await precheck(worker, { householdId: h.id, programmeId: programmes.golden_autumn_education })
    expect(pc.json()).toMatchObject({ eligible: false, amountFen: '0' })
  })

  it('asks for the figures a formula needs', async () => {
    const h = await household()
    const res = await applyFor(worker, { householdId: h.id, programmeId: programmes.medical_mutual_aid, request: { outOfPocketFen: '1.5' } })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.details).toMatchObject([{ field: 'request.outOfPocketFen' }])
    const none = await applyFor(worker, { householdId: h.id, programmeId: programmes.medical_mutual_aid })
    expect(none.json().error.details).toMatchObject([{ field: 'request.outOfPocketFen' }])
    const ok = await applyFor(worker, { householdId: h.id, programmeId: programmes.medical_mutual_aid, request: { outOfPocketFen: '1000001' } })
    expect(ok.statusCode, ok.body).toBe(201)
    expect(ok.json()).toMatchObject({ amountFen: '500000', request: { outOfPocketFen: '1000001' } })
  })

  it('holds the yearly cap per household', async () => {
    const h = await household()
    const db = api.database.db
    // temporary aid: 2000 yuan a time, one a day, at most 6000 yuan a year
    for (let i = 1; i <= 3; i++) {
      const res = await applyFor(worker, { householdId: h.id, programmeId: programmes.temporary_aid })
      expect(res.statusCode, res.body).toBe(201)
      // an earlier day of this year, so today's period is free again
      await sql`UPDATE application SET period = ${`2000-01-0${i}`} WHERE id = ${res.json().id}`.execute(db)
    }
    const pc = await precheck(worker, { householdId: h.id, programmeId: programmes.temporary_aid })
    expect(pc.json()).toMatchObject({ eligible: true, amountFen: '200000', withinCap: false, cap: { capFen: '600000', grantedThisYearFen: '600000', allowedFen: '0' } })
    const res = await applyFor(worker, { householdId: h.id, programmeId: programmes.temporary_aid })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.details).toMatchObject([{ field: 'amount' }])
    expect(res.json().error.details[0].message).toContain('6000' + '00 fen')
  })

  it('cites the household’s own attachments as evidence and refuses another household’s', async () => {
    const h = await household()
    const other = await household()
    const scan = async (householdId: string, fileName: string) =>
      (
        await api.database.db
          .insertInto('household_attachment')
          .values({ province_code: '41', household_id: householdId, file_name: fileName, content_type: 'application/pdf', size_bytes: 10n, sha256: '0'.repeat(64), storage_key: randomUUID(), uploaded_by: null, description: null })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id
    const own = await scan(h.id, '诊断证明.pdf')
    const theirs = await scan(other.id, '别家的证明.pdf')
    const refused = await applyFor(worker, { householdId: h.id, programmeId: programmes.temporary_aid, request: { evidence: [own, theirs] } })
    expect(refused.statusCode).toBe(400)
    expect(refused.json().error.details).toEqual([{ field: 'request.evidence', message: 'must be attachments of this household (upload them on the file’s attachments tab)' }])
    const ok = await applyFor(worker, { householdId: h.id, programmeId: programmes.temporary_aid, request: { evidence: [own] } })
    expect(ok.statusCode, ok.body).toBe(201)
    expect(ok.json().request.evidence).toEqual([{ id: own, fileName: '诊断证明.pdf' }])
  })

  it('takes a programme’s own approval levels when its approval kind has a policy, and the shared policy otherwise', async () => {
    const db = api.database.db
    await db.updateTable('programme').set({ approval_kind: 'programme.temporary_aid' }).where('code', '=', 'temporary_aid').execute()
    const kinds = (await api.request(await api.login('province_admin'), { method: 'GET', url: '/api/approval-policies/kinds' })).json().items
    expect(kinds).toContainEqual({ kind: 'programme.temporary_aid', approvePermission: 'application.approve', base: 'programme.application', nameZh: '帮扶申请：临时救助', nameEn: 'Applications: Temporary aid' })
    await setPolicy(db, systemPrincipal('test'), { kind: 'programme.temporary_aid', regionPrefix: '41', steps: [{ level: 'county', permission: 'application.approve' }] })
    try {
      const quick = await applyFor(worker, { householdId: (await household()).id, programmeId: programmes.temporary_aid })
      expect(quick.statusCode, quick.body).toBe(201)
      const oneStep = await api.request(county, { method: 'GET', url: `/api/approvals/${quick.json().approvalId}` })
      expect(oneStep.json().steps).toEqual([{ level: 'county', permission: 'application.approve' }])
      const other = await applyFor(worker, { householdId: (await household({ student: true })).id, programmeId: programmes.golden_autumn_education })
      const twoSteps = await api.request(county, { method: 'GET', url: `/api/approvals/${other.json().approvalId}` })
      expect(twoSteps.json().steps.map((x: { level: string }) => x.level)).toEqual(['county', 'city'])
    } finally {
      await db.updateTable('programme').set({ approval_kind: 'programme.application' }).where('code', '=', 'temporary_aid').execute()
    }
  })

  it('lets exactly one of ten concurrent applications through', async () => {
    const h = await household()
    const results = await Promise.all(Array.from({ length: 10 }, () => applyFor(worker, { householdId: h.id, programmeId: programmes.temporary_aid })))
    const codes = results.map((r) => r.statusCode).sort()
    expect(codes.filter((c) => c === 201)).toHaveLength(1)
    expect(codes.filter((c) => c !== 201).every((c) => c === 409)).toBe(true)
    const rows = await api.database.db.selectFrom('application').select('id').where('household_id', '=', h.id).execute()
    expect(rows).toHaveLength(1)
  })

  it('goes through approval: the maker cannot approve their own; the checkers make it payable (temporary aid needs no posting)', async () => {
    const h = await household()
    const res = await applyFor(both, { householdId: h.id, programmeId: programmes.temporary_aid })
    expect(res.statusCode, res.body).toBe(201)
    const approvalId = res.json().approvalId
    const own = await api.request(both, { method: 'POST', url: `/api/approvals/${approvalId}/decide`, payload: { decision: 'approve', version: 1 } })
    expect(own.statusCode).toBe(403)
    expect((await api.request(both, { method: 'GET', url: `/api/applications/${res.json().id}` })).json().status).toBe('submitted')

    const a1 = await api.request(county, { method: 'POST', url: `/api/approvals/${approvalId}/decide`, payload: { decision: 'approve', version: 1 } })
    expect(a1.statusCode, a1.body).toBe(200)
    expect((await api.request(both, { method: 'GET', url: `/api/applications/${res.json().id}` })).json().status).toBe('submitted')
    const a2 = await api.request(city, { method: 'POST', url: `/api/approvals/${approvalId}/decide`, payload: { decision: 'approve', version: a1.json().version } })
    expect(a2.statusCode, a2.body).toBe(200)
    const after = await api.request(both, { method: 'GET', url: `/api/applications/${res.json().id}` })
    expect(after.json()).toMatchObject({ status: 'payable', version: 2 })
    const owed = await api.database.db.selectFrom('entitlement').select(['amount_fen', 'status', 'period']).where('application_id', '=', res.json().id).execute()
    expect(owed).toEqual([{ amount_fen: BigInt(after.json().amountFen), status: 'due', period: after.json().period }])
    // the inbox names the subject
    const detail = await api.request(city, { method: 'GET', url: `/api/approvals/${approvalId}` })
    expect(detail.json().subjectLabel).toContain('临时')
  })

  it('frees the period when an application is rejected', async () => {
    const h = await household()
    const res = await applyFor(worker, { householdId: h.id, programmeId: programmes.temporary_aid })
    const rej = await api.request(county, { method: 'POST', url: `/api/approvals/${res.json().approvalId}/decide`, payload: { decision: 'reject', version: 1, opinion: '材料不全' } })
    expect(rej.statusCode, rej.body).toBe(200)
    expect((await api.request(worker, { method: 'GET', url: `/api/applications/${res.json().id}` })).json().status).toBe('rejected')
    expect((await applyFor(worker, { householdId: h.id, programmeId: programmes.temporary_aid })).statusCode).toBe(201)
  })

  it('answers out-of-scope households and applications 404, like missing ones', async () => {
    const h = await household()
    const res = await applyFor(worker, { householdId: h.id, programmeId: programmes.temporary_aid })
    expect(res.statusCode).toBe(201)
    for (const [who, hid, aid] of [
      [worker2, h.id, res.json().id],
      [worker, randomUUID(), randomUUID()],
    ] as const) {
      expect((await precheck(who, { householdId: hid, programmeId: programmes.temporary_aid })).statusCode).toBe(404)
      expect((await applyFor(who, { householdId: hid, programmeId: programmes.temporary_aid })).statusCode).toBe(404)
      expect((await api.request(who, { method: 'GET', url: `/api/applications/${aid}` })).statusCode).toBe(404)
    }
    expect((await precheck(worker, { householdId: h.id, programmeId: randomUUID() })).statusCode).toBe(404)
    const list = await api.request(worker2, { method: 'GET', url: `/api/applications?householdId=${h.id}` })
    expect(list.json().items).toEqual([])
  })
})
