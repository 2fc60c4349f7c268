import fs from 'node:fs'
import path from 'node:path'
import type { Database, Kysely, Transaction } from '../../db/database.ts'
import { chinaDate } from '../../platform/china-date.ts'
import { decodeCursor, page } from '../../platform/cursor.ts'
import { AppError, isUniqueViolation, notFound, text } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import { yuanText } from '../../platform/money.ts'
import { actorOf, type Principal, requirePermission } from '../../platform/principal.ts'
import { nationalScope } from '../../platform/scope.ts'
import { registerSubjectLabels } from '../approvals/approval-views.ts'
import * as approvals from '../approvals/approvals.service.ts'
import * as audit from '../audit/audit.service.ts'
import { fundMayPay, fundTypes } from '../funds/funds.service.ts'
import * as funds from '../funds/funds.repository.ts'
import { postEntry } from '../funds/ledger.ts'
import { enqueue, enqueueIn } from '../jobs/jobs.service.ts'
import { getProgramme } from '../programmes/programmes.service.ts'
import type { Frequency } from '../programmes/rules.ts'
import { bankFileName, bankFolder, EXPORT_JOB, RESULTS_JOB } from './bank.jobs.ts'
import { cyclePayable } from './cycle-sql.ts'
import { SCAN_JOB } from './generate.job.ts'
import * as repo from './payments.repository.ts'
import type { CycleBasis, CycleStatus, FlagKind } from './payments.tables.ts'

/**
 * Payment cycles (issue 5 §3; domain.md §6):
 *
 *   create ─► generating (job) ─► draft ─submit─► submitted ─approve (reserves the money)─► approved
 *      ─export─► exported ─import results─► paid | partly_failed ─close─► closed
 *   submitted ─return─► draft;  submitted ─reject─► cancelled (lines removed);  draft ─cancel─► cancelled
 *
 * Programmes paid in cycles (regular subsidies, festival relief: fixed amounts, by hardship type or
 * not) get one line per eligible household on file in the organisation's region; the others get one
 * line per payable entitlement of the period. Failed lines of earlier cycles of the same programme
 * and organisation are carried into the next cycle. Approval goes through the maker-checker service
 * (kind 'payment.cycle'); its last step reserves the cycle's total from the organisation's available
 * fund in the decision's transaction, and is refused when the fund is short.
 */

export const CYCLE_KIND = 'payment.cycle'
export const GENERATE_JOB = 'payments.generate'

const PERIOD: Record<Frequency, RegExp> = {
  monthly: /^\d{4}-(0[1-9]|1[0-2])$/,
  quarterly: /^\d{4}Q[1-4]$/,
  yearly: /^\d{4}$/,
  academic_year: /^\d{4}\/\d{4}$/,
  one_off: /^\d{4}-\d{2}-\d{2}$/,
}
const periodExample: Record<Frequency, string> = { monthly: '2026-11', quarterly: '2026Q4', yearly: '2026', academic_year: '2026/2027', one_off: '2026-11-23' }

/** Programme kinds paid to every eligible household in cycles; the others are paid from entitlements. */
const CYCLE_KINDS = ['living_subsidy', 'festival_relief']


const statusZh: Record<CycleStatus, string> = {
  draft: '草稿',
  generating: '生成中',
  submitted: '待审批',
  approved: '已审批',
  exported: '已导出',
  paid: '已发放',
  partly_failed: '部分失败',
  closed: '已结清',
  cancelled: '已取消',
}

export interface Cycle {
  id: string
  orgId: string
  orgName: string
  regionCode: string
  programmeId: string
  programmeCode: string
  programmeNameZh: string
  programmeNameEn: string
  fundType: string
  period: string
  basis: CycleBasis
  status: CycleStatus
  lineCount: number
  totalFen: bigint
  paidCount: number
  paidFen: bigint
  failedCount: number
  failedFen: bigint
  jobId: string | null
  approvalId: string | null
  reserveEntryId: string | null
  createdBy: string | null
  createdByName: string | null
  createdAt: Date
  updatedAt: Date
  version: number
  /** a supervision scan is queued or running: the last approval waits for it */
  scanning: boolean
}

