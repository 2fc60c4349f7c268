import { sql } from 'kysely'
import type { Database, Kysely, Transaction } from '../../db/database.ts'
import type { LoanMethod } from './loans.ts'
import type { LoanStatus, TrainingStatus } from './loans.tables.ts'

// The SQL of a household's entrepreneurship loans, their repayments and its training records.
// The household itself is always found through the caller's scope first (households.repository.ts).

type Executor = Kysely<Database> | Transaction<Database>

export interface LoanRecord {
  id: string
  member_id: string | null
  member_name: string | null
  programme_code: string | null
  lender: string
  principal_fen: bigint
  annual_rate_bp: number
  subsidy_bp: number
  term_months: number
  start_month: string
  method: LoanMethod
  purpose: string
  status: LoanStatus
  created_at: Date
  updated_at: Date
  version: number
}

function loans(db: Executor, provinceCode: string, householdId: string) {
  return db
    .selectFrom('household_loan as l')
    .leftJoin('household_member as m', (j) => j.onRef('m.province_code', '=', 'l.province_code').onRef('m.id', '=', 'l.member_id'))
    .select([
      'l.id', 'l.member_id', 'm.name as member_name', 'l.programme_code', 'l.lender', 'l.principal_fen', 'l.annual_rate_bp', 'l.subsidy_bp',
      'l.term_months', 'l.start_month', 'l.method', 'l.purpose', 'l.status', 'l.created_at', 'l.updated_at', 'l.version',
    ])
    .where('l.province_code', '=', provinceCode)
    .where('l.household_id', '=', householdId)
}

/** The household's loans, newest first. */
export function loansOf(db: Executor, provinceCode: string, householdId: string): Promise<LoanRecord[]> {
  return loans(db, provinceCode, householdId).orderBy('l.start_month', 'desc').orderBy('l.created_at', 'desc').orderBy('l.id').execute()
}

export function findLoan(db: Executor, provinceCode: string, householdId: string, loanId: string): Promise<LoanRecord | undefined> {
  return loans(db, provinceCode, householdId).where('l.id', '=', loanId).executeTakeFirst()
}

/** Locks the loan row for the rest of the transaction (repayments are numbered and summed under it). */
export function lockLoan(trx: Transaction<Database>, provinceCode: string, householdId: string, loanId: string): Promise<{ status: LoanStatus; version: number } | undefined> {
  return trx
    .selectFrom('household_loan')
    .select(['status', 'version'])
    .where('province_code', '=', provinceCode)
    .where('household_id', '=', householdId)
    .where('id', '=', loanId)
    .forUpdate()
    .executeTakeFirst()
}

