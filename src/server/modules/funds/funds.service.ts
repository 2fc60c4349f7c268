import type { Database, Kysely } from '../../db/database.ts'
import { chinaDate } from '../../platform/china-date.ts'
import { decodeCursor, page } from '../../platform/cursor.ts'
import { AppError, type FieldError, isUniqueViolation, notFound, text } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import type { Principal } from '../../platform/principal.ts'
import { requirePermission } from '../../platform/principal.ts'
import { optionalText } from '../../platform/fields.ts'
import { nationalScope } from '../../platform/scope.ts'
import type { ProgrammeKind } from '../programmes/programmes.tables.ts'
import * as repo from './funds.repository.ts'
import type { LedgerAccountKind, LedgerEntryKind } from './funds.tables.ts'
import { postEntry } from './ledger.ts'

/**
 * Hardship funds (issue 5 §1, §2; domain.md §6): receipts by source, allocations down the tree,
 * reversals, and what the books say — balances per organisation and fund type, entries, statements
 * and funds raised by source against funds paid. Every movement goes through `postEntry`.
 */

/** Fund types (domain.md §6), closed: the programmes' fund types are among them. */
export const fundTypes = [
  'hardship_fund',
  'regular_subsidy_fund',
  'centre_allowance_fund',
  'mutual_aid_fund',
  'education_aid_fund',
  'training_fund',
  'entrepreneurship_fund',
] as const
export type FundType = (typeof fundTypes)[number]

/**
 * What each fund type may pay for (domain.md §6 "funds used outside the programme's scope"): the
 * hardship fund pays any assistance; the others only their own kinds. A cycle is refused for a
 * programme its fund may not pay, and the supervision scan flags such lines (a programme's fund type
 * changed after its cycle was made).
 */
export const fundTypeUses: Record<FundType, readonly ProgrammeKind[] | 'any'> = {
  hardship_fund: 'any',
  regular_subsidy_fund: ['living_subsidy', 'festival_relief'],
  centre_allowance_fund: [],
  mutual_aid_fund: ['medical_aid'],
  education_aid_fund: ['education_aid'],
  training_fund: ['skills_training', 'graduate_employment'],
  entrepreneurship_fund: ['entrepreneurship'],
}

/** True when a fund of this type may pay a programme of this kind. */
export function fundMayPay(fundType: string, kind: string): boolean {
  const uses = fundTypeUses[fundType as FundType]
  return uses === 'any' || (uses !== undefined && (uses as readonly string[]).includes(kind))
}

/** Sources of funds (domain.md §6). */
export const fundSources = [
  'central_finance',
  'local_finance',
  'enterprise',
  'unemployment_insurance',
  'union_returned',
  'donation',
  'income_tax',
  'bank_wage_loan',
] as const
export type FundSource = (typeof fundSources)[number]

const FEN = /^[0-9]{1,15}$/
const DAY = /^\d{4}-\d{2}-\d{2}$/
const MAX_FEN = 100_000_000_000_000n // 1 trillion yuan: a typo guard, not a policy

const problems = {
  fen: text('must be a whole number of fen above zero, as a decimal string', '须为大于 0 的整数（单位：分），以字符串表示'),
  day: text('must be a date YYYY-MM-DD, not in the future', '须为日期 YYYY-MM-DD，且不晚于今天'),
  fundType: text('unknown fund type', '资金类型不存在'),
  source: text('unknown source of funds', '资金来源不存在'),
  below: text('must be an organisation below the one allocating', '须为拨付单位的下级组织'),
  same: text('cannot allocate to itself', '不能拨付给本单位'),
  reason: text('give the reason (2 to 500 characters)', '请填写原因（2 至 500 字）'),
  reversed: text('this entry has been reversed already', '该笔记账已冲正过'),
  reversal: text('a reversal is not reversed; post the movement again', '冲正记录不能再冲正，请重新记账'),
  notManual: text('this entry belongs to a payment cycle; correct it there', '该笔记账属于发放批次，请在批次中更正'),
}

function parseFen(v: unknown, field: string, errors: FieldError[]): bigint {
  if (typeof v !== 'string' || !FEN.test(v) || BigInt(v) <= 0n || BigInt(v) > MAX_FEN) {
    errors.push({ field, message: problems.fen })
    return 0n
  }
  return BigInt(v)
}

