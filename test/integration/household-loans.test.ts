import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { login } from '../../src/server/modules/access/auth.service.ts'
import { verifyChains } from '../../src/server/modules/audit/audit.service.ts'
import { addMeasure } from '../../src/server/modules/households/care.service.ts'
import { fileHousehold } from '../../src/server/modules/households/households.service.ts'
import { addMonthsToMonth } from '../../src/server/modules/households/loans.ts'
import {
  addLoan,
  addRepayment,
  addTraining,
  getLoan,
  listLoans,
  listTraining,
  updateTraining,
} from '../../src/server/modules/households/loans.service.ts'
import { addMonths } from '../../src/server/modules/households/visits.ts'
import { chinaDate } from '../../src/server/platform/china-date.ts'
import { creditCodeCheckChar } from '../../src/server/platform/codes/credit-code.ts'
import { residentIdCheckChar } from '../../src/server/platform/codes/resident-id.ts'
import { AppError, type ErrorCode, type FieldError } from '../../src/server/platform/errors.ts'
import { createPiiCipher } from '../../src/server/platform/pii-crypto.ts'
import type { Principal } from '../../src/server/platform/principal.ts'
import { type TestDatabase, testDatabase } from '../support/db.ts'
import { TEST_PASSWORD } from '../support/engine.ts'

let database: TestDatabase
let worker: Principal // case_worker, 410102, household.write
let worker2: Principal // case_worker2, 410103
let approver: Principal // city 4101, read only
const cipher = createPiiCipher(Buffer.alloc(32, 9))
const today = chinaDate()
const thisMonth = today.slice(0, 7)

async function signIn(username: string): Promise<Principal> {
  return (await login(database.db, username, TEST_PASSWORD, { ip: null, userAgent: null, requestId: `test-${username}` })).principal
}

const idOf = (first17: string) => first17 + residentIdCheckChar(first17)
let serial = 0

async function newHousehold(): Promise<{ id: string; memberId: string }> {
  serial++
  const h = await fileHousehold(database.db, worker, cipher, {
    regionCode: '410102',
    orgId: worker.orgId!,
    address: '郑州市中原区建设路 9 号',
    members: [{ name: '钱创业', relation: 'head', idNumber: idOf(`41010219${70 + serial}0202${String(serial).padStart(3, '0')}`), health: 'healthy', workStatus: 'laid_off', monthlyIncomeFen: 100_000 }],
  })
  const m = await database.db.selectFrom('household_member').select('id').where('household_id', '=', h.id).executeTakeFirstOrThrow()
  return { id: h.id, memberId: m.id }
}

async function refusal(promise: Promise<unknown>, code: ErrorCode): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(AppError)
  expect((err as AppError).code).toBe(code)
  return err as AppError
}

const fieldsOf = (err: AppError) => (err.details as FieldError[]).map((d) => d.field)

async function trail(householdId: string, action: string) {
  const events = await database.db.selectFrom('household_event').selectAll().where('household_id', '=', householdId).where('action', '=', action).execute()
  const audits = await database.db.selectFrom('audit_log').selectAll().where('entity_id', '=', householdId).where('action', '=', action).execute()
  return { events, audits }
}

beforeAll(async () => {
  database = await testDatabase()
  worker = await signIn('case_worker')
  worker2 = await signIn('case_worker2')
  approver = await signIn('approver')
})
afterAll(async () => database?.drop())

const loanInput = (memberId: string | null, over: Record<string, unknown> = {}) => ({
  memberId,
  programmeCode: 'entrepreneurship_loan',
  lender: '郑州银行中原支行',
  principalFen: '10000000',
  annualRateBp: 435,
  subsidyBp: 10_000,
  termMonths: 24,
  startMonth: addMonthsToMonth(thisMonth, -3),
  method: 'equal_principal',
  purpose: '开办社区早餐店',
  ...over,
})

