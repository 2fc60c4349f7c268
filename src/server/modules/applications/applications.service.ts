import type { Database, Kysely, Transaction } from '../../db/database.ts'
import { chinaDate } from '../../platform/china-date.ts'
import { decodeCursor, page } from '../../platform/cursor.ts'
import { AppError, type FieldError, isUniqueViolation, notFound, type Text, text } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import type { PiiCipher } from '../../platform/pii-crypto.ts'
import { actorOf, type Principal, requirePermission } from '../../platform/principal.ts'
import { registerSubjectLabels } from '../approvals/approval-views.ts'
import * as approvals from '../approvals/approvals.service.ts'
import * as audit from '../audit/audit.service.ts'
import { recordEvent } from '../households/history.ts'
import { getHousehold, type Household } from '../households/households.service.ts'
import { payableWithoutPosting } from '../postings/postings.service.ts'
import { getProgramme, type Programme } from '../programmes/programmes.service.ts'
import {
  applyCap,
  type BenefitLine,
  type BenefitRequest,
  checkEligibility,
  type Condition,
  computeBenefit,
  type EligibilityLine,
  type Figure,
  periodOf,
  type ProgrammeFacts,
} from '../programmes/rules.ts'
import * as repo from './applications.repository.ts'
import type { ApplicationStatus } from './applications.tables.ts'

/**
 * Applications for a programme (issue 4 §2, §3; domain.md §5). The server recomputes every
 * application from the household file and the programme's rule and formula: the eligibility
 * lines (each condition with the figures it saw), the benefit lines, the period and the cap left
 * this year. An application goes through the generic maker-checker service as subject kind
 * 'programme.application'; its hook moves the application's status in the decision's transaction.
 *
 * Serialisation: `apply` locks the household row (SELECT … FOR UPDATE) before it sums what was
 * granted this year and inserts, so two applications of one household cannot both pass a cap;
 * the partial unique index application_active_uq decides "one active application per
 * programme and period" under any race.
 *
 * History and audit actions: application.submit, application.approve_step, application.approve,
 * application.return, application.reject, application.withdraw, application.resubmit.
 */

export const APPLICATION_KIND = 'programme.application'
const ACTIVE_UQ = 'application_active_uq'
/** Statuses that count against the cap and the one-per-period rule. */
const counting: ApplicationStatus[] = ['submitted', 'returned', 'approved', 'posted', 'objected', 'payable']

export interface ApplicationRequestInput {
  memberIds?: string[]
  /** shareOfCost: the out-of-pocket cost, a decimal string of fen */
  outOfPocketFen?: string
  /** loan: the principal asked for, a decimal string of fen */
  requestedFen?: string
  /** evidence: ids of the household's attachments (scans) that support the application */
  evidence?: string[]
}

export interface ApplyInput {
  householdId: string
  programmeId: string
  request?: ApplicationRequestInput
}

export interface CapView {
  capFen: bigint | null
  grantedThisYearFen: bigint
  /** what the cap still allows this year; null without a cap */
  allowedFen: bigint | null
}

export interface Precheck {
  householdId: string
  programmeId: string
  programmeCode: string
  period: string
  eligible: boolean
  eligibility: EligibilityLine[]
  amountFen: bigint
  interestSubsidyFen: bigint | null
  benefit: BenefitLine[]
  cap: CapView
  /** the amount is within what the cap allows */
  withinCap: boolean
}

export interface Application {
  id: string
  householdId: string
  fileNo: string
  headName: string
  regionCode: string
  programmeId: string
  programmeCode: string
  programmeNameZh: string
  programmeNameEn: string
  period: string
  request: unknown
  amountFen: bigint
  eligibility: unknown
  benefit: unknown
  status: ApplicationStatus
  approvalId: string | null
  createdBy: string | null
  createdAt: Date
  updatedAt: Date
  version: number
}

const FEN = /^[0-9]{1,12}$/