const toCycle = (r: repo.CycleRow): Cycle => ({
  id: r.id,
  orgId: r.org_id,
  orgName: r.org_name,
  regionCode: r.region_code,
  programmeId: r.programme_id,
  programmeCode: r.programme_code,
  programmeNameZh: r.programme_name_zh,
  programmeNameEn: r.programme_name_en,
  fundType: r.fund_type,
  period: r.period,
  basis: r.basis,
  status: r.status,
  lineCount: r.line_count,
  totalFen: BigInt(r.total_fen),
  paidCount: r.paid_count,
  paidFen: BigInt(r.paid_fen),
  failedCount: r.failed_count,
  failedFen: BigInt(r.failed_fen),
  jobId: r.job_id,
  approvalId: r.approval_id,
  reserveEntryId: r.reserve_entry_id,
  createdBy: r.created_by,
  createdByName: r.created_by_name,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: r.version,
  scanning: r.scanning,
})

function wrongStatus(c: { status: CycleStatus }, wanted: string): AppError {
  return new AppError('CONFLICT', text(`the cycle is ${c.status}; this needs it ${wanted}`, `发放批次当前为“${statusZh[c.status]}”，不能办理此操作`))
}

// ---------------------------------------------------------------- create and generate

export interface CreateCycleInput {
  orgId: string
  programmeId: string
  period: string
}

/**
 * Creates a cycle for programme × period × organisation and starts its generation job. One live
 * cycle per triple (a unique index); an organisation pays from its own fund of the programme's type.
 */
export async function createCycle(db: Kysely<Database>, p: Principal, input: CreateCycleInput): Promise<Cycle> {
  requirePermission(p, 'payment.manage')
  if (!isUuid(input.orgId)) throw notFound()
  const org = await funds.orgInScope(db, p.scope, input.orgId)
  if (!org) throw notFound()
  if (!org.region_code || org.province_code === '00') {
    throw new AppError('VALIDATION_FAILED', undefined, [{ field: 'orgId', message: text('a cycle pays households of one province: choose a province, city or county organisation', '发放批次须由省、市或县级组织发放') }])
  }
  const programme = await getProgramme(db, p, input.programmeId)
  const errors = []
  if (!programme.active) errors.push({ field: 'programmeId', message: text('the programme is not active', '该项目已停用') })
  if (!(fundTypes as readonly string[]).includes(programme.fundType)) errors.push({ field: 'programmeId', message: text(`the programme's fund type ${programme.fundType} is not a fund type`, `该项目的资金类型 ${programme.fundType} 不是有效的资金类型`) })
  else if (!fundMayPay(programme.fundType, programme.kind)) errors.push({ field: 'programmeId', message: text(`a ${programme.fundType} fund may not pay a programme of kind ${programme.kind}`, `资金类型 ${programme.fundType} 不能用于 ${programme.kind} 类项目`) })
  const period = (input.period ?? '').trim()
  const frequency = programme.frequency as Frequency
  if (!PERIOD[frequency]?.test(period)) errors.push({ field: 'period', message: text(`must be a period like ${periodExample[frequency]}`, `期次格式应如 ${periodExample[frequency]}`) })
  if (errors.length) throw new AppError('VALIDATION_FAILED', undefined, errors)
  const basis: CycleBasis = CYCLE_KINDS.includes(programme.kind) && cyclePayable(programme.formula) ? 'households' : 'entitlements'
  let id: string
  try {
    id = await db.transaction().execute(async (trx) => {
      const row = await repo.insertCycle(trx, {
        province_code: org.province_code,
        org_id: org.id,
        region_code: org.region_code!,
        programme_id: programme.id,
        programme_code: programme.code,
        fund_type: programme.fundType,
        period,
        basis,
        status: 'generating',
        created_by: p.userId,
      })
      await audit.record(trx, {
        actor: actorOf(p),
        action: 'payment.cycle_create',
        entityType: 'payment_cycle',
        entityId: row.id,
        regionCode: org.region_code,
        after: { programme: programme.code, period, basis, orgId: org.id },
        requestId: p.requestId,
      })
      return row.id
    })
  } catch (err) {
    if (isUniqueViolation(err, 'payment_cycle_once_uq')) {
      throw new AppError('CONFLICT', text('this organisation already has a cycle for this programme and period', '本单位该项目本期已有发放批次'), [{ field: 'period', message: text('a cycle exists', '已有发放批次') }])
    }
    throw err
  }
  const job = await enqueue(db, p, { kind: GENERATE_JOB, regionCode: org.region_code, params: { cycleId: id } })
  await db.updateTable('payment_cycle').set({ job_id: job.id }).where('province_code', '=', org.province_code).where('id', '=', id).execute()
  return getCycle(db, p, id)
}