describe('entrepreneurship loans', () => {
  let h: { id: string; memberId: string }
  let loanId: string

  beforeAll(async () => {
    h = await newHousehold()
  })

  it('records a loan with its schedule and subsidy, audited and in the file history', async () => {
    const loan = await addLoan(database.db, worker, h.id, loanInput(h.memberId))
    loanId = loan.id
    expect(loan).toMatchObject({ memberId: h.memberId, memberName: '钱创业', principalFen: 10_000_000n, status: 'active', version: 1, repaidFen: 0n })
    expect(loan.schedule).toHaveLength(24)
    expect(loan.schedule.reduce((s, i) => s + i.principalFen, 0n)).toBe(10_000_000n)
    expect(loan.totalSubsidyFen).toBe(loan.totalInterestFen)
    expect(loan.totalDueFen).toBe(10_000_000n)
    // started three months ago: instalments 1 and 2 are past due and unpaid
    expect(loan.overdue.map((o) => o.seq)).toEqual([1, 2])
    expect(loan.overdueCount).toBe(2)
    const { events, audits } = await trail(h.id, 'household.loan_add')
    expect(events).toHaveLength(1)
    expect(audits).toHaveLength(1)
    expect(audits[0]).toMatchObject({ region_code: '410102' })
    const list = await listLoans(database.db, worker, h.id)
    expect(list).toMatchObject({ editable: true, items: [{ id: loanId, overdueCount: 2 }] })
  })

  it('names every invalid field and writes nothing', async () => {
    const err = await refusal(
      addLoan(database.db, worker, h.id, {
        ...loanInput('00000000-0000-4000-8000-000000000000'),
        programmeCode: 'bad code!',
        lender: ' ',
        principalFen: '0',
        annualRateBp: 2401,
        subsidyBp: -1,
        termMonths: 0,
        startMonth: '1999-12',
        method: 'annuity',
        purpose: '',
      }),
      'VALIDATION_FAILED',
    )
    expect(fieldsOf(err)).toEqual(['memberId', 'programmeCode', 'lender', 'principalFen', 'annualRateBp', 'subsidyBp', 'termMonths', 'startMonth', 'method', 'purpose'])
    expect((err.details as FieldError[])[3]!.message['zh-CN']).toContain('分')
    expect((await listLoans(database.db, worker, h.id)).items).toHaveLength(1)
  })

  it('records repayments append-only, clears overdue, refuses overpayment and closes the loan when repaid', async () => {
    const first = (await getLoan(database.db, worker, h.id, loanId)).schedule.slice(0, 2).reduce((s, i) => s + i.dueFen, 0n)
    const after = await addRepayment(database.db, worker, h.id, loanId, { paidOn: today, amountFen: first.toString(), note: '第1、2期' })
    expect(after.repayments).toMatchObject([{ seq: 1, amountFen: first, note: '第1、2期' }])
    expect(after.overdue).toEqual([])
    expect(after.repaidFen).toBe(first)
    const over = await refusal(addRepayment(database.db, worker, h.id, loanId, { paidOn: today, amountFen: (after.remainingFen + 1n).toString() }), 'VALIDATION_FAILED')
    expect(fieldsOf(over)).toEqual(['amountFen'])
    const bad = await refusal(addRepayment(database.db, worker, h.id, loanId, { paidOn: addMonths(today, 1), amountFen: '-5' }), 'VALIDATION_FAILED')
    expect(fieldsOf(bad)).toEqual(['paidOn', 'amountFen'])
    const rest = await addRepayment(database.db, worker, h.id, loanId, { paidOn: today, amountFen: after.remainingFen.toString() })
    expect(rest).toMatchObject({ status: 'repaid', remainingFen: 0n, version: 2 })
    expect(rest.repayments.map((r) => r.seq)).toEqual([1, 2])
    await refusal(addRepayment(database.db, worker, h.id, loanId, { paidOn: today, amountFen: '1' }), 'CONFLICT')
    expect((await trail(h.id, 'household.loan_repayment')).events).toHaveLength(2)
  })

  it('answers a household or loan out of scope exactly like a missing one', async () => {
    await refusal(listLoans(database.db, worker2, h.id), 'NOT_FOUND')
    await refusal(getLoan(database.db, worker2, h.id, loanId), 'NOT_FOUND')
    await refusal(addLoan(database.db, worker2, h.id, loanInput(null)), 'NOT_FOUND')
    await refusal(addRepayment(database.db, worker2, h.id, loanId, { paidOn: today, amountFen: '1' }), 'NOT_FOUND')
    const other = await newHousehold()
    await refusal(getLoan(database.db, worker, other.id, loanId), 'NOT_FOUND')
    await refusal(getLoan(database.db, worker, h.id, 'not-a-uuid'), 'NOT_FOUND')
    // the city approver reads, but may not write
    expect((await getLoan(database.db, approver, h.id, loanId)).id).toBe(loanId)
    await refusal(addLoan(database.db, approver, h.id, loanInput(null)), 'FORBIDDEN')
  })

  it('refuses a new loan once the file has ended', async () => {
    const ended = await newHousehold()
    await sql`UPDATE household SET status = 'exited' WHERE id = ${ended.id}`.execute(database.db)
    await refusal(addLoan(database.db, worker, ended.id, loanInput(null)), 'CONFLICT')
    expect((await listLoans(database.db, worker, ended.id)).editable).toBe(false)
  })
})