function parseDay(v: unknown, field: string, errors: FieldError[]): string {
  const today = chinaDate()
  if (v === undefined || v === null || v === '') return today
  if (typeof v !== 'string' || !DAY.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)) || v > today) {
    errors.push({ field, message: problems.day })
    return today
  }
  return v
}

function parseFundType(v: unknown, errors: FieldError[]): FundType {
  if (!(fundTypes as readonly unknown[]).includes(v)) errors.push({ field: 'fundType', message: problems.fundType })
  return v as FundType
}

/** An organisation in the caller's scope; out of scope answers like a missing one. */
async function orgOf(db: Kysely<Database>, p: Principal, id: string | undefined): Promise<repo.LedgerOrg> {
  if (!id || !isUuid(id)) throw notFound()
  const org = await repo.orgInScope(db, p.scope, id)
  if (!org) throw notFound()
  return org
}

// ---------------------------------------------------------------- writes

export interface ReceiptInput {
  orgId: string
  fundType: string
  source: string
  amountFen: string
  receivedOn?: string
  reference?: string | null
  memo?: string | null
}

/** Money arriving at an organisation from a source: available +amount, receipts:source −amount. */
export async function recordReceipt(db: Kysely<Database>, p: Principal, input: ReceiptInput): Promise<EntryDetail> {
  requirePermission(p, 'fund.manage')
  const org = await orgOf(db, p, input.orgId)
  const errors: FieldError[] = []
  const fundType = parseFundType(input.fundType, errors)
  if (!(fundSources as readonly unknown[]).includes(input.source)) errors.push({ field: 'source', message: problems.source })
  const amount = parseFen(input.amountFen, 'amountFen', errors)
  const day = parseDay(input.receivedOn, 'receivedOn', errors)
  const reference = optionalText(errors, 'reference', input.reference, 100)
  const memo = optionalText(errors, 'memo', input.memo, 500)
  if (errors.length) throw new AppError('VALIDATION_FAILED', undefined, errors)
  const entry = await db.transaction().execute((trx) =>
    postEntry(trx, p, {
      kind: 'receipt',
      org,
      fundType,
      amountFen: amount,
      occurredOn: day,
      reference,
      memo,
      lines: [
        { account: { org, fundType, kind: 'available' }, amountFen: amount },
        { account: { org, fundType, kind: 'receipts', source: input.source }, amountFen: -amount },
      ],
    }),
  )
  return getEntry(db, p, entry.id)
}

export interface AllocationInput {
  fromOrgId: string
  toOrgId: string
  fundType: string
  amountFen: string
  allocatedOn?: string
  reference?: string | null
  memo?: string | null
}

/** Money sent down the tree: the giver's available −amount, the receiver's available +amount; refused when the giver is short. */
export async function allocate(db: Kysely<Database>, p: Principal, input: AllocationInput): Promise<EntryDetail> {
  requirePermission(p, 'fund.manage')
  const from = await orgOf(db, p, input.fromOrgId)
  const errors: FieldError[] = []
  const to = input.toOrgId && isUuid(input.toOrgId) ? await repo.orgInScope(db, p.scope, input.toOrgId) : undefined
  if (!to) errors.push({ field: 'toOrgId', message: problems.below })
  else if (to.id === from.id) errors.push({ field: 'toOrgId', message: problems.same })
  else if (!(await repo.isBelow(db, from.id, to.id))) errors.push({ field: 'toOrgId', message: problems.below })
  const fundType = parseFundType(input.fundType, errors)
  const amount = parseFen(input.amountFen, 'amountFen', errors)
  const day = parseDay(input.allocatedOn, 'allocatedOn', errors)
  const reference = optionalText(errors, 'reference', input.reference, 100)
  const memo = optionalText(errors, 'memo', input.memo, 500)
  if (errors.length) throw new AppError('VALIDATION_FAILED', undefined, errors)
  const entry = await db.transaction().execute((trx) =>
    postEntry(trx, p, {
      kind: 'allocation',
      org: from,
      fundType,
      amountFen: amount,
      occurredOn: day,
      reference,
      memo,
      lines: [
        { account: { org: from, fundType, kind: 'available' }, amountFen: -amount },
        { account: { org: to!, fundType, kind: 'available' }, amountFen: amount },
      ],
    }),
  )
  return getEntry(db, p, entry.id)
}

