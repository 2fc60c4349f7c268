import type { Database, Kysely } from '../../db/database.ts'
import { chinaDate } from '../../platform/china-date.ts'
import { decodeCursor, page } from '../../platform/cursor.ts'
import { AppError, type FieldError, invalid, notFound, text, type Text } from '../../platform/errors.ts'
import { failOnErrors, optionalText, requiredText, trimmed } from '../../platform/fields.ts'
import { isUuid } from '../../platform/ids.ts'
import { actorOf, type Principal, requirePermission } from '../../platform/principal.ts'
import { regionPrefixOf } from '../../platform/scope.ts'
import * as audit from '../audit/audit.service.ts'
import { findOrgInScope } from '../orgs/orgs.service.ts'
import { findRegion } from '../regions/regions.service.ts'
import * as repo from './care.repository.ts'
import { batches, householdStatuses, isOneOf, onFileStatuses } from './codes.ts'
import type { HouseholdRecord } from './households.repository.ts'
import { householdInScope, lockedState } from './household-access.ts'
import { recordEvent } from './history.ts'
import type { Batch, HouseholdStatus, MeasureStatus } from './households.tables.ts'
import { addMonths, isIsoDate, overdueCutoff, VISIT_INTERVAL_MONTHS, visitOverdue } from './visits.ts'

// A household's care (domain.md §3; 001 §三(三); issue 3 §6): one plan of measures from the four
// batches, a helper unit and a responsible person (一帮一), and regular visits (走访). Every
// function finds the household through the caller's scope first: missing and out of scope
// answer alike (404). Every write is audited and kept in the file's history, in one transaction.

export const measureStatuses = ['planned', 'in_progress', 'done', 'cancelled'] as const satisfies readonly MeasureStatus[]

/** The plan can change while the file is open; an exited or removed file keeps its plan as it was. */
export const planStatuses = ['draft', 'submitted', 'verified', 'reverifying'] as const satisfies readonly HouseholdStatus[]
/** A helper is named once the file is on file (or while drafting it); not while it waits for approval. */
export const pairingStatuses = ['draft', 'verified', 'reverifying'] as const satisfies readonly HouseholdStatus[]
/** Visits are recorded for any file not removed as ineligible: an exited household may be visited again. */
export const visitStatuses = ['draft', 'submitted', 'verified', 'reverifying', 'exited'] as const satisfies readonly HouseholdStatus[]

const TARGET_MAX = 200
const RESPONSIBLE_MAX = 50
const OUTCOME_MAX = 500
const HELPER_PERSON_MAX = 50
const VISITOR_MAX = 50
const FINDINGS_MAX = 2000
const FOLLOW_UP_MAX = 1000
const EARLIEST_DATE = '2000-01-01'
/** How far ahead a measure may be due. */
const MAX_PLAN_YEARS = 5

const problems = {
  batch: text(`must be one of ${batches.join(', ')}`, '帮扶类型必须是“四个一批”之一'),
  measureStatus: text(`must be one of ${measureStatuses.join(', ')}`, '措施状态不是可识别的代码'),
  date: text('must be a date written YYYY-MM-DD', '必须是 YYYY-MM-DD 格式的有效日期'),
  dueBeforeFiling: (filedOn: string) => text(`must not be before the filing date, ${filedOn}`, `不能早于建档日期 ${filedOn}`),
  dueTooFar: (last: string) => text(`must be no later than ${last}`, `不能晚于 ${last}`),
  outcomeForDone: text('say what was achieved when the measure is done', '措施完成时须填写帮扶成效'),
  future: text('must not be in the future', '不能晚于今天'),
  tooEarly: text(`must not be before ${EARLIEST_DATE}`, `不能早于 ${EARLIEST_DATE}`),
  helperOrg: text('is not an active organisation within your data scope', '不是您数据范围内的有效组织'),
  version: text('must be the version you read', '必须是读取时的版本号'),
  regionCode: text('must be a region code (6 digits) or a prefix of 2 or 4 digits', '必须是6位行政区划代码或2、4位代码前缀'),
}