const problems = {
  fen: text('must be a whole number of fen, as a decimal string', '必须是以字符串表示的整数（单位：分）'),
  members: text('must be members of this household', '必须是本户成员'),
  needCost: text('give the out-of-pocket cost for this programme', '本项目须填写自付费用'),
  needPrincipal: text('give the principal asked for', '本项目须填写申请的贷款本金'),
  nothing: text('the formula gives nothing for this household and request', '按本项目公式，本户本次申请金额为 0'),
  inactive: text('the programme no longer takes applications', '该项目已停止受理申请'),
  duplicate: text('there is already an active application for this programme and period', '本户本期已有该项目的有效申请'),
  evidence: text('must be attachments of this household (upload them on the file’s attachments tab)', '须为本户档案的附件（请先在档案的“附件”页上传）'),
}

/** The request as the rules read it; names each bad field under 'request.'. */
function parseRequest(input: ApplicationRequestInput | undefined, h: Household, programme: Programme): { request: BenefitRequest; stored: Record<string, unknown> } {
  const r = input ?? {}
  const errors: FieldError[] = []
  const request: BenefitRequest = {}
  const stored: Record<string, unknown> = {}
  if (r.memberIds !== undefined) {
    const ids = new Set(h.members.map((m) => m.id))
    if (!Array.isArray(r.memberIds) || r.memberIds.length === 0 || !r.memberIds.every((id) => ids.has(id))) errors.push({ field: 'request.memberIds', message: problems.members })
    else {
      request.memberIds = [...new Set(r.memberIds)]
      stored.memberIds = request.memberIds
    }
  }
  for (const k of ['outOfPocketFen', 'requestedFen'] as const) {
    const v = r[k]
    if (v === undefined || v === '') continue
    if (typeof v !== 'string' || !FEN.test(v)) errors.push({ field: `request.${k}`, message: problems.fen })
    else {
      request[k] = BigInt(v)
      stored[k] = request[k]!.toString()
    }
  }
  if (errors.length === 0) {
    if (programme.formula.kind === 'shareOfCost' && request.outOfPocketFen === undefined) errors.push({ field: 'request.outOfPocketFen', message: problems.needCost })
    if (programme.formula.kind === 'loan' && request.requestedFen === undefined) errors.push({ field: 'request.requestedFen', message: problems.needPrincipal })
  }
  if (errors.length) throw new AppError('VALIDATION_FAILED', undefined, errors)
  return { request, stored }
}

export function factsOf(h: Household): ProgrammeFacts {
  return {
    status: h.status,
    hardshipType: h.classification.hardshipType,
    targetGroups: h.classification.targetGroups,
    batches: h.classification.batches,
    perCapitaMonthlyFen: h.classification.perCapitaMonthlyFen,
    members: h.members.map((m) => ({ id: m.id, schoolStage: m.schoolStage ?? null, health: m.health, workStatus: m.workStatus })),
  }
}

interface Computed {
  precheck: Precheck
  household: Household
  programme: Programme
  stored: Record<string, unknown>
}

async function compute(db: Kysely<Database>, p: Principal, cipher: PiiCipher, input: ApplyInput): Promise<Computed> {
  if (!isUuid(input.householdId)) throw notFound()
  const household = await getHousehold(db, p, cipher, input.householdId)
  const programme = await getProgramme(db, p, input.programmeId)
  const facts = factsOf(household)
  const { request, stored } = parseRequest(input.request, household, programme)
  const elig = checkEligibility(programme.eligibility, facts)
  const benefit = computeBenefit(programme.formula, facts, request)
  const today = chinaDate()
  const granted = await repo.grantedThisYear(db, { provinceCode: household.regionCode.slice(0, 2), id: household.id }, programme.id, today, counting)
  const cap = applyCap(benefit.amountFen, granted, programme.capPerHouseholdYearFen)
  const allowed = cap.figures.remainingFen === null ? null : BigInt(cap.figures.remainingFen)
  return {
    household,
    programme,
    stored,
    precheck: {
      householdId: household.id,
      programmeId: programme.id,
      programmeCode: programme.code,
      period: periodOf(programme.frequency, today),
      eligible: elig.eligible,
      eligibility: elig.lines,
      amountFen: benefit.amountFen,
      interestSubsidyFen: benefit.interestSubsidyFen ?? null,
      benefit: benefit.lines,
      cap: { capFen: programme.capPerHouseholdYearFen, grantedThisYearFen: granted, allowedFen: allowed },
      withinCap: !cap.capped,
    },
  }
}