export async function insertLoan(
  trx: Transaction<Database>,
  v: {
    provinceCode: string; householdId: string; memberId: string | null; programmeCode: string | null; lender: string; principalFen: bigint
    annualRateBp: number; subsidyBp: number; termMonths: number; startMonth: string; method: LoanMethod; purpose: string; createdBy: string | null
  },
): Promise<string> {
  const row = await trx
    .insertInto('household_loan')
    .values({
      province_code: v.provinceCode,
      household_id: v.householdId,
      member_id: v.memberId,
      programme_code: v.programmeCode,
      lender: v.lender,
      principal_fen: v.principalFen,
      annual_rate_bp: v.annualRateBp,
      subsidy_bp: v.subsidyBp,
      term_months: v.termMonths,
      start_month: v.startMonth,
      method: v.method,
      purpose: v.purpose,
      created_by: v.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function setLoanStatus(trx: Transaction<Database>, provinceCode: string, loanId: string, status: LoanStatus): Promise<void> {
  await trx
    .updateTable('household_loan')
    .set({ status, updated_at: new Date(), version: sql<number>`version + 1` })
    .where('province_code', '=', provinceCode)
    .where('id', '=', loanId)
    .execute()
}

export interface RepaymentRecord {
  seq: number
  paid_on: string
  amount_fen: bigint
  note: string | null
  created_at: Date
}

export function repaymentsOf(db: Executor, provinceCode: string, loanId: string): Promise<RepaymentRecord[]> {
  return db
    .selectFrom('loan_repayment')
    .select(['seq', 'paid_on', 'amount_fen', 'note', 'created_at'])
    .where('province_code', '=', provinceCode)
    .where('loan_id', '=', loanId)
    .orderBy('seq')
    .execute()
}

/** Repayments of many loans of one province at once (for the list). */
export function repaymentsOfLoans(db: Executor, provinceCode: string, loanIds: readonly string[]): Promise<(RepaymentRecord & { loan_id: string })[]> {
  if (loanIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('loan_repayment')
    .select(['loan_id', 'seq', 'paid_on', 'amount_fen', 'note', 'created_at'])
    .where('province_code', '=', provinceCode)
    .where('loan_id', 'in', loanIds)
    .orderBy('loan_id')
    .orderBy('seq')
    .execute()
}

export async function insertRepayment(
  trx: Transaction<Database>,
  v: { provinceCode: string; loanId: string; seq: number; paidOn: string; amountFen: bigint; note: string | null; createdBy: string | null },
): Promise<RepaymentRecord> {
  return trx
    .insertInto('loan_repayment')
    .values({ province_code: v.provinceCode, loan_id: v.loanId, seq: v.seq, paid_on: v.paidOn, amount_fen: v.amountFen, note: v.note, created_by: v.createdBy })
    .returning(['seq', 'paid_on', 'amount_fen', 'note', 'created_at'])
    .executeTakeFirstOrThrow()
}

/** A member of this household, if the id names one. */
export function findMember(db: Executor, provinceCode: string, householdId: string, memberId: string): Promise<{ id: string; name: string } | undefined> {
  return db
    .selectFrom('household_member')
    .select(['id', 'name'])
    .where('province_code', '=', provinceCode)
    .where('household_id', '=', householdId)
    .where('id', '=', memberId)
    .executeTakeFirst()
}

// ---- training ----

export interface TrainingRecord {
  id: string
  member_id: string
  member_name: string | null
  programme_code: string | null
  measure_id: string | null
  course: string
  provider: string
  enrolled_on: string
  completed_on: string | null
  certificate: string | null
  placed_on: string | null
  employer: string | null
  employer_credit_code: string | null
  status: TrainingStatus
  created_at: Date
  updated_at: Date
  version: number
}

const trainingColumns = [
  't.id', 't.member_id', 'm.name as member_name', 't.programme_code', 't.measure_id', 't.course', 't.provider', 't.enrolled_on', 't.completed_on',
  't.certificate', 't.placed_on', 't.employer', 't.employer_credit_code', 't.status', 't.created_at', 't.updated_at', 't.version',
] as const

function trainings(db: Executor, provinceCode: string, householdId: string) {
  return db
    .selectFrom('household_training as t')
    .leftJoin('household_member as m', (j) => j.onRef('m.province_code', '=', 't.province_code').onRef('m.id', '=', 't.member_id'))
    .select(trainingColumns)
    .where('t.province_code', '=', provinceCode)
    .where('t.household_id', '=', householdId)
}

/** The household's training records, newest enrolment first. */
export function trainingOf(db: Executor, provinceCode: string, householdId: string): Promise<TrainingRecord[]> {
  return trainings(db, provinceCode, householdId).orderBy('t.enrolled_on', 'desc').orderBy('t.created_at', 'desc').orderBy('t.id').execute()
}

export function findTraining(db: Executor, provinceCode: string, householdId: string, id: string): Promise<TrainingRecord | undefined> {
  return trainings(db, provinceCode, householdId).where('t.id', '=', id).executeTakeFirst()
}

/** A measure of this household's plan, if the id names one. */
export function findMeasureOf(db: Executor, provinceCode: string, householdId: string, measureId: string): Promise<{ id: string; batch: string } | undefined> {
  return db
    .selectFrom('household_measure')
    .select(['id', 'batch'])
    .where('province_code', '=', provinceCode)
    .where('household_id', '=', householdId)
    .where('id', '=', measureId)
    .executeTakeFirst()
}

export async function insertTraining(
  trx: Transaction<Database>,
  v: {
    provinceCode: string; householdId: string; memberId: string; programmeCode: string | null; measureId: string | null; course: string
    provider: string; enrolledOn: string; createdBy: string | null
  },
): Promise<string> {
  const row = await trx
    .insertInto('household_training')
    .values({
      province_code: v.provinceCode,
      household_id: v.householdId,
      member_id: v.memberId,
      programme_code: v.programmeCode,
      measure_id: v.measureId,
      course: v.course,
      provider: v.provider,
      enrolled_on: v.enrolledOn,
      created_by: v.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Writes the change only if the row is still at `version`; false when it is not. */
export async function updateTraining(
  trx: Transaction<Database>,
  key: { provinceCode: string; householdId: string; id: string; version: number },
  patch: { status: TrainingStatus; completedOn: string | null; certificate: string | null; placedOn: string | null; employer: string | null; employerCreditCode: string | null },
): Promise<boolean> {
  const r = await trx
    .updateTable('household_training')
    .set({
      status: patch.status,
      completed_on: patch.completedOn,
      certificate: patch.certificate,
      placed_on: patch.placedOn,
      employer: patch.employer,
      employer_credit_code: patch.employerCreditCode,
      updated_at: new Date(),
      version: sql<number>`version + 1`,
    })
    .where('province_code', '=', key.provinceCode)
    .where('household_id', '=', key.householdId)
    .where('id', '=', key.id)
    .where('version', '=', key.version)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}