const conflicts = {
  planClosed: text('the file has ended (exited or removed); its plan can no longer change', '该档案已脱困或已取消，帮扶计划不能再修改'),
  earlierEpisode: text('this measure belongs to an earlier episode of the file and can no longer change', '该措施属于本档案以前的建档周期，不能再修改'),
  stale: text('someone changed this measure after you read it; reload and try again', '该措施已被他人修改，请刷新后重试'),
  pairingStatus: text('a helper can be named for a draft or a file on record, not while it awaits approval or after it ended', '只有草稿或在档家庭可以设置结对帮扶，待审核或已结束的档案不可以'),
  visitRemoved: text('the file was removed as not eligible; no visits can be added', '该档案已因不符合条件被取消，不能再登记走访'),
}

function conflict(message: Text): AppError {
  return new AppError('CONFLICT', message)
}

// ---------------------------------------------------------------- measures

export interface Measure {
  id: string
  episode: number
  /** true for the measures of the file's current episode (the only ones that can change) */
  current: boolean
  batch: Batch
  target: string
  responsible: string
  dueOn: string
  status: MeasureStatus
  outcome: string | null
  /** past its due date and neither done nor cancelled (China date) */
  overdue: boolean
  createdAt: Date
  updatedAt: Date
  version: number
}

export interface MeasureList {
  episode: number
  /** whether the plan may change now (the file is neither exited nor removed) */
  editable: boolean
  /** the first day a measure may be due: the filing date */
  filedOn: string
  items: Measure[]
}

function toMeasure(m: repo.MeasureRecord, episode: number, today: string): Measure {
  return {
    id: m.id,
    episode: m.episode,
    current: m.episode === episode,
    batch: m.batch,
    target: m.target,
    responsible: m.responsible,
    dueOn: m.due_on,
    status: m.status,
    outcome: m.outcome,
    overdue: (m.status === 'planned' || m.status === 'in_progress') && m.due_on < today,
    createdAt: m.created_at,
    updatedAt: m.updated_at,
    version: m.version,
  }
}

/** The household's plan: every measure, those of the current episode first. */
export async function listMeasures(db: Kysely<Database>, p: Principal, householdId: string): Promise<MeasureList> {
  requirePermission(p, 'household.read')
  const h = await householdInScope(db, p, householdId)
  const facts = await repo.careFacts(db, h.province_code, h.id)
  const today = chinaDate()
  const rows = await repo.measuresOf(db, h.province_code, h.id)
  return {
    episode: h.episode,
    editable: isOneOf(planStatuses, h.status),
    filedOn: facts?.filed_on ?? today,
    items: rows.map((m) => toMeasure(m, h.episode, today)),
  }
}

export interface AddMeasureInput {
  batch: string
  target: string
  responsible: string
  /** YYYY-MM-DD, not before the filing date, at most five years ahead */
  dueOn: string
  /** planned unless given; done needs an outcome */
  status?: string
  outcome?: string | null
}

/** Adds a measure (帮扶措施) to the plan of the file's current episode. */
export async function addMeasure(db: Kysely<Database>, p: Principal, householdId: string, input: AddMeasureInput): Promise<Measure> {
  requirePermission(p, 'household.write')
  const h = await householdInScope(db, p, householdId)
  const facts = await repo.careFacts(db, h.province_code, h.id)
  const today = chinaDate()
  const errors: FieldError[] = []
  if (!isOneOf(batches, input.batch)) errors.push({ field: 'batch', message: problems.batch })
  const target = requiredText(errors, 'target', input.target, TARGET_MAX)
  const responsible = requiredText(errors, 'responsible', input.responsible, RESPONSIBLE_MAX)
  const filedOn = facts?.filed_on ?? today
  const lastDue = addMonths(today, MAX_PLAN_YEARS * 12)
  if (!isIsoDate(input.dueOn)) errors.push({ field: 'dueOn', message: problems.date })
  else if (input.dueOn < filedOn) errors.push({ field: 'dueOn', message: problems.dueBeforeFiling(filedOn) })
  else if (input.dueOn > lastDue) errors.push({ field: 'dueOn', message: problems.dueTooFar(lastDue) })
  const status = input.status ?? 'planned'
  if (!isOneOf(measureStatuses, status)) errors.push({ field: 'status', message: problems.measureStatus })
  const outcome = optionalText(errors, 'outcome', input.outcome, OUTCOME_MAX)
  if (status === 'done' && outcome === null) errors.push({ field: 'outcome', message: problems.outcomeForDone })
  failOnErrors(errors)

  const row = await db.transaction().execute(async (trx) => {
    const state = await lockedState(trx, h)
    if (!isOneOf(planStatuses, state.status)) throw conflict(conflicts.planClosed)
    const m = await repo.insertMeasure(trx, {
      provinceCode: h.province_code,
      householdId: h.id,
      episode: state.episode,
      batch: input.batch as Batch,
      target,
      responsible,
      dueOn: input.dueOn,
      status: status as MeasureStatus,
      outcome,
      createdBy: p.userId,
    })
    const after = { measureId: m.id, batch: m.batch, target, responsible, dueOn: m.due_on, status: m.status, outcome }
    await audit.record(trx, { actor: actorOf(p), action: 'household.measure_add', entityType: 'household', entityId: h.id, regionCode: h.region_code, after, requestId: p.requestId })
    await recordEvent(trx, p, { provinceCode: h.province_code, householdId: h.id, episode: state.episode, action: 'household.measure_add', after })
    return { m, episode: state.episode }
  })
  return toMeasure(row.m, row.episode, today)
}

