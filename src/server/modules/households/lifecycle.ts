import { sql } from 'kysely'
import type { Database, Kysely, Transaction } from '../../db/database.ts'
import { decodeCursor, page } from '../../platform/cursor.ts'
import { AppError, type FieldError, invalid, isUniqueViolation, notFound, text } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import { actorOf, type Principal, requirePermission } from '../../platform/principal.ts'
import { type DataScope, inScope, nationalScope } from '../../platform/scope.ts'
import { registerSubjectLabels } from '../approvals/approval-views.ts'
import * as approvals from '../approvals/approvals.service.ts'
import * as audit from '../audit/audit.service.ts'
import { findOrgInScope } from '../orgs/orgs.service.ts'
import { regionFullName } from '../regions/regions.service.ts'
import { exitReasons, isOneOf, removalReasons } from './codes.ts'
import { recordEvent } from './history.ts'
import { PERSON_REGISTRY_PKEY } from './households.repository.ts'
import type { HouseholdStatus } from './households.tables.ts'

/**
 * The lifecycle of a household file (domain.md §3; issue 3 §5):
 *
 *   draft ─submit─► submitted ─(every approval step)─► verified (在档) ◄──► reverifying (复核)
 *     ▲                 │ return ─► draft (corrected, then submitted again: a resubmission)
 *     │                 │ reject ─► removed (not_eligible, the reason as note)
 *     │                 │ withdraw ─► draft
 *     │   verified|reverifying ─exit─► exited (脱困, with reason)
 *     │   draft|verified|reverifying ─remove─► removed (不符合, with reason)
 *     └──── reenter ◄── exited|removed   (a new episode of the same file)
 *
 * Submission goes through the generic maker-checker service as subject kind 'household.file';
 * its hook (below) moves the file when an approval step is taken, in the decision's transaction.
 * Every status change goes through `setStatus`: one version bump, one history event, one audit
 * entry, and the nationwide person register kept in step (an ended file frees its members; a
 * re-entered one claims them again).
 *
 * Measures (the plan) are left as they are when a file ends: domain.md §3 says the plan is done
 * when the household exits, so the episode's plan is closed with it and its open measures are
 * counted in the exit's history event (`openMeasures`) rather than rewritten as done or
 * cancelled, which would claim an outcome nobody recorded.
 *
 * History and audit actions (the same name in household_event.action and audit_log.action):
 * household.submit, household.approve_step (a step other than the last approved; no status
 * change, history only), household.verify, household.return, household.reject,
 * household.resubmit, household.withdraw, household.exit, household.remove, household.reenter.
 */

export const HOUSEHOLD_FILE_KIND = 'household.file'

/** The columns the lifecycle reads, from a row locked for the rest of the transaction. */
export interface LifecycleHousehold {
  id: string
  provinceCode: string
  regionCode: string
  orgId: string
  fileNo: string
  status: HouseholdStatus
  episode: number
  version: number
}

/** What a lifecycle action answers: the file's state after it. */
export interface HouseholdLifecycle {
  id: string
  fileNo: string
  status: HouseholdStatus
  episode: number
  version: number
  submittedAt: string | null
  verifiedAt: string | null
  endedAt: string | null
  endReason: string | null
  endNote: string | null
}

const statusZh: Record<HouseholdStatus, string> = { draft: '草稿', submitted: '审批中', verified: '在档', reverifying: '复核中', exited: '已脱困', removed: '已退出' }

function lockQuery(trx: Transaction<Database>, scope: DataScope, id: string) {
  return trx
    .selectFrom('household as h')
    .select(['h.id', 'h.province_code', 'h.region_code', 'h.org_id', 'h.file_no', 'h.status', 'h.episode', 'h.version'])
    .where('h.id', '=', id)
    .where(inScope(scope, { region: 'h.region_code' }))
    .forUpdate()
    .executeTakeFirst()
}

async function lockInScope(trx: Transaction<Database>, scope: DataScope, id: string): Promise<LifecycleHousehold | undefined> {
  const r = await lockQuery(trx, scope, id)
  return r && { id: r.id, provinceCode: r.province_code, regionCode: r.region_code, orgId: r.org_id, fileNo: r.file_no, status: r.status, episode: r.episode, version: r.version }
}