/** Runs generation again for a draft cycle (e.g. after files were added): only new households get lines. */
export async function regenerate(db: Kysely<Database>, p: Principal, id: string): Promise<Cycle> {
  requirePermission(p, 'payment.manage')
  const c = await getCycle(db, p, id)
  await db.transaction().execute(async (trx) => {
    const locked = await repo.lockCycle(trx, c.regionCode.slice(0, 2), c.id)
    if (!locked || locked.status !== 'draft') throw wrongStatus(locked ?? c, 'draft')
    await repo.updateCycle(trx, locked, { status: 'generating' })
  })
  const job = await enqueue(db, p, { kind: GENERATE_JOB, regionCode: c.regionCode, params: { cycleId: c.id } })
  await db.updateTable('payment_cycle').set({ job_id: job.id }).where('province_code', '=', c.regionCode.slice(0, 2)).where('id', '=', c.id).execute()
  return getCycle(db, p, id)
}

// ---------------------------------------------------------------- read

export async function getCycle(db: Kysely<Database>, p: Principal, id: string): Promise<Cycle> {
  requirePermission(p, 'payment.read')
  if (!isUuid(id)) throw notFound()
  const r = await repo.findCycleInScope(db, p.scope, id)
  if (!r) throw notFound()
  return toCycle(r)
}

export async function listCycles(db: Kysely<Database>, p: Principal, f: { status?: string; programmeId?: string; cursor?: string; limit?: number } = {}) {
  requirePermission(p, 'payment.read')
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 200)
  if (f.programmeId !== undefined && !isUuid(f.programmeId)) return { items: [], nextCursor: null }
  const key = decodeCursor(f.cursor, ['instant', 'uuid'])
  const rows = await repo.listCyclesInScope(db, p.scope, { status: f.status as CycleStatus | undefined, programmeId: f.programmeId, before: key ? { createdAt: key[0]!, id: key[1]! } : undefined, limit: limit + 1 })
  const result = page(rows, limit, (r) => [r.created_at.toISOString(), r.id])
  return { items: result.items.map(toCycle), nextCursor: result.nextCursor }
}

export interface CycleLine {
  lineNo: number
  householdId: string
  forPeriod: string
  entitlementId: string | null
  carriedFromCycle: string | null
  regionCode: string
  fileNo: string
  payeeName: string
  bankName: string | null
  /** masked: the full account goes only into the bank file */
  bankAccountMasked: string | null
  amountFen: bigint
  basis: unknown
  status: 'pending' | 'paid' | 'failed'
  failReason: string | null
  bankSerial: string | null
  settledAt: Date | null
}

/** A page of the cycle's lines in line order (cursor: the last line number seen). */
export async function listLines(
  db: Kysely<Database>,
  p: Principal,
  id: string,
  f: { after?: number; status?: string; limit?: number },
  maskAccount: (sealed: string) => string,
): Promise<{ items: CycleLine[]; nextAfter: number | null }> {
  const c = await getCycle(db, p, id)
  const limit = Math.min(Math.max(f.limit ?? 100, 1), 500)
  const rows = await repo.linesPage(db, c.regionCode.slice(0, 2), c.id, { afterLineNo: f.after, status: f.status, limit: limit + 1 })
  const items = rows.slice(0, limit).map((r) => ({
    lineNo: r.line_no,
    householdId: r.household_id,
    forPeriod: r.for_period,
    entitlementId: r.entitlement_id,
    carriedFromCycle: r.carried_from_cycle,
    regionCode: r.region_code,
    fileNo: r.file_no,
    payeeName: r.payee_name,
    bankName: r.bank_name,
    bankAccountMasked: r.bank_account_sealed ? maskAccount(r.bank_account_sealed) : null,
    amountFen: BigInt(r.amount_fen),
    basis: r.basis,
    status: r.status,
    failReason: r.fail_reason,
    bankSerial: r.bank_serial,
    settledAt: r.settled_at,
  }))
  return { items, nextAfter: rows.length > limit ? items.at(-1)!.lineNo : null }
}