export interface UpdateMeasureInput {
  /** the version the caller read; a stale one is refused with CONFLICT */
  version: number
  status: string
  outcome?: string | null
}

/** Moves a measure of the current episode on (status, outcome), guarded by its version. */
export async function updateMeasure(db: Kysely<Database>, p: Principal, householdId: string, measureId: string, input: UpdateMeasureInput): Promise<Measure> {
  requirePermission(p, 'household.write')
  const h = await householdInScope(db, p, householdId)
  if (!isUuid(measureId)) throw notFound()
  const existing = await repo.findMeasure(db, h.province_code, h.id, measureId)
  if (!existing) throw notFound()
  const errors: FieldError[] = []
  if (!Number.isSafeInteger(input.version) || input.version < 1) errors.push({ field: 'version', message: problems.version })
  if (!isOneOf(measureStatuses, input.status)) errors.push({ field: 'status', message: problems.measureStatus })
  // an absent outcome keeps the one on record; an empty one clears it
  const outcome = input.outcome === undefined ? existing.outcome : optionalText(errors, 'outcome', input.outcome, OUTCOME_MAX)
  if (input.status === 'done' && outcome === null) errors.push({ field: 'outcome', message: problems.outcomeForDone })
  failOnErrors(errors)
  const today = chinaDate()

  const row = await db.transaction().execute(async (trx) => {
    const state = await lockedState(trx, h)
    if (!isOneOf(planStatuses, state.status)) throw conflict(conflicts.planClosed)
    if (existing.episode !== state.episode) throw conflict(conflicts.earlierEpisode)
    const updated = await repo.updateMeasure(
      trx,
      { provinceCode: h.province_code, householdId: h.id, id: existing.id, version: input.version },
      { status: input.status as MeasureStatus, outcome },
    )
    if (!updated) throw new AppError('CONFLICT', conflicts.stale, [{ field: 'version', message: conflicts.stale }] satisfies FieldError[])
    const before = { measureId: existing.id, status: existing.status, outcome: existing.outcome }
    const after = { measureId: existing.id, status: updated.status, outcome: updated.outcome }
    await audit.record(trx, { actor: actorOf(p), action: 'household.measure_update', entityType: 'household', entityId: h.id, regionCode: h.region_code, before, after, requestId: p.requestId })
    await recordEvent(trx, p, { provinceCode: h.province_code, householdId: h.id, episode: state.episode, action: 'household.measure_update', before, after })
    return { m: updated, episode: state.episode }
  })
  return toMeasure(row.m, row.episode, today)
}

// ---------------------------------------------------------------- pairing (一帮一)

export interface Pairing {
  helperOrgId: string | null
  helperOrgName: string | null
  helperPerson: string | null
  pairedOn: string | null
  /** both a helper unit and a responsible person are named */
  paired: boolean
  /** whether a helper can be set now (draft, verified, reverifying) */
  editable: boolean
}

export async function getPairing(db: Kysely<Database>, p: Principal, householdId: string): Promise<Pairing> {
  requirePermission(p, 'household.read')
  const h = await householdInScope(db, p, householdId)
  return pairingOf(db, h)
}