/** What an application would get now, with every line of the explanation; writes nothing. */
export async function precheck(db: Kysely<Database>, p: Principal, cipher: PiiCipher, input: ApplyInput): Promise<Precheck> {
  requirePermission(p, 'household.read')
  requirePermission(p, 'application.read')
  return (await compute(db, p, cipher, input)).precheck
}

const conditionEn: Record<Condition['kind'], string> = {
  hardshipType: 'hardship type',
  targetGroup: 'target group',
  batch: 'batch',
  status: 'file status',
  memberSchoolStage: "a member's school stage",
  memberHealth: "a member's health",
  memberWorkStatus: "a member's work status",
  perCapitaBelowFen: 'monthly income per capita below',
}
const conditionZh: Record<Condition['kind'], string> = {
  hardshipType: '困难类型',
  targetGroup: '帮扶对象类别',
  batch: '帮扶批次',
  status: '档案状态',
  memberSchoolStage: '家庭成员在读阶段',
  memberHealth: '家庭成员健康状况',
  memberWorkStatus: '家庭成员就业状况',
  perCapitaBelowFen: '家庭月人均收入低于',
}

const figureText = (v: Figure): string => (Array.isArray(v) ? `[${v.join(', ')}]` : String(v))

/** One failed condition as a sentence with its figures: what the rule wants and what the file has. */
export function failedConditionText(line: EligibilityLine): Text {
  const c = line.condition
  const wanted = c.kind === 'perCapitaBelowFen' ? `${c.value} fen` : c.anyOf.join(', ')
  const wantedZh = c.kind === 'perCapitaBelowFen' ? `${c.value} 分` : c.anyOf.join('、')
  const seen = Object.entries(line.figures)
    .map(([k, v]) => `${k} = ${figureText(v)}`)
    .join('; ')
  return text(`${conditionEn[c.kind]}: needs ${wanted}; found ${seen}`, `${conditionZh[c.kind]}：要求 ${wantedZh}；本户 ${seen}`)
}

export function capText(pc: Precheck): Text {
  const allowed = pc.cap.allowedFen ?? 0n
  return text(
    `the amount ${pc.amountFen} fen exceeds what the yearly cap of ${pc.cap.capFen} fen still allows (${allowed} fen; ${pc.cap.grantedThisYearFen} fen already granted this year)`,
    `申请金额 ${pc.amountFen} 分超过本年度上限 ${pc.cap.capFen} 分的剩余额度（剩余 ${allowed} 分，本年已批 ${pc.cap.grantedThisYearFen} 分）`,
  )
}

interface LockedHousehold {
  provinceCode: string
  id: string
  regionCode: string
  episode: number
}

async function lockHousehold(trx: Transaction<Database>, p: Principal, id: string): Promise<LockedHousehold> {
  const r = await repo.lockHouseholdInScope(trx, p.scope, id)
  if (!r) throw notFound()
  return { provinceCode: r.province_code, id: r.id, regionCode: r.region_code, episode: r.episode }
}

/**
 * Applies for a programme: recomputes the pre-check under the household's row lock, refuses an
 * ineligible household (naming each failed condition with its figures), a nil amount, and an
 * amount above what the cap allows, then inserts the application and submits it for approval,
 * with its history event and audit entry, in one transaction.
 */