// ---------------------------------------------------------------- submit, cancel, approval

/** Sends a generated draft cycle for approval. */
export async function submitCycle(db: Kysely<Database>, p: Principal, id: string, input: { version: number; opinion?: string | null }): Promise<Cycle> {
  requirePermission(p, 'payment.manage')
  const c = await getCycle(db, p, id)
  await db.transaction().execute(async (trx) => {
    const locked = await repo.lockCycle(trx, c.regionCode.slice(0, 2), c.id)
    if (!locked || locked.status !== 'draft') throw wrongStatus(locked ?? c, 'draft')
    if (locked.version !== input.version) throw new AppError('CONFLICT', text('the cycle changed since you saw it; reload', '发放批次已变化，请刷新后再试'))
    if (locked.line_count === 0) throw new AppError('VALIDATION_FAILED', undefined, [{ field: 'lines', message: text('the cycle has no lines to pay', '该批次没有发放明细') }])
    const approval = locked.approval_id
      ? await approvals.resubmit(trx, p, locked.approval_id, { version: (await approvals.get(trx, p, locked.approval_id)).version, opinion: input.opinion ?? null })
      : await approvals.submit(trx, p, { kind: CYCLE_KIND, subjectId: c.id, regionCode: c.regionCode, opinion: input.opinion ?? null })
    const fresh = (await repo.lockCycle(trx, locked.province_code, locked.id))!
    await repo.updateCycle(trx, fresh, { status: 'submitted', approval_id: approval.id })
    // Files may have changed since generation: the approvers see what a scan finds now (a job, in
    // ranges, so a million-line cycle does not hold the store; the last approval waits for it).
    await enqueueIn(trx, p, { kind: SCAN_JOB, regionCode: c.regionCode, params: { cycleId: c.id } })
    await audit.record(trx, { actor: actorOf(p), action: 'payment.cycle_submit', entityType: 'payment_cycle', entityId: c.id, regionCode: c.regionCode, after: { lines: locked.line_count, totalFen: String(locked.total_fen) }, requestId: p.requestId })
  })
  return getCycle(db, p, id)
}

/** Cancels a draft cycle: its lines go (no money moved), the period is free for a new cycle. */
export async function cancelCycle(db: Kysely<Database>, p: Principal, id: string): Promise<Cycle> {
  requirePermission(p, 'payment.manage')
  const c = await getCycle(db, p, id)
  await db.transaction().execute(async (trx) => {
    const locked = await repo.lockCycle(trx, c.regionCode.slice(0, 2), c.id)
    if (!locked || locked.status !== 'draft') throw wrongStatus(locked ?? c, 'draft')
    await repo.deleteLines(trx, locked.province_code, locked.id)
    await repo.updateCycle(trx, locked, { status: 'cancelled', line_count: 0, total_fen: 0n })
    await audit.record(trx, { actor: actorOf(p), action: 'payment.cycle_cancel', entityType: 'payment_cycle', entityId: c.id, regionCode: c.regionCode, before: { lines: locked.line_count }, requestId: p.requestId })
  })
  return getCycle(db, p, id)
}

