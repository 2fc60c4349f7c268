import type { Database, Kysely } from '../../db/database.ts'
import { chinaDate } from '../../platform/china-date.ts'
import { parseCreditCode } from '../../platform/codes/credit-code.ts'
import { AppError, type FieldError, notFound, text, type Text } from '../../platform/errors.ts'
import { failOnErrors, optionalText, requiredText, trimmed } from '../../platform/fields.ts'
import { isUuid } from '../../platform/ids.ts'
import { actorOf, type Principal, requirePermission } from '../../platform/principal.ts'
import * as audit from '../audit/audit.service.ts'
import { isOneOf } from './codes.ts'
import type { HouseholdRecord } from './households.repository.ts'
import { householdInScope, lockedState } from './household-access.ts'
import { recordEvent } from './history.ts'
import type { HouseholdStatus } from './households.tables.ts'
import {
  addMonthsToMonth,
  isMonth,
  type Instalment,
  type LoanMethod,
  loanMethods,
  type OverdueInstalment,
  overdueInstalments,
  parseFen,
  repaidSoFar,
  repaymentSchedule,
  type Schedule,
} from './loans.ts'
import * as repo from './loans.repository.ts'
import type { LoanStatus, TrainingStatus } from './loans.tables.ts'
import { isIsoDate } from './visits.ts'

// A household's entrepreneurship loans (创业担保贷款) and training / placement records (技能培训,
// 阳光就业), issue 4 §5. Every function finds the household through the caller's scope first:
// missing and out of scope answer alike (404). Every write is audited and kept in the file's
// history, in one transaction. Money is bigint fen here; the routes write it as strings.

export const loanStatuses = ['active', 'repaid', 'written_off'] as const satisfies readonly LoanStatus[]
export const trainingStatuses = ['enrolled', 'completed', 'dropped', 'placed'] as const satisfies readonly TrainingStatus[]
export const trainingActions = ['complete', 'place', 'drop'] as const
export type TrainingAction = (typeof trainingActions)[number]

/** New loans and enrolments are recorded while the file is open (not after exit or removal). */
export const openStatuses = ['draft', 'submitted', 'verified', 'reverifying'] as const satisfies readonly HouseholdStatus[]

/** 5 000 000 yuan: far above any entrepreneurship-guarantee loan, low enough to catch a typing slip. */
export const MAX_PRINCIPAL_FEN = 500_000_000n
export const MAX_LOAN_RATE_BP = 2400
const LENDER_MAX = 100
const PURPOSE_MAX = 500
const NOTE_MAX = 200
const COURSE_MAX = 200
const PROVIDER_MAX = 200
const CERTIFICATE_MAX = 100
const EMPLOYER_MAX = 200
const EARLIEST = '2000-01-01'
const PROGRAMME_CODE = /^[A-Za-z0-9_.-]{1,64}$/

const problems = {
  principal: text('must be a positive whole number of fen, at most 500,000,000 (5,000,000 yuan)', '必须是正整数（单位：分），不超过 500000000（500 万元）'),
  rate: text(`must be a whole number of basis points from 0 to ${MAX_LOAN_RATE_BP}`, `必须是 0 到 ${MAX_LOAN_RATE_BP} 之间的整数（基点）`),
  subsidy: text('must be a whole number of basis points from 0 to 10000', '必须是 0 到 10000 之间的整数（基点）'),
  term: text('must be a whole number of months from 1 to 360', '必须是 1 到 360 之间的整数（月）'),
  month: (last: string) => text(`must be a month written YYYY-MM, from 2000-01 to ${last}`, `必须是 YYYY-MM 格式的月份，介于 2000-01 与 ${last} 之间`),
  method: text(`must be one of ${loanMethods.join(', ')}`, '还款方式必须是等额本金或到期一次还本'),
  member: text('is not a member of this household', '不是本户家庭成员'),
  measure: text("is not a measure of this household's plan", '不是本户帮扶计划中的措施'),
  programmeCode: text('must be 1 to 64 letters, digits, dots, dashes or underscores', '必须是1至64位字母、数字、点、横线或下划线'),
  date: text('must be a date written YYYY-MM-DD', '必须是 YYYY-MM-DD 格式的有效日期'),
  future: text('must not be in the future', '不能晚于今天'),
  tooEarly: (d: string) => text(`must not be before ${d}`, `不能早于 ${d}`),
  amount: text('must be a positive whole number of fen', '必须是正整数（单位：分）'),
  overpaid: (remaining: bigint) => text(`must not exceed what remains due, ${remaining} fen`, `不能超过尚欠金额 ${remaining} 分`),
  version: text('must be the version you read', '必须是读取时的版本号'),
  action: text(`must be one of ${trainingActions.join(', ')}`, '操作必须是结业、就业或退出之一'),
}