export async function apply(db: Kysely<Database>, p: Principal, cipher: PiiCipher, input: ApplyInput & { opinion?: string | null }): Promise<Application> {
  requirePermission(p, 'application.write')
  requirePermission(p, 'household.read')
  if (!isUuid(input.householdId)) throw notFound()
  let id: string
  try {
    id = await db.transaction().execute(async (trx) => {
      const h = await lockHousehold(trx, p, input.householdId)
      const { precheck: pc, programme, stored } = await compute(trx, p, cipher, input)
      if (!programme.active) throw new AppError('VALIDATION_FAILED', undefined, [{ field: 'programmeId', message: problems.inactive }])
      if (!pc.eligible) {
        throw new AppError(
          'VALIDATION_FAILED',
          text('the household does not meet the programme’s conditions', '本户不符合该项目的申请条件'),
          pc.eligibility.filter((l) => !l.passed).map((l) => ({ field: 'eligibility', message: failedConditionText(l) })),
        )
      }
      if (pc.amountFen <= 0n) throw new AppError('VALIDATION_FAILED', undefined, [{ field: 'amount', message: problems.nothing }])
      if (!pc.withinCap) throw new AppError('VALIDATION_FAILED', undefined, [{ field: 'amount', message: capText(pc) }])
      const evidenceIds = [...new Set(input.request?.evidence ?? [])]
      if (evidenceIds.length > 0) {
        const found = evidenceIds.every(isUuid) ? await repo.attachmentsOf(trx, h.provinceCode, h.id, evidenceIds) : []
        if (found.length !== evidenceIds.length) throw new AppError('VALIDATION_FAILED', undefined, [{ field: 'request.evidence', message: problems.evidence }])
        stored.evidence = found.map((f) => ({ id: f.id, fileName: f.file_name }))
      }
      const benefit = [...pc.benefit, { step: 'cap', figures: { capFen: pc.cap.capFen?.toString() ?? null, grantedThisYearFen: pc.cap.grantedThisYearFen.toString(), allowedFen: pc.cap.allowedFen?.toString() ?? null } }]
      if (pc.interestSubsidyFen !== null) stored.interestSubsidyFen = pc.interestSubsidyFen.toString()
      const row = await repo.insertApplication(trx, {
        province_code: h.provinceCode,
        household_id: h.id,
        programme_id: programme.id,
        programme_code: programme.code,
        period: pc.period,
        request: JSON.stringify(stored),
        amount_fen: pc.amountFen,
        eligibility: JSON.stringify(pc.eligibility),
        benefit: JSON.stringify(benefit),
        created_by: p.userId,
      })
      const approval = await approvals.submit(trx, p, { kind: APPLICATION_KIND, policyKind: programme.approvalKind, subjectId: row.id, regionCode: h.regionCode, opinion: input.opinion ?? null })
      await repo.setApprovalId(trx, h.provinceCode, row.id, approval.id)
      const after = { applicationId: row.id, programmeCode: programme.code, period: pc.period, amountFen: pc.amountFen.toString(), status: 'submitted' }
      await recordEvent(trx, p, { provinceCode: h.provinceCode, householdId: h.id, episode: h.episode, action: 'application.submit', after })
      await audit.record(trx, { actor: actorOf(p), action: 'application.submit', entityType: 'application', entityId: row.id, regionCode: h.regionCode, after: { ...after, householdId: h.id, approvalId: approval.id }, requestId: p.requestId })
      return row.id
    })
  } catch (err) {
    if (isUniqueViolation(err, ACTIVE_UQ)) throw new AppError('CONFLICT', problems.duplicate, [{ field: 'programmeId', message: problems.duplicate }])
    throw err
  }
  return getApplication(db, p, id)
}

const toApplication = (r: repo.ApplicationRow): Application => ({
  id: r.id,
  householdId: r.household_id,
  fileNo: r.file_no,
  headName: r.head_name,
  regionCode: r.region_code,
  programmeId: r.programme_id,
  programmeCode: r.programme_code,
  programmeNameZh: r.name_zh,
  programmeNameEn: r.name_en,
  period: r.period,
  request: r.request,
  amountFen: BigInt(r.amount_fen),
  eligibility: r.eligibility,
  benefit: r.benefit,
  status: r.status,
  approvalId: r.approval_id,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: r.version,
})

export async function getApplication(db: Kysely<Database>, p: Principal, id: string): Promise<Application> {
  requirePermission(p, 'application.read')
  if (!isUuid(id)) throw notFound()
  const r = await repo.findInScope(db, p.scope, id)
  if (!r) throw notFound()
  return toApplication(r)
}

