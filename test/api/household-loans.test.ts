import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMonthsToMonth } from '../../src/server/modules/households/loans.ts'
import { chinaDate } from '../../src/server/platform/china-date.ts'
import { creditCodeCheckChar } from '../../src/server/platform/codes/credit-code.ts'
import { residentIdCheckChar } from '../../src/server/platform/codes/resident-id.ts'
import { type Session, type TestApi, testApi } from '../support/api.ts'

let api: TestApi
let worker: Session // case_worker, 410102
let worker2: Session // case_worker2, 410103
let householdId: string
let memberId: string
const today = chinaDate()

const idOf = (first17: string) => first17 + residentIdCheckChar(first17)

beforeAll(async () => {
  api = await testApi()
  worker = await api.login('case_worker')
  worker2 = await api.login('case_worker2')
  const orgId = (await api.request(worker, { method: 'GET', url: '/api/auth/me' })).json().user.org.id
  const filed = await api.request(worker, {
    method: 'POST',
    url: '/api/households',
    payload: {
      regionCode: '410102',
      orgId,
      address: '郑州市中原区伏牛路 5 号',
      members: [{ name: '孙自强', relation: 'head', idNumber: idOf('41010219800808401'), health: 'healthy', workStatus: 'laid_off', monthlyIncomeFen: '90000' }],
    },
  })
  expect(filed.statusCode).toBe(201)
  householdId = filed.json().id
  await sql`UPDATE household SET status = 'verified', verified_at = now() WHERE id = ${householdId}`.execute(api.database.db)
  memberId = (await api.database.db.selectFrom('household_member').select('id').where('household_id', '=', householdId).executeTakeFirstOrThrow()).id
})
afterAll(async () => api?.close())

describe('/api/households/:id/loans', () => {
  let loanId: string

  it('records a loan (201) with money as strings of fen and a schedule whose sums are exact', async () => {
    const res = await api.request(worker, {
      method: 'POST',
      url: `/api/households/${householdId}/loans`,
      payload: {
        memberId,
        programmeCode: 'entrepreneurship_loan',
        lender: '中原农商银行',
        principalFen: '15000001',
        annualRateBp: 385,
        subsidyBp: 5000,
        termMonths: 7,
        startMonth: today.slice(0, 7),
        method: 'equal_principal',
        purpose: '开办汽车维修店',
      },
    })
    expect(res.statusCode).toBe(201)
    const body = res.json()
    loanId = body.id
    expect(body).toMatchObject({ principalFen: '15000001', status: 'active', memberName: '孙自强', version: 1, repaidFen: '0', overdue: [] })
    const sum = (k: string) => body.schedule.reduce((s: bigint, i: Record<string, string>) => s + BigInt(i[k]!), 0n)
    expect(sum('principalFen')).toBe(15_000_001n)
    expect(sum('interestFen').toString()).toBe(body.totalInterestFen)
    expect(sum('subsidyFen').toString()).toBe(body.totalSubsidyFen)
    expect(sum('dueFen').toString()).toBe(body.totalDueFen)
    expect(BigInt(body.totalSubsidyFen)).toBe(BigInt(body.totalInterestFen) / 2n)
    expect(body.schedule[0].dueOn.slice(0, 7)).toBe(addMonthsToMonth(today.slice(0, 7), 1))

    const list = await api.request(worker, { method: 'GET', url: `/api/households/${householdId}/loans` })
    expect(list.statusCode).toBe(200)
    expect(list.json()).toMatchObject({ editable: true, items: [{ id: loanId, principalFen: '15000001' }] })
    expect(list.json().items[0].schedule).toBeUndefined()
    const one = await api.request(worker, { method: 'GET', url: `/api/households/${householdId}/loans/${loanId}` })
    expect(one.statusCode).toBe(200)
    expect(one.json().schedule).toHaveLength(7)
  })

  it('names invalid fields, from the schema and from the rules (in the caller’s language)', async () => {
    const schema = await api.request(worker, { method: 'POST', url: `/api/households/${householdId}/loans`, payload: { lender: 'x', principalFen: '1', annualRateBp: 'high', subsidyBp: 0, termMonths: 1, startMonth: 'May', method: 'x', purpose: 'p' } })
    expect(schema.statusCode).toBe(400)
    expect(schema.json().error.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['annualRateBp', 'startMonth', 'method']))
    const rules = await api.request(worker, {
      method: 'POST',
      url: `/api/households/${householdId}/loans`,
      headers: { 'accept-language': 'zh-CN' },
      payload: { lender: '银行', principalFen: '1.50', annualRateBp: 435, subsidyBp: 10000, termMonths: 400, startMonth: '2026-01', method: 'bullet', purpose: ' ' },
    })
    expect(rules.statusCode).toBe(400)
    expect(rules.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'principalFen' }, { field: 'termMonths' }, { field: 'purpose', message: '不能为空' }] })
  })

  it('records a repayment (201) and refuses one above what remains due', async () => {
    const ok = await api.request(worker, { method: 'POST', url: `/api/households/${householdId}/loans/${loanId}/repayments`, payload: { paidOn: today, amountFen: '100000', note: '提前还款' } })
    expect(ok.statusCode).toBe(201)
    expect(ok.json()).toMatchObject({ repaidFen: '100000', repayments: [{ seq: 1, amountFen: '100000', paidOn: today, note: '提前还款' }] })
    const over = await api.request(worker, { method: 'POST', url: `/api/households/${householdId}/loans/${loanId}/repayments`, payload: { paidOn: today, amountFen: '999999999' } })
    expect(over.statusCode).toBe(400)
    expect(over.json().error.details).toMatchObject([{ field: 'amountFen' }])
  })

  it('answers another county’s worker 404 on every route, like a missing record', async () => {
    for (const [session, hid, lid] of [
      [worker2, householdId, loanId],
      [worker, randomUUID(), loanId],
      [worker, householdId, randomUUID()],
    ] as const) {
      const routes = [
        { method: 'GET' as const, url: `/api/households/${hid}/loans/${lid}` },
        { method: 'POST' as const, url: `/api/households/${hid}/loans/${lid}/repayments`, payload: { paidOn: today, amountFen: '1' } },
      ]
      if (hid !== householdId || session === worker2)
        routes.push(
          { method: 'GET' as const, url: `/api/households/${hid}/loans` },
          { method: 'POST' as const, url: `/api/households/${hid}/loans`, payload: { lender: 'b', principalFen: '1', annualRateBp: 0, subsidyBp: 0, termMonths: 1, startMonth: '2026-01', method: 'bullet', purpose: 'p' } } as never,
        )
      for (const r of routes) {
        const res = await api.request(session, r)
        expect(res.statusCode, `${r.method} ${r.url}`).toBe(404)
        expect(res.json().error.code).toBe('NOT_FOUND')
      }
    }
  })
})