async function pairingOf(db: Kysely<Database>, h: HouseholdRecord): Promise<Pairing> {
  const f = await repo.careFacts(db, h.province_code, h.id)
  return {
    helperOrgId: f?.helper_org_id ?? null,
    helperOrgName: f?.helper_org_name ?? null,
    helperPerson: f?.helper_person ?? null,
    pairedOn: f?.paired_on ?? null,
    paired: !!f?.helper_org_id && !!f.helper_person,
    editable: isOneOf(pairingStatuses, h.status),
  }
}

export interface SetPairingInput {
  /** an active organisation within the caller's scope */
  helperOrgId: string
  /** the responsible person (解困脱困责任人) */
  helperPerson: string
  /** YYYY-MM-DD; today in China when omitted */
  pairedOn?: string | null
}

/** Names (or replaces) the helper unit and responsible person of a household. */
export async function setPairing(db: Kysely<Database>, p: Principal, householdId: string, input: SetPairingInput): Promise<Pairing> {
  requirePermission(p, 'household.write')
  const h = await householdInScope(db, p, householdId)
  const today = chinaDate()
  const errors: FieldError[] = []
  const org = typeof input.helperOrgId === 'string' ? await findOrgInScope(db, p, input.helperOrgId) : null
  if (!org || !org.active) errors.push({ field: 'helperOrgId', message: problems.helperOrg })
  const helperPerson = requiredText(errors, 'helperPerson', input.helperPerson, HELPER_PERSON_MAX)
  const pairedOn = input.pairedOn === undefined || input.pairedOn === null || input.pairedOn === '' ? today : input.pairedOn
  checkPastDate(errors, 'pairedOn', pairedOn, today)
  failOnErrors(errors)

  await db.transaction().execute(async (trx) => {
    const state = await lockedState(trx, h)
    if (!isOneOf(pairingStatuses, state.status)) throw conflict(conflicts.pairingStatus)
    const was = await repo.careFacts(trx, h.province_code, h.id)
    await repo.setPairing(trx, { provinceCode: h.province_code, householdId: h.id }, { helperOrgId: org!.id, helperPerson, pairedOn })
    const before = was?.helper_org_id ? { helperOrgId: was.helper_org_id, helperOrgName: was.helper_org_name, helperPerson: was.helper_person, pairedOn: was.paired_on } : null
    const after = { helperOrgId: org!.id, helperOrgName: org!.name, helperPerson, pairedOn }
    await audit.record(trx, { actor: actorOf(p), action: 'household.pair', entityType: 'household', entityId: h.id, regionCode: h.region_code, before, after, requestId: p.requestId })
    await recordEvent(trx, p, { provinceCode: h.province_code, householdId: h.id, episode: state.episode, action: 'household.pair', before, after })
  })
  return pairingOf(db, h)
}

function checkPastDate(errors: FieldError[], field: string, value: unknown, today: string): void {
  if (!isIsoDate(value)) errors.push({ field, message: problems.date })
  else if (value > today) errors.push({ field, message: problems.future })
  else if (value < EARLIEST_DATE) errors.push({ field, message: problems.tooEarly })
}

export interface CoverageLine {
  orgId: string
  orgName: string
  onFile: number
  paired: number
  /** paired ÷ on file in basis points, rounded down (10000 only when every household is paired); 0 when none on file */
  percent: number
}

export interface Coverage {
  /** the region prefix the figures cover ('' nationwide) */
  regionPrefix: string
  items: CoverageLine[]
  total: Omit<CoverageLine, 'orgId' | 'orgName'>
}

const basisPoints = (part: number, whole: number) => (whole === 0 ? 0 : Math.floor((part * 10_000) / whole))

/**
 * The region prefix a query names: its 6-digit code (410100 → 4101) or a 2- or 4-digit prefix;
 * the caller's own scope when none is given. A region that does not exist or is not wholly
 * within the caller's scope answers like a missing record.
 */