/** The approval hook: each decision moves the cycle in the decision's transaction; the last approval reserves the money. */
async function onApprovalTransition(trx: Transaction<Database>, e: approvals.ApprovalEvent): Promise<void> {
  const found = await repo.findCycle(trx, e.approval.subjectId)
  if (!found) throw notFound()
  const c = (await repo.lockCycle(trx, found.province_code, found.id))!
  const p = e.actor
  switch (e.action) {
    case 'approve': {
      if (c.status !== 'submitted') throw wrongStatus(c, 'submitted')
      if (found.scanning) {
        throw new AppError('CONFLICT', text('the supervision scan of this cycle is still running; approve when it has finished', '本批次的资金监督核查尚未完成，请核查完成后再审批'))
      }
      if (e.approval.status !== 'approved') return // a step other than the last
      const org = (await funds.orgInScope(trx, nationalScope, c.org_id))!
      const total = BigInt(c.total_fen)
      const entry = await postEntry(trx, p, {
        kind: 'reserve',
        org,
        fundType: c.fund_type,
        amountFen: total,
        occurredOn: chinaDate(),
        memo: `${c.programme_code} ${c.period}`,
        ref: { kind: 'payment_cycle', id: c.id },
        lines: [
          { account: { org, fundType: c.fund_type, kind: 'available' }, amountFen: -total },
          { account: { org, fundType: c.fund_type, kind: 'reserved' }, amountFen: total },
        ],
      })
      await repo.updateCycle(trx, c, { status: 'approved', reserve_entry_id: entry.id })
      break
    }
    case 'return':
    case 'withdraw':
      if (c.status === 'submitted') await repo.updateCycle(trx, c, { status: 'draft' })
      break
    case 'reject':
      await repo.deleteLines(trx, c.province_code, c.id)
      await repo.updateCycle(trx, c, { status: 'cancelled', line_count: 0, total_fen: 0n })
      break
    case 'resubmit':
      break
  }
  await audit.record(trx, {
    actor: actorOf(p),
    action: `payment.cycle_${e.action}`,
    entityType: 'payment_cycle',
    entityId: c.id,
    regionCode: c.region_code,
    before: { status: c.status },
    after: { approvalStatus: e.approval.status, ...(e.opinion ? { opinion: e.opinion } : {}) },
    requestId: p.requestId,
  })
}

approvals.registerSubjectKind({ kind: CYCLE_KIND, readPermission: 'payment.read', approvePermission: 'payment.approve', onTransition: onApprovalTransition })

registerSubjectLabels(CYCLE_KIND, async (db, ids) => {
  const valid = ids.filter(isUuid)
  if (valid.length === 0) return new Map()
  const rows = await repo.findCycles(db, valid)
  return new Map(rows.map((c) => [c.id, `${c.org_name} · ${c.programme_name_zh}（${c.period}）· ${c.line_count} 户 ${yuanText(BigInt(c.total_fen))} 元`]))
})


// ---------------------------------------------------------------- bank file, results, reconciliation

/** Starts the bank file export of an approved (or re-exports an exported) cycle. */
export async function startExport(db: Kysely<Database>, p: Principal, id: string) {
  requirePermission(p, 'payment.manage')
  const c = await getCycle(db, p, id)
  if (c.status !== 'approved' && c.status !== 'exported') throw wrongStatus(c, 'approved')
  return enqueue(db, p, { kind: EXPORT_JOB, regionCode: c.regionCode, params: { cycleId: c.id }, total: c.lineCount })
}

/** Where the exported bank file is, once the export job has written it; the download is audited. */
export async function bankFile(db: Kysely<Database>, p: Principal, id: string, format: 'csv' | 'xlsx', importsDir: string): Promise<{ path: string; fileName: string }> {
  requirePermission(p, 'payment.manage')
  const c = await getCycle(db, p, id)
  const file = path.join(bankFolder(importsDir), bankFileName(c.id, format))
  if (!['exported', 'paid', 'partly_failed', 'closed'].includes(c.status) || !fs.existsSync(file)) {
    throw new AppError('CONFLICT', text('the bank file has not been exported yet', '尚未导出银行文件'))
  }
  await db.transaction().execute((trx) =>
    audit.record(trx, { actor: actorOf(p), action: 'payment.bank_file_download', entityType: 'payment_cycle', entityId: c.id, regionCode: c.regionCode, after: { format, fullBankAccounts: true }, requestId: p.requestId }),
  )
  return { path: file, fileName: `${c.programmeNameZh}-${c.period}-${c.orgName}.${format}` }
}