/**
 * Corrects a receipt or an allocation by a reversal: the same lines negated, refused when that would
 * take a balance below zero (the money was spent or passed on). Payment-cycle entries are corrected
 * by their cycle. An entry is reversed once (a unique index decides under a race).
 */
export async function reverseEntry(db: Kysely<Database>, p: Principal, id: string, input: { reason: string }): Promise<EntryDetail> {
  requirePermission(p, 'fund.manage')
  if (!isUuid(id)) throw notFound()
  const reason = (input.reason ?? '').trim()
  if (reason.length < 2 || reason.length > 500) throw new AppError('VALIDATION_FAILED', undefined, [{ field: 'reason', message: problems.reason }])
  const e = await repo.entryInScope(db, p.scope, id)
  if (!e) throw notFound()
  if (e.kind === 'reversal') throw new AppError('CONFLICT', problems.reversal)
  if (e.kind !== 'receipt' && e.kind !== 'allocation') throw new AppError('CONFLICT', problems.notManual)
  if (e.reversed_by) throw new AppError('CONFLICT', problems.reversed)
  const lines = await repo.linesOf(db, e.province_code, [e.id])
  const orgs = new Map<string, repo.LedgerOrg>()
  for (const l of lines) if (!orgs.has(l.org_id)) orgs.set(l.org_id, (await repo.orgInScope(db, nationalScope, l.org_id))!)
  let reversal: { id: string }
  try {
    reversal = await db.transaction().execute((trx) =>
      postEntry(trx, p, {
        kind: 'reversal',
        org: orgs.get(e.org_id) ?? (orgs.values().next().value as repo.LedgerOrg),
        fundType: e.fund_type,
        amountFen: BigInt(e.amount_fen),
        occurredOn: chinaDate(),
        memo: reason,
        reference: e.reference,
        reversesId: e.id,
        lines: lines.map((l) => ({ account: { org: orgs.get(l.org_id)!, fundType: l.fund_type, kind: l.kind, source: l.source }, amountFen: -BigInt(l.amount_fen) })),
      }),
    )
  } catch (err) {
    if (isUniqueViolation(err, 'ledger_entry_reverses_uq')) throw new AppError('CONFLICT', problems.reversed)
    throw err
  }
  return getEntry(db, p, reversal.id)
}

// ---------------------------------------------------------------- reads

export interface EntryLine {
  seq: number
  orgId: string
  orgName: string
  fundType: string
  kind: LedgerAccountKind
  source: string
  amountFen: bigint
}

export interface Entry {
  id: string
  kind: LedgerEntryKind
  orgId: string
  orgName: string
  fundType: string
  amountFen: bigint
  occurredOn: string
  memo: string | null
  reference: string | null
  refKind: string | null
  refId: string | null
  reversesId: string | null
  reversedBy: string | null
  createdByName: string
  createdAt: Date
}

export interface EntryDetail extends Entry {
  lines: EntryLine[]
}

const toEntry = (r: Omit<repo.EntryRow, 'province_code'>): Entry => ({
  id: r.id,
  kind: r.kind,
  orgId: r.org_id,
  orgName: r.org_name,
  fundType: r.fund_type,
  amountFen: BigInt(r.amount_fen),
  occurredOn: r.occurred_on,
  memo: r.memo,
  reference: r.reference,
  refKind: r.ref_kind,
  refId: r.ref_id,
  reversesId: r.reverses_id,
  reversedBy: r.reversed_by,
  createdByName: r.created_by_name,
  createdAt: r.created_at,
})

export async function getEntry(db: Kysely<Database>, p: Principal, id: string): Promise<EntryDetail> {
  requirePermission(p, 'fund.read')
  if (!isUuid(id)) throw notFound()
  const e = await repo.entryInScope(db, p.scope, id)
  if (!e) throw notFound()
  const lines = await repo.linesOf(db, e.province_code, [e.id])
  return {
    ...toEntry(e),
    lines: lines.map((l) => ({ seq: l.seq, orgId: l.org_id, orgName: l.org_name, fundType: l.fund_type, kind: l.kind, source: l.source, amountFen: BigInt(l.amount_fen) })),
  }
}