function checkVersion(version: unknown): number {
  if (!Number.isInteger(version) || (version as number) < 1) throw invalid('version', text('must be the version of the household file you saw', '须为您所看到的档案版本号'))
  return version as number
}

/**
 * Locks a household for a lifecycle change: out of scope or missing answers NOT_FOUND, and a
 * household changed since the caller saw `version` answers CONFLICT. For the other lifecycle
 * work (re-verification) to start its own changes the same way.
 */
export async function lockForLifecycle(trx: Transaction<Database>, p: Principal, id: string, version: number): Promise<LifecycleHousehold> {
  const seen = checkVersion(version)
  if (!isUuid(id)) throw notFound()
  const h = await lockInScope(trx, p.scope, id)
  if (!h) throw notFound()
  if (h.version !== seen) {
    throw new AppError('CONFLICT', text('the household file was changed by someone else; reload it and try again', '该档案已被他人修改，请刷新后再试'), [
      { field: 'version', message: text(`you saw version ${seen}; it is now ${h.version}`, `您看到的是第 ${seen} 版，现为第 ${h.version} 版`) },
    ])
  }
  return h
}

/** The refusal of an action the file's status does not allow. */
function wrongStatus(h: LifecycleHousehold, allowed: readonly HouseholdStatus[]): AppError {
  const zh = allowed.map((s) => statusZh[s]).join('、')
  return new AppError('CONFLICT', text(`not possible while the file is ${h.status} (needs ${allowed.join(' or ')})`, `档案当前为${statusZh[h.status]}，此操作仅适用于${zh}状态`), [
    { field: 'status', message: text(`the file is ${h.status}`, `档案为${statusZh[h.status]}`) },
  ])
}

function expectStatus(h: LifecycleHousehold, allowed: readonly HouseholdStatus[]): void {
  if (!allowed.includes(h.status)) throw wrongStatus(h, allowed)
}

export interface StatusChange {
  /** the history and audit action, e.g. 'household.reverify_start' */
  action: string
  /** shown with the event in the file's history (an opinion, a reason's explanation) */
  note?: string | null
  /** exited or removed: the reason code (codes.ts exitReasons / removalReasons) */
  endReason?: string | null
  /** exited or removed: the explanation kept on the file */
  endNote?: string | null
  /** further facts recorded in the event's `after` and in the audit entry */
  details?: Record<string, unknown>
}

/**
 * Moves a locked household (from `lockForLifecycle`) to `to`, inside the caller's transaction:
 * bumps the version, sets the status's timestamps (submitted_at, verified_at, ended_at with
 * end_reason and end_note), records the history event (before/after {status}) and the audit
 * entry, and keeps the person register in step: leaving to exited or removed frees the members;
 * coming back from exited or removed to draft is a re-entry (episode + 1, end fields and the old
 * episode's submitted_at/verified_at cleared) and registers the members again, which fails with
 * the register's unique violation (person_registry_pkey) when one of them is now on another
 * file — let it propagate out of the transaction and answer as `reenterHousehold` does.
 * It checks no permission and no allowed transition: callers do. Returns the household as it now is.
 */