async function regionPrefixFor(db: Kysely<Database>, p: Principal, regionCode: string | undefined): Promise<string> {
  if (regionCode === undefined || regionCode === '') return p.scope.regionPrefix
  if (!/^(\d{2}|\d{4}|\d{6})$/.test(regionCode)) throw invalid('regionCode', problems.regionCode)
  const prefix = regionCode.length === 6 ? regionPrefixOf(regionCode) : regionCode
  const region = await findRegion(db, prefix.padEnd(6, '0'))
  if (!region || !prefix.startsWith(p.scope.regionPrefix)) throw notFound()
  return prefix
}

/** Pairing coverage (一帮一覆盖率) per filing organisation over the households on file in a region of the caller's scope. */
export async function pairingCoverage(db: Kysely<Database>, p: Principal, f: { regionCode?: string } = {}): Promise<Coverage> {
  requirePermission(p, 'household.read')
  const regionPrefix = await regionPrefixFor(db, p, f.regionCode)
  const rows = await repo.coverage(db, p.scope, regionPrefix)
  const items = rows.map((r) => ({ orgId: r.org_id, orgName: r.org_name ?? '', onFile: r.on_file, paired: r.paired, percent: basisPoints(r.paired, r.on_file) }))
  const onFile = items.reduce((s, r) => s + r.onFile, 0)
  const paired = items.reduce((s, r) => s + r.paired, 0)
  return { regionPrefix, items, total: { onFile, paired, percent: basisPoints(paired, onFile) } }
}

// ---------------------------------------------------------------- visits (走访)

export interface Visit {
  id: string
  visitedOn: string
  visitor: string
  findings: string
  followUp: string | null
  createdAt: Date
}

export interface VisitList {
  lastVisitOn: string | null
  /** whether the file is on record (verified, reverifying): only then is the visiting rule applied */
  onFile: boolean
  /** the day a visit is due by: six months after the last visit, else after the day on file; null when not on file */
  dueBy: string | null
  /** on file and not visited for six calendar months (visits.ts visitOverdue) */
  overdue: boolean
  /** whether visits can be added (any file not removed) */
  editable: boolean
  items: Visit[]
}

const toVisit = (v: repo.VisitRecord): Visit => ({
  id: v.id,
  visitedOn: v.visited_on,
  visitor: v.visitor,
  findings: v.findings,
  followUp: v.follow_up,
  createdAt: v.created_at,
})

export async function listVisits(db: Kysely<Database>, p: Principal, householdId: string, options: { today?: string } = {}): Promise<VisitList> {
  requirePermission(p, 'household.read')
  const h = await householdInScope(db, p, householdId)
  return visitsOf(db, h, options.today ?? chinaDate())
}

async function visitsOf(db: Kysely<Database>, h: HouseholdRecord, today: string): Promise<VisitList> {
  const facts = await repo.careFacts(db, h.province_code, h.id)
  const rows = await repo.visitsOf(db, h.province_code, h.id)
  const onFile = isOneOf(onFileStatuses, h.status)
  const lastVisitOn = facts?.last_visit_on ?? null
  const since = facts?.on_file_since ?? today
  return {
    lastVisitOn,
    onFile,
    dueBy: onFile ? addMonths(lastVisitOn ?? since, VISIT_INTERVAL_MONTHS) : null,
    overdue: onFile && visitOverdue(lastVisitOn, since, today),
    editable: isOneOf(visitStatuses, h.status),
    items: rows.map(toVisit),
  }
}

export interface AddVisitInput {
  /** YYYY-MM-DD, not in the future (China date), not before 2000 */
  visitedOn: string
  visitor: string
  findings: string
  followUp?: string | null
}