export async function listEntries(
  db: Kysely<Database>,
  p: Principal,
  f: { orgId?: string; fundType?: string; kind?: string; cursor?: string; limit?: number } = {},
): Promise<{ items: Entry[]; nextCursor: string | null }> {
  requirePermission(p, 'fund.read')
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 200)
  if (f.orgId !== undefined && !isUuid(f.orgId)) return { items: [], nextCursor: null }
  const key = decodeCursor(f.cursor, ['instant', 'uuid'])
  const rows = await repo.listEntries(db, p.scope, {
    orgId: f.orgId,
    fundType: f.fundType,
    kind: f.kind as LedgerEntryKind | undefined,
    before: key ? { createdAt: key[0]!, id: key[1]! } : undefined,
    limit: limit + 1,
  })
  const result = page(rows, limit, (r) => [r.created_at.toISOString(), r.id])
  return { items: result.items.map(toEntry), nextCursor: result.nextCursor }
}

/** One organisation's fund of one type, as its accounts say. */
export interface FundBalance {
  orgId: string
  orgName: string
  orgLevel: string
  regionCode: string | null
  fundType: string
  availableFen: bigint
  reservedFen: bigint
  paidFen: bigint
  /** received from each source (positive), from the receipts accounts */
  receivedFen: Record<string, bigint>
  receivedTotalFen: bigint
}

/** Funds in the caller's scope, one row per organisation and fund type that has an account. */
export async function fundOverview(db: Kysely<Database>, p: Principal, f: { orgId?: string; fundType?: string } = {}): Promise<FundBalance[]> {
  requirePermission(p, 'fund.read')
  if (f.orgId !== undefined && !isUuid(f.orgId)) return []
  const rows = await repo.accountsInScope(db, p.scope, f)
  const byFund = new Map<string, FundBalance>()
  for (const r of rows) {
    const k = `${r.org_id}:${r.fund_type}`
    const b = byFund.get(k) ?? {
      orgId: r.org_id,
      orgName: r.org_name,
      orgLevel: r.org_level,
      regionCode: r.region_code,
      fundType: r.fund_type,
      availableFen: 0n,
      reservedFen: 0n,
      paidFen: 0n,
      receivedFen: {},
      receivedTotalFen: 0n,
    }
    const bal = BigInt(r.balance_fen)
    if (r.kind === 'available') b.availableFen = bal
    else if (r.kind === 'reserved') b.reservedFen = bal
    else if (r.kind === 'paid') b.paidFen = bal
    else {
      b.receivedFen[r.source] = -bal
      b.receivedTotalFen += -bal
    }
    byFund.set(k, b)
  }
  return [...byFund.values()]
}

export interface StatementLine {
  entryId: string
  kind: LedgerEntryKind
  occurredOn: string
  at: Date
  memo: string | null
  reference: string | null
  byName: string
  amountFen: bigint
  balanceFen: bigint
}