export async function setStatus(trx: Transaction<Database>, p: Principal, h: LifecycleHousehold, to: HouseholdStatus, change: StatusChange): Promise<LifecycleHousehold> {
  const now = new Date()
  const ending = to === 'exited' || to === 'removed'
  const reentering = (h.status === 'exited' || h.status === 'removed') && !ending
  const episode = reentering ? h.episode + 1 : h.episode
  const version = h.version + 1
  const endReason = ending ? (change.endReason ?? null) : null
  const endNote = ending ? (change.endNote ?? null) : null
  const result = await trx
    .updateTable('household')
    .set({
      status: to,
      version,
      updated_at: now,
      ...(to === 'submitted' ? { submitted_at: now } : {}),
      ...(to === 'verified' ? { verified_at: now } : {}),
      ...(ending ? { ended_at: now, end_reason: endReason, end_note: endNote } : {}),
      ...(reentering ? { episode, ended_at: null, end_reason: null, end_note: null, submitted_at: null, verified_at: null } : {}),
    })
    .where('province_code', '=', h.provinceCode)
    .where('id', '=', h.id)
    .where('version', '=', h.version)
    .executeTakeFirst()
  if (Number(result.numUpdatedRows) !== 1) throw new AppError('CONFLICT')

  if (ending && h.status !== 'exited' && h.status !== 'removed') {
    await trx.deleteFrom('person_registry').where('province_code', '=', h.provinceCode).where('household_id', '=', h.id).execute()
  }
  if (reentering) {
    const members = await trx.selectFrom('household_member').select('id_number_index').where('province_code', '=', h.provinceCode).where('household_id', '=', h.id).execute()
    if (members.length > 0) {
      await trx
        .insertInto('person_registry')
        .values(members.map((m) => ({ id_number_index: m.id_number_index, household_id: h.id, province_code: h.provinceCode, region_code: h.regionCode, org_id: h.orgId })))
        .execute()
    }
  }

  const before = { status: h.status, ...(reentering ? { episode: h.episode } : {}) }
  const after = { status: to, ...(reentering ? { episode } : {}), ...(ending ? { endReason } : {}), ...change.details }
  await recordEvent(trx, p, { provinceCode: h.provinceCode, householdId: h.id, episode, action: change.action, before, after, note: change.note ?? endNote })
  await audit.record(trx, {
    actor: actorOf(p),
    action: change.action,
    entityType: 'household',
    entityId: h.id,
    regionCode: h.regionCode,
    before: { ...before, version: h.version },
    after: { ...after, version, ...(endNote ? { endNote } : {}) },
    requestId: p.requestId,
  })
  return { ...h, status: to, episode, version }
}

/** The approval hook: each step taken on a household's approval moves the file, in the decision's transaction. */
async function onApprovalTransition(trx: Transaction<Database>, e: approvals.ApprovalEvent): Promise<void> {
  const p = e.actor
  // The approval service has checked the caller's scope on the approval, whose region is the file's.
  const h = await lockInScope(trx, nationalScope, e.approval.subjectId)
  if (!h) throw notFound()
  const opinion = e.opinion
  switch (e.action) {
    case 'approve':
      expectStatus(h, ['submitted'])
      if (e.approval.status === 'approved') {
        await setStatus(trx, p, h, 'verified', { action: 'household.verify', note: opinion })
      } else {
        // A step other than the last: the file stays submitted; its history shows the step.
        const decided = e.approval.steps[e.approval.currentStep - 1]
        await recordEvent(trx, p, {
          provinceCode: h.provinceCode,
          householdId: h.id,
          episode: h.episode,
          action: 'household.approve_step',
          before: { status: h.status },
          after: { status: h.status, step: e.approval.currentStep - 1, level: decided?.level ?? null },
          note: opinion,
        })
      }
      return
    case 'return':
      expectStatus(h, ['submitted'])
      await setStatus(trx, p, h, 'draft', { action: 'household.return', note: opinion })
      return
    case 'reject':
      expectStatus(h, ['submitted'])
      await setStatus(trx, p, h, 'removed', { action: 'household.reject', endReason: 'not_eligible', endNote: opinion })
      return
    case 'resubmit':
      expectStatus(h, ['draft'])
      await setStatus(trx, p, h, 'submitted', { action: 'household.resubmit', note: opinion })
      return
    case 'withdraw':
      expectStatus(h, ['submitted', 'draft'])
      if (h.status === 'submitted') {
        await setStatus(trx, p, h, 'draft', { action: 'household.withdraw', note: opinion })
      } else {
        // Withdrawn after a return: the file is a draft already; only the history records it.
        await recordEvent(trx, p, { provinceCode: h.provinceCode, householdId: h.id, episode: h.episode, action: 'household.withdraw', before: { status: 'draft' }, after: { status: 'draft' }, note: opinion })
      }
      return
  }
}