const conflicts = {
  closed: text('the file has ended (exited or removed); no new loans or enrolments can be recorded', '该档案已脱困或已取消，不能再登记贷款或培训'),
  loanClosed: text('the loan is no longer active (repaid or written off)', '该贷款已结清或已核销'),
  stale: text('someone changed this record after you read it; reload and try again', '该记录已被他人修改，请刷新后重试'),
  transition: (from: string, action: string) => text(`a record that is ${from} cannot be marked ${action}`, `状态为“${from}”的记录不能执行“${action}”`),
}

function intIn(errors: FieldError[], field: string, value: unknown, min: number, max: number, message: Text): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    errors.push({ field, message })
    return min
  }
  return value
}

function pastDate(errors: FieldError[], field: string, value: unknown, today: string, earliest = EARLIEST): string {
  if (!isIsoDate(value)) errors.push({ field, message: problems.date })
  else if (value > today) errors.push({ field, message: problems.future })
  else if (value < earliest) errors.push({ field, message: problems.tooEarly(earliest) })
  return typeof value === 'string' ? value : ''
}

function programmeCodeOf(errors: FieldError[], value: unknown): string | null {
  const v = trimmed(value)
  if (!v) return null
  if (!PROGRAMME_CODE.test(v)) errors.push({ field: 'programmeCode', message: problems.programmeCode })
  return v
}

async function memberOf(db: Kysely<Database>, errors: FieldError[], h: HouseholdRecord, value: unknown, required: boolean): Promise<string | null> {
  if (value === undefined || value === null || value === '') {
    if (required) errors.push({ field: 'memberId', message: problems.member })
    return null
  }
  const m = typeof value === 'string' && isUuid(value) ? await repo.findMember(db, h.province_code, h.id, value) : undefined
  if (!m) errors.push({ field: 'memberId', message: problems.member })
  return m?.id ?? null
}

// ---------------------------------------------------------------- loans

export interface Loan {
  id: string
  memberId: string | null
  memberName: string | null
  programmeCode: string | null
  lender: string
  principalFen: bigint
  annualRateBp: number
  subsidyBp: number
  termMonths: number
  startMonth: string
  method: LoanMethod
  purpose: string
  status: LoanStatus
  totalInterestFen: bigint
  totalSubsidyFen: bigint
  totalDueFen: bigint
  repaidFen: bigint
  remainingFen: bigint
  /** instalments past due and not fully covered (only for an active loan) */
  overdueCount: number
  overdueFen: bigint
  createdAt: Date
  version: number
}

export interface Repayment {
  seq: number
  paidOn: string
  amountFen: bigint
  note: string | null
  createdAt: Date
}

export interface LoanDetail extends Loan {
  schedule: Instalment[]
  repayments: Repayment[]
  overdue: OverdueInstalment[]
}

const toRepayment = (r: repo.RepaymentRecord): Repayment => ({ seq: r.seq, paidOn: r.paid_on, amountFen: BigInt(r.amount_fen), note: r.note, createdAt: r.created_at })

function scheduleOf(l: repo.LoanRecord): Schedule {
  return repaymentSchedule({
    principalFen: BigInt(l.principal_fen),
    termMonths: l.term_months,
    startMonth: l.start_month,
    annualRateBp: l.annual_rate_bp,
    subsidyBp: l.subsidy_bp,
    method: l.method,
  })
}