describe('training and placement', () => {
  let h: { id: string; memberId: string }
  let measureId: string
  const creditCode = (() => {
    const first17 = '91410102MA44ABCD1'
    return first17 + creditCodeCheckChar(first17)
  })()

  beforeAll(async () => {
    h = await newHousehold()
    measureId = (await addMeasure(database.db, worker, h.id, { batch: 'employment', target: '参加电工培训并就业', responsible: '王帮扶', dueOn: addMonths(today, 3) })).id
  })

  it('enrols a member linked to a measure of the plan, completes and places, guarded by version', async () => {
    const t = await addTraining(database.db, worker, h.id, { memberId: h.memberId, measureId, programmeCode: 'skills_training', course: ' 初级电工 ', provider: '郑州市职业技能培训中心', enrolledOn: today })
    expect(t).toMatchObject({ memberName: '钱创业', measureId, course: '初级电工', status: 'enrolled', version: 1, completedOn: null })
    const done = await updateTraining(database.db, worker, h.id, t.id, { version: 1, action: 'complete', completedOn: today, certificate: '电工职业资格证 No.123' })
    expect(done).toMatchObject({ status: 'completed', completedOn: today, certificate: '电工职业资格证 No.123', version: 2 })
    await refusal(updateTraining(database.db, worker, h.id, t.id, { version: 1, action: 'place', placedOn: today, employer: '某公司' }), 'CONFLICT')
    const placed = await updateTraining(database.db, worker, h.id, t.id, { version: 2, action: 'place', placedOn: today, employer: '河南某电气有限公司', employerCreditCode: creditCode.toLowerCase() })
    expect(placed).toMatchObject({ status: 'placed', placedOn: today, employerCreditCode: creditCode, completedOn: today, version: 3 })
    await refusal(updateTraining(database.db, worker, h.id, t.id, { version: 3, action: 'drop' }), 'CONFLICT')
    expect((await trail(h.id, 'household.training_place')).audits).toHaveLength(1)
    expect((await trail(h.id, 'household.training_add')).events).toHaveLength(1)
    expect((await listTraining(database.db, worker, h.id)).items).toMatchObject([{ id: t.id, status: 'placed' }])
  })

  it('names invalid fields: member, measure, dates, employer and credit code', async () => {
    const other = await newHousehold()
    const err = await refusal(
      addTraining(database.db, worker, h.id, { memberId: other.memberId, measureId: '00000000-0000-4000-8000-000000000000', programmeCode: null, course: '', provider: 'x'.repeat(201), enrolledOn: addMonths(today, 1) }),
      'VALIDATION_FAILED',
    )
    expect(fieldsOf(err)).toEqual(['memberId', 'measureId', 'course', 'provider', 'enrolledOn'])
    const t = await addTraining(database.db, worker, h.id, { memberId: h.memberId, course: '面点', provider: '培训中心', enrolledOn: addMonths(today, -1) })
    const place = await refusal(
      updateTraining(database.db, worker, h.id, t.id, { version: 1, action: 'place', placedOn: addMonths(today, -2), employer: ' ', employerCreditCode: '91410102MA44ABCD1X' }),
      'VALIDATION_FAILED',
    )
    expect(fieldsOf(place)).toEqual(['placedOn', 'employer', 'employerCreditCode'])
    const action = await refusal(updateTraining(database.db, worker, h.id, t.id, { version: 1, action: 'graduate' }), 'VALIDATION_FAILED')
    expect(fieldsOf(action)).toEqual(['action'])
    const dropped = await updateTraining(database.db, worker, h.id, t.id, { version: 1, action: 'drop' })
    expect(dropped.status).toBe('dropped')
  })

  it('answers out of scope like missing, and keeps the audit chain intact', async () => {
    const t = (await listTraining(database.db, worker, h.id)).items[0]!
    await refusal(listTraining(database.db, worker2, h.id), 'NOT_FOUND')
    await refusal(addTraining(database.db, worker2, h.id, { memberId: h.memberId, course: 'c', provider: 'p', enrolledOn: today }), 'NOT_FOUND')
    await refusal(updateTraining(database.db, worker2, h.id, t.id, { version: t.version, action: 'drop' }), 'NOT_FOUND')
    await refusal(updateTraining(database.db, worker, h.id, '00000000-0000-4000-8000-000000000000', { version: 1, action: 'drop' }), 'NOT_FOUND')
    expect((await verifyChains(database.db, { provinceCode: '41' })).ok).toBe(true)
  })
})