approvals.registerSubjectKind({ kind: HOUSEHOLD_FILE_KIND, readPermission: 'household.read', approvePermission: 'household.approve', onTransition: onApprovalTransition })

registerSubjectLabels(HOUSEHOLD_FILE_KIND, async (db, ids) => {
  const valid = ids.filter(isUuid)
  if (valid.length === 0) return new Map()
  const rows = await db.selectFrom('household').select(['id', 'file_no', 'head_name']).where('id', 'in', valid).execute()
  return new Map(rows.map((r) => [r.id, `${r.file_no} ${r.head_name}`.trim()]))
})

async function viewOf(db: Kysely<Database>, provinceCode: string, id: string): Promise<HouseholdLifecycle> {
  const r = await db
    .selectFrom('household')
    .select(['id', 'file_no', 'status', 'episode', 'version', 'submitted_at', 'verified_at', 'ended_at', 'end_reason', 'end_note'])
    .where('province_code', '=', provinceCode)
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  return {
    id: r.id,
    fileNo: r.file_no,
    status: r.status,
    episode: r.episode,
    version: r.version,
    submittedAt: r.submitted_at?.toISOString() ?? null,
    verifiedAt: r.verified_at?.toISOString() ?? null,
    endedAt: r.ended_at?.toISOString() ?? null,
    endReason: r.end_reason,
    endNote: r.end_note,
  }
}

function cleanNote(note: unknown, field = 'note'): string | null {
  const trimmed = typeof note === 'string' ? note.trim() : ''
  if (trimmed.length > 500) throw invalid(field, text('must be at most 500 characters', '不能超过 500 字'))
  return trimmed || null
}

export interface SubmitHouseholdInput {
  version: number
  /** the case worker's remark to the approvers */
  opinion?: string | null
}

/**
 * Submits a draft file for approval (draft → submitted), starting the approval in the same
 * transaction. A draft whose earlier submission was returned for correction is resubmitted on
 * that approval instead (a new round from the first step); only its maker can do that, as the
 * approval service requires.
 */
export async function submitHousehold(db: Kysely<Database>, p: Principal, id: string, input: SubmitHouseholdInput): Promise<HouseholdLifecycle> {
  requirePermission(p, 'household.write')
  const opinion = cleanNote(input.opinion, 'opinion')
  const h = await db.transaction().execute(async (trx) => {
    const h = await lockForLifecycle(trx, p, id, input.version)
    expectStatus(h, ['draft'])
    const latest = await approvals.getForSubject(trx, p, HOUSEHOLD_FILE_KIND, h.id)
    if (latest?.status === 'returned') {
      // The hook moves the file to submitted.
      await approvals.resubmit(trx, p, latest.id, { version: latest.version, opinion })
    } else {
      await setStatus(trx, p, h, 'submitted', { action: 'household.submit', note: opinion })
      await approvals.submit(trx, p, { kind: HOUSEHOLD_FILE_KIND, subjectId: h.id, regionCode: h.regionCode, opinion })
    }
    return h
  })
  return viewOf(db, h.provinceCode, h.id)
}

export interface EndInput {
  version: number
  /** exitReasons for an exit, removalReasons for a removal */
  reason: string
  /** required when the reason is 'other' */
  note?: string | null
}

function endReasonOf(list: readonly string[], input: EndInput): { reason: string; note: string | null } {
  if (!isOneOf(list, input.reason)) throw invalid('reason', text(`must be one of ${list.join(', ')}`, '退出原因不是可识别的代码'))
  const note = cleanNote(input.note)
  if (input.reason === 'other' && !note) throw invalid('note', text("explain the reason when it is 'other'", '原因为"其他"时须填写说明'))
  return { reason: input.reason, note }
}