function toLoanDetail(l: repo.LoanRecord, repayments: Repayment[], today: string): LoanDetail {
  const schedule = scheduleOf(l)
  const { repaidFen, remainingFen } = repaidSoFar(schedule, repayments)
  const overdue = l.status === 'active' ? overdueInstalments(schedule, repayments, today) : []
  return {
    id: l.id,
    memberId: l.member_id,
    memberName: l.member_name,
    programmeCode: l.programme_code,
    lender: l.lender,
    principalFen: BigInt(l.principal_fen),
    annualRateBp: l.annual_rate_bp,
    subsidyBp: l.subsidy_bp,
    termMonths: l.term_months,
    startMonth: l.start_month,
    method: l.method,
    purpose: l.purpose,
    status: l.status,
    totalInterestFen: schedule.totalInterestFen,
    totalSubsidyFen: schedule.totalSubsidyFen,
    totalDueFen: schedule.totalDueFen,
    repaidFen,
    remainingFen,
    overdueCount: overdue.length,
    overdueFen: overdue.reduce((s, o) => s + o.outstandingFen, 0n),
    createdAt: l.created_at,
    version: l.version,
    schedule: schedule.instalments,
    repayments,
    overdue,
  }
}

function summary(d: LoanDetail): Loan {
  const { schedule: _s, repayments: _r, overdue: _o, ...loan } = d
  return loan
}

export interface LoanList {
  /** whether new loans can be recorded (the file is open) */
  editable: boolean
  items: Loan[]
}

/** The household's loans, newest first, each with its totals, what is repaid and what is overdue. */
export async function listLoans(db: Kysely<Database>, p: Principal, householdId: string, options: { today?: string } = {}): Promise<LoanList> {
  requirePermission(p, 'household.read')
  const h = await householdInScope(db, p, householdId)
  const today = options.today ?? chinaDate()
  const rows = await repo.loansOf(db, h.province_code, h.id)
  const repayments = await repo.repaymentsOfLoans(db, h.province_code, rows.map((l) => l.id))
  return {
    editable: isOneOf(openStatuses, h.status),
    items: rows.map((l) => summary(toLoanDetail(l, repayments.filter((r) => r.loan_id === l.id).map(toRepayment), today))),
  }
}

/** One loan with its schedule (principal, interest, subsidy per month), repayments and overdue instalments. */
export async function getLoan(db: Kysely<Database>, p: Principal, householdId: string, loanId: string, options: { today?: string } = {}): Promise<LoanDetail> {
  requirePermission(p, 'household.read')
  const h = await householdInScope(db, p, householdId)
  return loanDetail(db, h, loanId, options.today ?? chinaDate())
}

async function loanDetail(db: Kysely<Database>, h: HouseholdRecord, loanId: string, today: string): Promise<LoanDetail> {
  if (!isUuid(loanId)) throw notFound()
  const l = await repo.findLoan(db, h.province_code, h.id, loanId)
  if (!l) throw notFound()
  const repayments = (await repo.repaymentsOf(db, h.province_code, l.id)).map(toRepayment)
  return toLoanDetail(l, repayments, today)
}

export interface AddLoanInput {
  memberId?: string | null
  programmeCode?: string | null
  lender: string
  /** whole fen, as a decimal string */
  principalFen: string
  annualRateBp: number
  subsidyBp: number
  termMonths: number
  /** YYYY-MM: the month the loan is paid out */
  startMonth: string
  method: string
  purpose: string
}