export interface Statement {
  orgId: string
  fundType: string
  kind: LedgerAccountKind
  from: string
  to: string
  openingFen: bigint
  closingFen: bigint
  lines: StatementLine[]
  /** more lines than a page holds: narrow the period */
  truncated: boolean
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/
const STATEMENT_LIMIT = 5000

/** An account's statement for a month ('YYYY-MM', China time): opening balance, each line with the running balance, closing. */
export async function statement(db: Kysely<Database>, p: Principal, f: { orgId: string; fundType: string; kind?: string; month?: string }): Promise<Statement> {
  requirePermission(p, 'fund.read')
  const org = await orgOf(db, p, f.orgId)
  const errors: FieldError[] = []
  const fundType = parseFundType(f.fundType, errors)
  const kind = (f.kind ?? 'available') as LedgerAccountKind
  if (!['available', 'reserved', 'paid'].includes(kind)) errors.push({ field: 'kind', message: text('must be available, reserved or paid', '须为可用、已预留或已发放') })
  const month = f.month ?? chinaDate().slice(0, 7)
  if (!MONTH.test(month)) errors.push({ field: 'month', message: text('must be a month YYYY-MM', '须为月份 YYYY-MM') })
  if (errors.length) throw new AppError('VALIDATION_FAILED', undefined, errors)
  const [y, m] = month.split('-').map(Number) as [number, number]
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`
  const from = `${month}-01T00:00:00+08:00`
  const to = `${next}-01T00:00:00+08:00`
  const account = await repo.findAccount(db, org.id, fundType, kind)
  if (!account) return { orgId: org.id, fundType, kind, from: `${month}-01`, to: `${next}-01`, openingFen: 0n, closingFen: 0n, lines: [], truncated: false }
  const opening = await repo.balanceBefore(db, account, from)
  const rows = await repo.statementLines(db, account, from, to, STATEMENT_LIMIT + 1)
  let running = opening
  const lines = rows.slice(0, STATEMENT_LIMIT).map((r) => {
    running += BigInt(r.amount_fen)
    return { entryId: r.entry_id, kind: r.kind, occurredOn: r.occurred_on, at: r.created_at, memo: r.memo, reference: r.reference, byName: r.created_by_name, amountFen: BigInt(r.amount_fen), balanceFen: running }
  })
  return { orgId: org.id, fundType, kind, from: `${month}-01`, to: `${next}-01`, openingFen: opening, closingFen: running, lines, truncated: rows.length > STATEMENT_LIMIT }
}

/** Proof that the books hold: every entry sums to zero and every kept balance is the sum of its lines. */
export async function verifyLedger(db: Kysely<Database>): Promise<{ ok: boolean; unbalancedEntries: string[]; mismatchedAccounts: { id: string; kept: string; summed: string }[] }> {
  const r = await repo.ledgerProblems(db)
  return { ok: r.unbalanced.length === 0 && r.mismatched.length === 0, unbalancedEntries: r.unbalanced.map((u) => u.entry_id), mismatchedAccounts: r.mismatched }
}

// ---------------------------------------------------------------- reads for the pages and reports

/** A statement with its organisation's name, for the page and the Excel sheet. */
export async function namedStatement(db: Kysely<Database>, p: Principal, f: { orgId: string; fundType: string; kind?: string; month?: string }): Promise<Statement & { orgName: string }> {
  const s = await statement(db, p, f)
  const org = await orgOf(db, p, s.orgId)
  return { ...s, orgName: org.name }
}

export interface RaisedVsPaidRow {
  fundType: FundType
  /** received this year from each source, net of reversals */
  receivedFen: Record<string, bigint>
  receivedTotalFen: bigint
  paidFen: bigint
}

/** Funds raised by source against funds paid in a year (China dates), per fund type, in the caller's scope. */
export async function raisedVsPaid(db: Kysely<Database>, p: Principal, f: { year?: number } = {}): Promise<{ year: number; items: RaisedVsPaidRow[]; totals: Omit<RaisedVsPaidRow, 'fundType'> }> {
  requirePermission(p, 'fund.read')
  const year = f.year ?? Number(chinaDate().slice(0, 4))
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new AppError('VALIDATION_FAILED', undefined, [{ field: 'year', message: text('must be a year from 2000 to 2100', '须为 2000 至 2100 之间的年份') }])
  const rows = await repo.movementsOfYear(db, p.scope, year)
  const items: RaisedVsPaidRow[] = fundTypes.map((fundType) => ({ fundType, receivedFen: {}, receivedTotalFen: 0n, paidFen: 0n }))
  const totals: Omit<RaisedVsPaidRow, 'fundType'> = { receivedFen: {}, receivedTotalFen: 0n, paidFen: 0n }
  for (const r of rows) {
    const item = items.find((i) => i.fundType === r.fund_type)
    if (!item) continue
    const amount = BigInt(r.total)
    if (r.kind === 'paid') {
      item.paidFen += amount
      totals.paidFen += amount
    } else {
      item.receivedFen[r.source] = (item.receivedFen[r.source] ?? 0n) - amount
      item.receivedTotalFen -= amount
      totals.receivedFen[r.source] = (totals.receivedFen[r.source] ?? 0n) - amount
      totals.receivedTotalFen -= amount
    }
  }
  return { year, items, totals }
}