describe('/api/households/:id/training', () => {
  let trainingId: string

  it('enrols (201), completes and places with the version read; a stale version answers 409', async () => {
    const res = await api.request(worker, { method: 'POST', url: `/api/households/${householdId}/training`, payload: { memberId, course: '中式烹调', provider: '郑州市技工学校', enrolledOn: today } })
    expect(res.statusCode).toBe(201)
    trainingId = res.json().id
    expect(res.json()).toMatchObject({ status: 'enrolled', version: 1, measureId: null })
    const done = await api.request(worker, { method: 'PATCH', url: `/api/households/${householdId}/training/${trainingId}`, payload: { version: 1, action: 'complete', completedOn: today, certificate: '中式烹调师五级' } })
    expect(done.statusCode).toBe(200)
    expect(done.json()).toMatchObject({ status: 'completed', certificate: '中式烹调师五级', version: 2 })
    const stale = await api.request(worker, { method: 'PATCH', url: `/api/households/${householdId}/training/${trainingId}`, payload: { version: 1, action: 'place', placedOn: today, employer: '某酒店' } })
    expect(stale.statusCode).toBe(409)
    const code = '91410102MA44XYPW1' + creditCodeCheckChar('91410102MA44XYPW1')
    const placed = await api.request(worker, { method: 'PATCH', url: `/api/households/${householdId}/training/${trainingId}`, payload: { version: 2, action: 'place', placedOn: today, employer: '郑州某酒店有限公司', employerCreditCode: code } })
    expect(placed.statusCode).toBe(200)
    expect(placed.json()).toMatchObject({ status: 'placed', employerCreditCode: code, version: 3 })
    const list = await api.request(worker, { method: 'GET', url: `/api/households/${householdId}/training` })
    expect(list.json()).toMatchObject({ editable: true, items: [{ id: trainingId, status: 'placed' }] })
  })

  it('names invalid fields', async () => {
    const res = await api.request(worker, { method: 'POST', url: `/api/households/${householdId}/training`, payload: { memberId: randomUUID(), course: '', provider: 'p', enrolledOn: '2026-02-30' } })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.details.map((d: { field: string }) => d.field)).toEqual(['memberId', 'course', 'enrolledOn'])
    const bad = await api.request(worker, { method: 'PATCH', url: `/api/households/${householdId}/training/${trainingId}`, payload: { version: 3, action: 'retire' } })
    expect(bad.statusCode).toBe(400)
  })

  it('answers another county’s worker 404 on every route', async () => {
    for (const r of [
      { method: 'GET' as const, url: `/api/households/${householdId}/training` },
      { method: 'POST' as const, url: `/api/households/${householdId}/training`, payload: { memberId, course: 'c', provider: 'p', enrolledOn: today } },
      { method: 'PATCH' as const, url: `/api/households/${householdId}/training/${trainingId}`, payload: { version: 3, action: 'drop' } },
    ]) {
      const res = await api.request(worker2, r)
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(404)
    }
  })
})

describe('authentication', () => {
  it('refuses the unauthenticated with 401 on every route', async () => {
    const x = randomUUID()
    for (const r of [
      { method: 'GET' as const, url: `/api/households/${householdId}/loans` },
      { method: 'POST' as const, url: `/api/households/${householdId}/loans`, payload: {} },
      { method: 'GET' as const, url: `/api/households/${householdId}/loans/${x}` },
      { method: 'POST' as const, url: `/api/households/${householdId}/loans/${x}/repayments`, payload: {} },
      { method: 'GET' as const, url: `/api/households/${householdId}/training` },
      { method: 'POST' as const, url: `/api/households/${householdId}/training`, payload: {} },
      { method: 'PATCH' as const, url: `/api/households/${householdId}/training/${x}`, payload: {} },
    ]) {
      const res = await api.request(null, r)
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401)
      expect(res.json().error.code).toBe('AUTH_REQUIRED')
    }
  })
})