/** Starts applying a bank results file already saved under the payments folder (`storageKey`). */
export async function startResults(db: Kysely<Database>, p: Principal, id: string, file: { storageKey: string; fileName: string }) {
  requirePermission(p, 'payment.manage')
  const c = await getCycle(db, p, id)
  if (c.status !== 'exported' && c.status !== 'partly_failed' && c.status !== 'paid') throw wrongStatus(c, 'exported')
  return enqueue(db, p, { kind: RESULTS_JOB, regionCode: c.regionCode, params: { cycleId: c.id, storageKey: file.storageKey, fileName: file.fileName } })
}

export interface Reconciliation {
  lines: { count: number; totalFen: bigint }
  paid: { count: number; totalFen: bigint }
  failed: { count: number; totalFen: bigint }
  pending: { count: number; totalFen: bigint }
  ledger: { reservedFen: bigint; paidFen: bigint; returnedFen: bigint }
  balanced: boolean
  problems: string[]
}

/** Ties the cycle's lines, the bank's results and the ledger together, to the fen. */
export async function reconcile(db: Kysely<Database>, p: Principal, id: string): Promise<Reconciliation> {
  const c = await getCycle(db, p, id)
  const t = await repo.lineTotals(db, c.regionCode.slice(0, 2), c.id)
  const ledger = await repo.ledgerOfCycle(db, c.id)
  const pending = { count: t.count - t.paidCount - t.failedCount, totalFen: t.totalFen - t.paidFen - t.failedFen }
  const problems: string[] = []
  const reservedNeeded = ['approved', 'exported', 'paid', 'partly_failed', 'closed'].includes(c.status)
  if (reservedNeeded && ledger.reservedFen !== t.totalFen) problems.push(`预留 ${yuanText(ledger.reservedFen)} 元，与明细合计 ${yuanText(t.totalFen)} 元不符`)
  if (ledger.paidFen !== t.paidFen) problems.push(`记账已发放 ${yuanText(ledger.paidFen)} 元，与成功明细 ${yuanText(t.paidFen)} 元不符`)
  if (ledger.returnedFen !== t.failedFen) problems.push(`记账退回 ${yuanText(ledger.returnedFen)} 元，与失败明细 ${yuanText(t.failedFen)} 元不符`)
  if (c.totalFen !== t.totalFen || c.lineCount !== t.count) problems.push(`批次合计 ${yuanText(c.totalFen)} 元 / ${c.lineCount} 条，与明细 ${yuanText(t.totalFen)} 元 / ${t.count} 条不符`)
  return {
    lines: { count: t.count, totalFen: t.totalFen },
    paid: { count: t.paidCount, totalFen: t.paidFen },
    failed: { count: t.failedCount, totalFen: t.failedFen },
    pending,
    ledger,
    balanced: problems.length === 0,
    problems,
  }
}

/** Closes a settled cycle: nothing pending, and the lines, the bank and the ledger agree. */
export async function closeCycle(db: Kysely<Database>, p: Principal, id: string): Promise<Cycle> {
  requirePermission(p, 'payment.manage')
  const c = await getCycle(db, p, id)
  if (c.status !== 'paid' && c.status !== 'partly_failed') throw wrongStatus(c, 'paid or partly failed')
  const r = await reconcile(db, p, id)
  if (r.pending.count > 0 || !r.balanced) {
    throw new AppError('CONFLICT', text('the cycle does not reconcile yet', '该批次尚未对平，不能结清'), r.problems.map((m) => ({ field: 'reconciliation', message: text(m, m) })))
  }
  await db.transaction().execute(async (trx) => {
    const locked = (await repo.lockCycle(trx, c.regionCode.slice(0, 2), c.id))!
    if (locked.status !== 'paid' && locked.status !== 'partly_failed') throw wrongStatus(locked, 'paid or partly failed')
    await repo.updateCycle(trx, locked, { status: 'closed' })
    await audit.record(trx, { actor: actorOf(p), action: 'payment.cycle_close', entityType: 'payment_cycle', entityId: c.id, regionCode: c.regionCode, after: { paid: r.paid.count, failed: r.failed.count }, requestId: p.requestId })
  })
  return getCycle(db, p, id)
}