/** Records an entrepreneurship loan of the household (optionally of one member). */
export async function addLoan(db: Kysely<Database>, p: Principal, householdId: string, input: AddLoanInput): Promise<LoanDetail> {
  requirePermission(p, 'household.write')
  const h = await householdInScope(db, p, householdId)
  const today = chinaDate()
  const errors: FieldError[] = []
  const memberId = await memberOf(db, errors, h, input.memberId, false)
  const programmeCode = programmeCodeOf(errors, input.programmeCode)
  const lender = requiredText(errors, 'lender', input.lender, LENDER_MAX)
  const principalFen = parseFen(input.principalFen, MAX_PRINCIPAL_FEN)
  if (principalFen === null) errors.push({ field: 'principalFen', message: problems.principal })
  const annualRateBp = intIn(errors, 'annualRateBp', input.annualRateBp, 0, MAX_LOAN_RATE_BP, problems.rate)
  const subsidyBp = intIn(errors, 'subsidyBp', input.subsidyBp, 0, 10_000, problems.subsidy)
  const termMonths = intIn(errors, 'termMonths', input.termMonths, 1, 360, problems.term)
  const lastMonth = addMonthsToMonth(today.slice(0, 7), 12)
  if (!isMonth(input.startMonth) || input.startMonth < '2000-01' || input.startMonth > lastMonth) errors.push({ field: 'startMonth', message: problems.month(lastMonth) })
  if (!isOneOf(loanMethods, input.method)) errors.push({ field: 'method', message: problems.method })
  const purpose = requiredText(errors, 'purpose', input.purpose, PURPOSE_MAX)
  failOnErrors(errors)

  const loanId = await db.transaction().execute(async (trx) => {
    const state = await lockedState(trx, h)
    if (!isOneOf(openStatuses, state.status)) throw new AppError('CONFLICT', conflicts.closed)
    const id = await repo.insertLoan(trx, {
      provinceCode: h.province_code,
      householdId: h.id,
      memberId,
      programmeCode,
      lender,
      principalFen: principalFen!,
      annualRateBp,
      subsidyBp,
      termMonths,
      startMonth: input.startMonth,
      method: input.method as LoanMethod,
      purpose,
      createdBy: p.userId,
    })
    const after = { loanId: id, memberId, programmeCode, lender, principalFen: principalFen!.toString(), annualRateBp, subsidyBp, termMonths, startMonth: input.startMonth, method: input.method, purpose }
    await audit.record(trx, { actor: actorOf(p), action: 'household.loan_add', entityType: 'household', entityId: h.id, regionCode: h.region_code, after, requestId: p.requestId })
    await recordEvent(trx, p, { provinceCode: h.province_code, householdId: h.id, episode: state.episode, action: 'household.loan_add', after })
    return id
  })
  return loanDetail(db, h, loanId, today)
}

export interface AddRepaymentInput {
  /** YYYY-MM-DD, not in the future, not before the loan's start month */
  paidOn: string
  /** whole fen, as a decimal string; at most what remains due */
  amountFen: string
  note?: string | null
}

/** Records a repayment (append-only); the loan becomes repaid when nothing remains due. */
export async function addRepayment(db: Kysely<Database>, p: Principal, householdId: string, loanId: string, input: AddRepaymentInput): Promise<LoanDetail> {
  requirePermission(p, 'household.write')
  const h = await householdInScope(db, p, householdId)
  if (!isUuid(loanId)) throw notFound()
  const loan = await repo.findLoan(db, h.province_code, h.id, loanId)
  if (!loan) throw notFound()
  const today = chinaDate()
  const errors: FieldError[] = []
  const paidOn = pastDate(errors, 'paidOn', input.paidOn, today, `${loan.start_month}-01`)
  const amountFen = parseFen(input.amountFen, MAX_PRINCIPAL_FEN * 2n)
  if (amountFen === null) errors.push({ field: 'amountFen', message: problems.amount })
  const note = optionalText(errors, 'note', input.note, NOTE_MAX)
  failOnErrors(errors)

  await db.transaction().execute(async (trx) => {
    const state = await lockedState(trx, h)
    const locked = await repo.lockLoan(trx, h.province_code, h.id, loan.id)
    if (!locked) throw notFound()
    if (locked.status !== 'active') throw new AppError('CONFLICT', conflicts.loanClosed)
    const existing = await repo.repaymentsOf(trx, h.province_code, loan.id)
    const schedule = scheduleOf(loan)
    const { remainingFen } = repaidSoFar(schedule, existing.map(toRepayment))
    if (amountFen! > remainingFen) throw new AppError('VALIDATION_FAILED', undefined, [{ field: 'amountFen', message: problems.overpaid(remainingFen) }])
    const seq = existing.reduce((m, r) => Math.max(m, r.seq), 0) + 1
    await repo.insertRepayment(trx, { provinceCode: h.province_code, loanId: loan.id, seq, paidOn, amountFen: amountFen!, note, createdBy: p.userId })
    const repaid = amountFen === remainingFen
    if (repaid) await repo.setLoanStatus(trx, h.province_code, loan.id, 'repaid')
    const before = { loanId: loan.id, remainingFen: remainingFen.toString(), status: locked.status }
    const after = { loanId: loan.id, seq, paidOn, amountFen: amountFen!.toString(), remainingFen: (remainingFen - amountFen!).toString(), status: repaid ? 'repaid' : 'active' }
    await audit.record(trx, { actor: actorOf(p), action: 'household.loan_repayment', entityType: 'household', entityId: h.id, regionCode: h.region_code, before, after, requestId: p.requestId })
    await recordEvent(trx, p, { provinceCode: h.province_code, householdId: h.id, episode: state.episode, action: 'household.loan_repayment', before, after })
  })
  return loanDetail(db, h, loan.id, today)
}