/** Records a visit (走访) and moves the household's last visit forward. */
export async function addVisit(db: Kysely<Database>, p: Principal, householdId: string, input: AddVisitInput): Promise<Visit> {
  requirePermission(p, 'household.write')
  const h = await householdInScope(db, p, householdId)
  const today = chinaDate()
  const errors: FieldError[] = []
  checkPastDate(errors, 'visitedOn', input.visitedOn, today)
  const visitor = requiredText(errors, 'visitor', input.visitor, VISITOR_MAX)
  const findings = requiredText(errors, 'findings', input.findings, FINDINGS_MAX)
  const followUp = optionalText(errors, 'followUp', input.followUp, FOLLOW_UP_MAX)
  failOnErrors(errors)

  const visit = await db.transaction().execute(async (trx) => {
    const state = await lockedState(trx, h)
    if (!isOneOf(visitStatuses, state.status)) throw conflict(conflicts.visitRemoved)
    const before = await repo.careFacts(trx, h.province_code, h.id)
    const v = await repo.insertVisit(trx, { provinceCode: h.province_code, householdId: h.id, visitedOn: input.visitedOn, visitor, findings, followUp, createdBy: p.userId })
    const lastVisitOn = await repo.noteVisit(trx, h.province_code, h.id, input.visitedOn)
    // The findings stay on the visit record; the logs keep who, when and by whom.
    const after = { visitId: v.id, visitedOn: v.visited_on, visitor, lastVisitOn }
    await audit.record(trx, {
      actor: actorOf(p),
      action: 'household.visit_add',
      entityType: 'household',
      entityId: h.id,
      regionCode: h.region_code,
      before: { lastVisitOn: before?.last_visit_on ?? null },
      after,
      requestId: p.requestId,
    })
    await recordEvent(trx, p, { provinceCode: h.province_code, householdId: h.id, episode: state.episode, action: 'household.visit_add', before: { lastVisitOn: before?.last_visit_on ?? null }, after })
    return v
  })
  return toVisit(visit)
}

export interface OverdueVisit {
  id: string
  fileNo: string
  headName: string
  regionCode: string
  regionName: string
  status: string
  lastVisitOn: string | null
  /** the last visit, else the day the household came on file */
  referenceOn: string
  /** the day the visit was due by */
  dueBy: string
  helperPerson: string | null
}

/**
 * The households on file in the caller's scope (under `regionCode` when given) that are overdue
 * for a visit, the longest unvisited first, in keyset pages.
 */
export async function listOverdueVisits(
  db: Kysely<Database>,
  p: Principal,
  f: { regionCode?: string; cursor?: string; limit?: number; today?: string } = {},
): Promise<{ items: OverdueVisit[]; nextCursor: string | null; today: string }> {
  requirePermission(p, 'household.read')
  const regionPrefix = await regionPrefixFor(db, p, f.regionCode)
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 200)
  const after = decodeCursor(f.cursor, ['text', 'uuid'])
  if (after && !isIsoDate(after[0])) throw invalid('cursor', text('not a cursor this API issued', '分页标记无效'))
  const today = f.today ?? chinaDate()
  const rows = await repo.overdue(db, p.scope, {
    regionPrefix,
    cutoff: overdueCutoff(today),
    after: after ? { referenceOn: after[0]!, id: after[1]! } : undefined,
    limit: limit + 1,
  })
  const { items, nextCursor } = page(rows, limit, (r) => [r.reference_on, r.id])
  return {
    today,
    nextCursor,
    items: items.map((r) => ({
      id: r.id,
      fileNo: r.file_no,
      headName: r.head_name,
      regionCode: r.region_code,
      regionName: r.region_name ?? '',
      status: r.status,
      lastVisitOn: r.last_visit_on,
      referenceOn: r.reference_on,
      dueBy: addMonths(r.reference_on, VISIT_INTERVAL_MONTHS),
      helperPerson: r.helper_person,
    })),
  }
}

export interface HouseholdWorkload {
  /** files per status, every status present */
  byStatus: Record<HouseholdStatus, number>
  onFile: number
  /** on file without a helper unit and person (一帮一 gap) */
  unpaired: number
  /** on file and not visited for six months */
  overdueVisits: number
}

/** The workbench's household figures within the caller's scope. */
export async function householdWorkload(db: Kysely<Database>, p: Principal): Promise<HouseholdWorkload> {
  requirePermission(p, 'household.read')
  const rows = await repo.workload(db, p.scope, overdueCutoff(chinaDate()))
  const byStatus = Object.fromEntries(householdStatuses.map((s) => [s, 0])) as Record<HouseholdStatus, number>
  let unpaired = 0
  let overdueVisits = 0
  for (const r of rows) {
    byStatus[r.status as HouseholdStatus] = r.households
    unpaired += r.unpaired
    overdueVisits += r.overdue
  }
  return { byStatus, onFile: onFileStatuses.reduce((n, s) => n + byStatus[s], 0), unpaired, overdueVisits }
}