// ---------------------------------------------------------------- supervision flags

export interface Flag {
  id: string
  kind: FlagKind
  cycleId: string
  period: string
  programmeNameZh: string
  programmeNameEn: string
  lineNo: number
  householdId: string
  fileNo: string
  headName: string
  regionCode: string
  details: unknown
  status: 'open' | 'acknowledged' | 'resolved'
  note: string | null
  decidedByName: string | null
  decidedAt: Date | null
  detectedAt: Date
}

const toFlag = (r: repo.FlagRow): Flag => ({
  id: r.id,
  kind: r.kind,
  cycleId: r.cycle_id,
  period: r.period,
  programmeNameZh: r.programme_name_zh,
  programmeNameEn: r.programme_name_en,
  lineNo: r.line_no,
  householdId: r.household_id,
  fileNo: r.file_no,
  headName: r.head_name,
  regionCode: r.region_code,
  details: r.details,
  status: r.status,
  note: r.note,
  decidedByName: r.decided_by_name,
  decidedAt: r.decided_at,
  detectedAt: r.detected_at,
})

/** Supervision flags in the caller's scope, newest first (payment.read, or the inspector's fund.read). */
export async function listFlags(db: Kysely<Database>, p: Principal, f: { status?: string; kind?: string; cycleId?: string; cursor?: string; limit?: number } = {}) {
  if (!p.permissions.has('payment.read') && !p.permissions.has('fund.read')) throw new AppError('FORBIDDEN')
  if (f.cycleId !== undefined && !isUuid(f.cycleId)) return { items: [], nextCursor: null }
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 200)
  const key = decodeCursor(f.cursor, ['instant', 'uuid'])
  const rows = await repo.listFlagsInScope(db, p.scope, { status: f.status, kind: f.kind, cycleId: f.cycleId, before: key ? { detectedAt: key[0]!, id: key[1]! } : undefined, limit: limit + 1 })
  const result = page(rows, limit, (r) => [r.detected_at.toISOString(), r.id])
  return { items: result.items.map(toFlag), nextCursor: result.nextCursor }
}

/** Acknowledges (seen, being looked into) or resolves a flag, with a note. */
export async function decideFlag(db: Kysely<Database>, p: Principal, id: string, input: { status: 'acknowledged' | 'resolved'; note: string }): Promise<Flag> {
  if (!p.permissions.has('payment.manage') && !p.permissions.has('payment.approve') && !p.permissions.has('inspection.manage')) throw new AppError('FORBIDDEN')
  if (!isUuid(id)) throw notFound()
  const note = (input.note ?? '').trim()
  const errors = []
  if (input.status !== 'acknowledged' && input.status !== 'resolved') errors.push({ field: 'status', message: text('must be acknowledged or resolved', '须为“已知悉”或“已处理”') })
  if (note.length < 2 || note.length > 1000) errors.push({ field: 'note', message: text('write what was found or done (2 to 1000 characters)', '请填写核查情况或处理结果（2 至 1000 字）') })
  if (errors.length) throw new AppError('VALIDATION_FAILED', undefined, errors)
  await db.transaction().execute(async (trx) => {
    const f = await repo.lockFlagInScope(trx, p.scope, id)
    if (!f) throw notFound()
    if (f.status === 'resolved') throw new AppError('CONFLICT', text('this flag is resolved already', '该疑点已处理完毕'))
    await repo.decideFlag(trx, f, input.status, note, p.userId)
    await audit.record(trx, { actor: actorOf(p), action: `payment.flag_${input.status}`, entityType: 'payment_flag', entityId: f.id, regionCode: f.region_code, before: { status: f.status }, after: { status: input.status, note, kind: f.kind, cycleId: f.cycle_id }, requestId: p.requestId })
  })
  const row = await repo.listFlagsInScope(db, p.scope, { id, limit: 1 })
  return toFlag(row[0]!)
}