// ---------------------------------------------------------------- training

export interface Training {
  id: string
  memberId: string
  memberName: string | null
  programmeCode: string | null
  measureId: string | null
  course: string
  provider: string
  enrolledOn: string
  completedOn: string | null
  certificate: string | null
  placedOn: string | null
  employer: string | null
  employerCreditCode: string | null
  status: TrainingStatus
  createdAt: Date
  updatedAt: Date
  version: number
}

const toTraining = (t: repo.TrainingRecord): Training => ({
  id: t.id,
  memberId: t.member_id,
  memberName: t.member_name,
  programmeCode: t.programme_code,
  measureId: t.measure_id,
  course: t.course,
  provider: t.provider,
  enrolledOn: t.enrolled_on,
  completedOn: t.completed_on,
  certificate: t.certificate,
  placedOn: t.placed_on,
  employer: t.employer,
  employerCreditCode: t.employer_credit_code,
  status: t.status,
  createdAt: t.created_at,
  updatedAt: t.updated_at,
  version: t.version,
})

export async function listTraining(db: Kysely<Database>, p: Principal, householdId: string): Promise<{ editable: boolean; items: Training[] }> {
  requirePermission(p, 'household.read')
  const h = await householdInScope(db, p, householdId)
  const rows = await repo.trainingOf(db, h.province_code, h.id)
  return { editable: isOneOf(openStatuses, h.status), items: rows.map(toTraining) }
}

export interface AddTrainingInput {
  memberId: string
  programmeCode?: string | null
  /** a measure of the household's plan (usually of the employment batch) */
  measureId?: string | null
  course: string
  provider: string
  enrolledOn: string
}

/** Enrols a member in a training course (技能培训). */
export async function addTraining(db: Kysely<Database>, p: Principal, householdId: string, input: AddTrainingInput): Promise<Training> {
  requirePermission(p, 'household.write')
  const h = await householdInScope(db, p, householdId)
  const today = chinaDate()
  const errors: FieldError[] = []
  const memberId = await memberOf(db, errors, h, input.memberId, true)
  const programmeCode = programmeCodeOf(errors, input.programmeCode)
  let measureId: string | null = null
  if (input.measureId !== undefined && input.measureId !== null && input.measureId !== '') {
    const m = isUuid(input.measureId) ? await repo.findMeasureOf(db, h.province_code, h.id, input.measureId) : undefined
    if (!m) errors.push({ field: 'measureId', message: problems.measure })
    measureId = m?.id ?? null
  }
  const course = requiredText(errors, 'course', input.course, COURSE_MAX)
  const provider = requiredText(errors, 'provider', input.provider, PROVIDER_MAX)
  const enrolledOn = pastDate(errors, 'enrolledOn', input.enrolledOn, today)
  failOnErrors(errors)

  const id = await db.transaction().execute(async (trx) => {
    const state = await lockedState(trx, h)
    if (!isOneOf(openStatuses, state.status)) throw new AppError('CONFLICT', conflicts.closed)
    const id = await repo.insertTraining(trx, { provinceCode: h.province_code, householdId: h.id, memberId: memberId!, programmeCode, measureId, course, provider, enrolledOn, createdBy: p.userId })
    const after = { trainingId: id, memberId, programmeCode, measureId, course, provider, enrolledOn, status: 'enrolled' }
    await audit.record(trx, { actor: actorOf(p), action: 'household.training_add', entityType: 'household', entityId: h.id, regionCode: h.region_code, after, requestId: p.requestId })
    await recordEvent(trx, p, { provinceCode: h.province_code, householdId: h.id, episode: state.episode, action: 'household.training_add', after })
    return id
  })
  return toTraining((await repo.findTraining(db, h.province_code, h.id, id))!)
}