async function openMeasures(trx: Transaction<Database>, h: LifecycleHousehold): Promise<number> {
  const row = await trx
    .selectFrom('household_measure')
    .select((eb) => eb.fn.countAll<string | number | bigint>().as('n'))
    .where('province_code', '=', h.provinceCode)
    .where('household_id', '=', h.id)
    .where('episode', '=', h.episode)
    .where('status', 'in', ['planned', 'in_progress'])
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * 脱困: a household on file leaves it because its hardship is overcome (verified or reverifying →
 * exited), with a reason from exitReasons. Its members leave the person register, so they may
 * be filed elsewhere later. The episode's open measures stay as they are and are counted in the
 * history event.
 */
export async function exitHousehold(db: Kysely<Database>, p: Principal, id: string, input: EndInput): Promise<HouseholdLifecycle> {
  requirePermission(p, 'household.write')
  const { reason, note } = endReasonOf(exitReasons, input)
  const h = await db.transaction().execute(async (trx) => {
    const h = await lockForLifecycle(trx, p, id, input.version)
    expectStatus(h, ['verified', 'reverifying'])
    return setStatus(trx, p, h, 'exited', { action: 'household.exit', endReason: reason, endNote: note, details: { openMeasures: await openMeasures(trx, h) } })
  })
  return viewOf(db, h.provinceCode, h.id)
}

/**
 * 不符合标准退出: a file found not to meet the standard is removed, with a reason from
 * removalReasons. A file on file (verified, reverifying) is removed by a checker
 * (household.approve); a draft by a case worker (household.write), withdrawing its returned
 * submission first if there is one (only its maker can). Members leave the person register.
 */
export async function removeHousehold(db: Kysely<Database>, p: Principal, id: string, input: EndInput): Promise<HouseholdLifecycle> {
  if (!p.permissions.has('household.write') && !p.permissions.has('household.approve')) throw new AppError('FORBIDDEN')
  const { reason, note } = endReasonOf(removalReasons, input)
  const h = await db.transaction().execute(async (trx) => {
    const h = await lockForLifecycle(trx, p, id, input.version)
    expectStatus(h, ['draft', 'verified', 'reverifying'])
    requirePermission(p, h.status === 'draft' ? 'household.write' : 'household.approve')
    let details: Record<string, unknown> = { openMeasures: await openMeasures(trx, h) }
    if (h.status === 'draft') {
      const latest = await approvals.getForSubject(trx, p, HOUSEHOLD_FILE_KIND, h.id)
      if (latest?.status === 'returned') {
        await approvals.withdraw(trx, p, latest.id, { version: latest.version, opinion: note })
        details = { ...details, withdrawnApproval: latest.id }
      }
    }
    return setStatus(trx, p, h, 'removed', { action: 'household.remove', endReason: reason, endNote: note, details })
  })
  return viewOf(db, h.provinceCode, h.id)
}

/** Same shape as the filing's refusal (households.service.ts): the holder's region and organisation, nothing about the person. */
async function alreadyOnFile(db: Kysely<Database>, p: Principal, holder: { region_code: string; org_id: string }): Promise<AppError> {
  const regionName = await regionFullName(db, holder.region_code)
  // The holder may lie outside the caller's scope; only its name is disclosed, which the rule itself requires.
  const org = await findOrgInScope(db, { ...p, scope: nationalScope }, holder.org_id)
  const message = text(
    `A member of this household is now on an active household file in ${regionName}, held by ${org?.name ?? ''}; one person can be on only one household file`,
    `本户有成员现已在${regionName}（${org?.name ?? ''}）建档，一人只能属于一个在档家庭`,
  )
  return new AppError('CONFLICT', message, [{ field: 'members', message }] satisfies FieldError[])
}

/** The first member of the household who is now on another file, if any. */
async function holderOfAMember(db: Kysely<Database>, h: { provinceCode: string; id: string }): Promise<{ region_code: string; org_id: string } | undefined> {
  return db
    .selectFrom('household_member as m')
    .innerJoin('person_registry as r', 'r.id_number_index', 'm.id_number_index')
    .select(['r.region_code', 'r.org_id'])
    .where('m.province_code', '=', h.provinceCode)
    .where('m.household_id', '=', h.id)
    .where('r.household_id', '<>', h.id)
    .limit(1)
    .executeTakeFirst()
}

export interface ReenterInput {
  version: number
  note?: string | null
}

/**
 * Re-entry: an exited or removed file opens a new episode as a draft (episode + 1, end fields
 * cleared) and its members are registered again; the case worker then submits it. Refused with
 * CONFLICT, naming the holder's region and organisation, when a member is now on another file.
 */
export async function reenterHousehold(db: Kysely<Database>, p: Principal, id: string, input: ReenterInput): Promise<HouseholdLifecycle> {
  requirePermission(p, 'household.write')
  const note = cleanNote(input.note)
  let ref = null as { provinceCode: string; id: string } | null
  try {
    const h = await db.transaction().execute(async (trx) => {
      const h = await lockForLifecycle(trx, p, id, input.version)
      ref = { provinceCode: h.provinceCode, id: h.id }
      expectStatus(h, ['exited', 'removed'])
      // A friendly early answer; the register's primary key is what decides a race.
      const holder = await holderOfAMember(trx, h)
      if (holder) throw await alreadyOnFile(trx, p, holder)
      return setStatus(trx, p, h, 'draft', { action: 'household.reenter', note })
    })
    return viewOf(db, h.provinceCode, h.id)
  } catch (err) {
    if (!isUniqueViolation(err, PERSON_REGISTRY_PKEY) || !ref) throw err
    const holder = await holderOfAMember(db, ref)
    throw holder ? await alreadyOnFile(db, p, holder) : new AppError('CONFLICT')
  }
}

export interface HistoryEvent {
  id: string
  episode: number
  action: string
  actor: { id: string | null; name: string }
  before: unknown
  after: unknown
  note: string | null
  at: string
}

async function findInScope(db: Kysely<Database>, scope: DataScope, id: string): Promise<{ province_code: string; id: string } | undefined> {
  if (!isUuid(id)) return undefined
  return db.selectFrom('household as h').select(['h.province_code', 'h.id']).where('h.id', '=', id).where(inScope(scope, { region: 'h.region_code' })).executeTakeFirst()
}

/**
 * The file's history, newest first, keyset-paginated. The cursor carries the event time in
 * full (microsecond) precision as text, so no two events of one millisecond are skipped.
 */
export async function listHistory(db: Kysely<Database>, p: Principal, id: string, f: { cursor?: string; limit?: number } = {}): Promise<{ items: HistoryEvent[]; nextCursor: string | null }> {
  requirePermission(p, 'household.read')
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 200)
  const key = decodeCursor(f.cursor, ['text', 'uuid'])
  const h = await findInScope(db, p.scope, id)
  if (!h) throw notFound()
  let q = db
    .selectFrom('household_event as e')
    .select(['e.id', 'e.episode', 'e.action', 'e.actor_id', 'e.actor_name', 'e.before', 'e.after', 'e.note', 'e.at', sql<string>`e.at::text`.as('at_key')])
    .where('e.province_code', '=', h.province_code)
    .where('e.household_id', '=', h.id)
  if (key) {
    if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/.test(key[0]!)) throw invalid('cursor', text('not a cursor this API issued', '分页标记无效'))
    q = q.where(sql<boolean>`(e.at, e.id) < (${key[0]}::timestamptz, ${key[1]}::uuid)`)
  }
  const rows = await q.orderBy('e.at', 'desc').orderBy('e.id', 'desc').limit(limit + 1).execute()
  const result = page(rows, limit, (r) => [r.at_key, r.id])
  return {
    items: result.items.map((r) => ({
      id: r.id,
      episode: r.episode,
      action: r.action,
      actor: { id: r.actor_id, name: r.actor_name },
      before: r.before ?? null,
      after: r.after ?? null,
      note: r.note,
      at: r.at.toISOString(),
    })),
    nextCursor: result.nextCursor,
  }
}

/** The file's latest approval (null when never submitted); out of scope answers NOT_FOUND. */
export async function getApprovalOf(db: Kysely<Database>, p: Principal, id: string): Promise<approvals.ApprovalDetail | null> {
  requirePermission(p, 'household.read')
  const h = await findInScope(db, p.scope, id)
  if (!h) throw notFound()
  return approvals.getForSubject(db, p, HOUSEHOLD_FILE_KIND, h.id)
}