export interface ApplicationFilter {
  householdId?: string
  programmeId?: string
  status?: string
  cursor?: string
  limit?: number
}

/** Applications in the caller's scope (by the household's region), newest first, keyset-paginated. */
export async function listApplications(db: Kysely<Database>, p: Principal, f: ApplicationFilter = {}): Promise<{ items: Application[]; nextCursor: string | null }> {
  requirePermission(p, 'application.read')
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 200)
  const key = decodeCursor(f.cursor, ['instant', 'uuid'])
  if ((f.householdId !== undefined && !isUuid(f.householdId)) || (f.programmeId !== undefined && !isUuid(f.programmeId))) return { items: [], nextCursor: null }
  const rows = await repo.listInScope(db, p.scope, {
    householdId: f.householdId,
    programmeId: f.programmeId,
    status: f.status as ApplicationStatus | undefined,
    before: key ? { createdAt: key[0]!, id: key[1]! } : undefined,
    limit: limit + 1,
  })
  const result = page(rows, limit, (r) => [r.created_at.toISOString(), r.id])
  return { items: result.items.map(toApplication), nextCursor: result.nextCursor }
}

// ---------------------------------------------------------------- approval hook

const transitionTo: Record<approvals.ApprovalEvent['action'], ApplicationStatus> = {
  approve: 'approved',
  return: 'returned',
  reject: 'rejected',
  withdraw: 'withdrawn',
  resubmit: 'submitted',
}

async function onApprovalTransition(trx: Transaction<Database>, e: approvals.ApprovalEvent): Promise<void> {
  const p = e.actor
  // The approval service has checked the caller's scope on the approval, whose region is the household's.
  const a = await repo.lockForTransition(trx, e.approval.subjectId)
  if (!a) throw notFound()
  const intermediate = e.action === 'approve' && e.approval.status !== 'approved'
  let to: ApplicationStatus = intermediate ? a.status : transitionTo[e.action]
  // Approved at the last step: payable at once when the programme needs no posting (issue 4 §4).
  if (!intermediate && e.action === 'approve' && (await payableWithoutPosting(trx, a.id))) to = 'payable'
  const action = intermediate ? 'application.approve_step' : `application.${e.action}`
  if (!intermediate) {
    await repo.setStatus(trx, a.province_code, a.id, to, a.version + 1)
  }
  const before = { applicationId: a.id, status: a.status }
  const after = { applicationId: a.id, programmeCode: a.programme_code, period: a.period, status: to, ...(intermediate ? { step: e.approval.currentStep - 1 } : {}) }
  await recordEvent(trx, p, { provinceCode: a.province_code, householdId: a.household_id, episode: a.episode, action, before, after, note: e.opinion })
  await audit.record(trx, {
    actor: actorOf(p),
    action,
    entityType: 'application',
    entityId: a.id,
    regionCode: a.region_code,
    before: { status: a.status, version: a.version },
    after: { status: to, version: intermediate ? a.version : a.version + 1, ...(e.opinion ? { opinion: e.opinion } : {}) },
    requestId: p.requestId,
  })
}

approvals.registerSubjectKind({ kind: APPLICATION_KIND, readPermission: 'application.read', approvePermission: 'application.approve', onTransition: onApprovalTransition })

// A programme with its own approval kind ('programme.temporary_aid') can be given its own levels
// per region on the approval policies page; without one, the policy of 'programme.application' applies.
approvals.registerPolicyKinds(async (db) =>
  (await repo.programmeApprovalKinds(db, APPLICATION_KIND)).map((r) => ({ kind: r.approval_kind, base: APPLICATION_KIND, nameZh: `帮扶申请：${r.names_zh}`, nameEn: `Applications: ${r.names_en}` })),
)

registerSubjectLabels(APPLICATION_KIND, async (db, ids) => {
  const valid = ids.filter(isUuid)
  if (valid.length === 0) return new Map()
  const rows = await repo.labelRows(db, valid)
  return new Map(rows.map((r) => [r.id, `${r.file_no} ${r.head_name} · ${r.name_zh}（${r.period}）`]))
})