export interface UpdateTrainingInput {
  /** the version the caller read; a stale one is refused with CONFLICT */
  version: number
  /** complete (结业), place (就业安置) or drop (退出) */
  action: string
  completedOn?: string | null
  certificate?: string | null
  placedOn?: string | null
  employer?: string | null
  employerCreditCode?: string | null
}

/** From which statuses each action may be taken, and the status it leads to. */
const transitions: Record<TrainingAction, { from: readonly TrainingStatus[]; to: TrainingStatus }> = {
  complete: { from: ['enrolled'], to: 'completed' },
  place: { from: ['enrolled', 'completed'], to: 'placed' },
  drop: { from: ['enrolled'], to: 'dropped' },
}

/** Marks an enrolment completed (with the certificate), placed in work (with the employer) or dropped. */
export async function updateTraining(db: Kysely<Database>, p: Principal, householdId: string, trainingId: string, input: UpdateTrainingInput): Promise<Training> {
  requirePermission(p, 'household.write')
  const h = await householdInScope(db, p, householdId)
  if (!isUuid(trainingId)) throw notFound()
  const existing = await repo.findTraining(db, h.province_code, h.id, trainingId)
  if (!existing) throw notFound()
  const today = chinaDate()
  const errors: FieldError[] = []
  if (!Number.isSafeInteger(input.version) || input.version < 1) errors.push({ field: 'version', message: problems.version })
  if (!isOneOf(trainingActions, input.action)) {
    errors.push({ field: 'action', message: problems.action })
    failOnErrors(errors)
  }
  const action = input.action as TrainingAction
  let completedOn = existing.completed_on
  let certificate = existing.certificate
  let placedOn = existing.placed_on
  let employer = existing.employer
  let employerCreditCode = existing.employer_credit_code
  if (action === 'complete') {
    completedOn = pastDate(errors, 'completedOn', input.completedOn, today, existing.enrolled_on)
    certificate = optionalText(errors, 'certificate', input.certificate, CERTIFICATE_MAX)
  } else if (action === 'place') {
    placedOn = pastDate(errors, 'placedOn', input.placedOn, today, existing.enrolled_on)
    employer = requiredText(errors, 'employer', input.employer, EMPLOYER_MAX)
    employerCreditCode = null
    if (trimmed(input.employerCreditCode)) {
      const parsed = parseCreditCode(input.employerCreditCode)
      if (parsed.ok) employerCreditCode = parsed.code
      else errors.push({ field: 'employerCreditCode', message: parsed.problem })
    }
  }
  failOnErrors(errors)
  const t = transitions[action]
  if (!t.from.includes(existing.status)) throw new AppError('CONFLICT', conflicts.transition(existing.status, action))

  await db.transaction().execute(async (trx) => {
    const state = await lockedState(trx, h)
    const ok = await repo.updateTraining(
      trx,
      { provinceCode: h.province_code, householdId: h.id, id: existing.id, version: input.version },
      { status: t.to, completedOn, certificate, placedOn, employer, employerCreditCode },
    )
    if (!ok) throw new AppError('CONFLICT', conflicts.stale, [{ field: 'version', message: conflicts.stale }] satisfies FieldError[])
    const before = { trainingId: existing.id, status: existing.status }
    const after = { trainingId: existing.id, status: t.to, completedOn, certificate, placedOn, employer, employerCreditCode }
    const actionName = `household.training_${action}`
    await audit.record(trx, { actor: actorOf(p), action: actionName, entityType: 'household', entityId: h.id, regionCode: h.region_code, before, after, requestId: p.requestId })
    await recordEvent(trx, p, { provinceCode: h.province_code, householdId: h.id, episode: state.episode, action: actionName, before, after })
  })
  return toTraining((await repo.findTraining(db, h.province_code, h.id, existing.id))!)
}
