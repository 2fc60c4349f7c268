import { type Selectable, sql } from 'kysely'
import type { Database, Kysely, Transaction } from '../../db/database.ts'
import { type DataScope, inScope } from '../../platform/scope.ts'
import type { ApprovalActionKind, ApprovalStatus, StepLevel } from './approval-flow.ts'
import type { ApprovalActionTable, ApprovalPolicyTable, ApprovalTable, StepRow } from './approvals.tables.ts'

type Executor = Kysely<Database> | Transaction<Database>

export type PolicyRecord = Pick<Selectable<ApprovalPolicyTable>, 'id' | 'subject_kind' | 'region_prefix' | 'steps' | 'effective_from'>

/** An approval row as read back (jsonb steps parsed). */
export type ApprovalRecord = Selectable<ApprovalTable>

export type ActionRecord = Omit<Selectable<ApprovalActionTable>, 'province_code' | 'approval_id'>

/** The policy in force on `today` for the most specific of `prefixes` that has one. */
export function findEffectivePolicy(db: Executor, kind: string, prefixes: string[], today: string): Promise<PolicyRecord | undefined> {
  return db
    .selectFrom('approval_policy')
    .select(['id', 'subject_kind', 'region_prefix', 'steps', 'effective_from'])
    .where('subject_kind', '=', kind)
    .where('region_prefix', 'in', prefixes)
    .where('effective_from', '<=', today)
    .orderBy(sql`length(region_prefix)`, 'desc')
    .orderBy('effective_from', 'desc')
    .limit(1)
    .executeTakeFirst()
}

/** One policy per (kind, prefix, effective date): setting it again replaces its steps. */
export async function upsertPolicy(
  trx: Transaction<Database>,
  v: { kind: string; regionPrefix: string; steps: StepRow[]; effectiveFrom: string; createdBy: string | null },
): Promise<{ policy: PolicyRecord; before: StepRow[] | null }> {
  const before = await trx
    .selectFrom('approval_policy')
    .select('steps')
    .where('subject_kind', '=', v.kind)
    .where('region_prefix', '=', v.regionPrefix)
    .where('effective_from', '=', v.effectiveFrom)
    .forUpdate()
    .executeTakeFirst()
  const policy = await trx
    .insertInto('approval_policy')
    .values({ subject_kind: v.kind, region_prefix: v.regionPrefix, steps: JSON.stringify(v.steps), effective_from: v.effectiveFrom, created_by: v.createdBy })
    .onConflict((oc) =>
      oc.columns(['subject_kind', 'region_prefix', 'effective_from']).doUpdateSet({ steps: JSON.stringify(v.steps), created_by: v.createdBy, created_at: new Date() }),
    )
    .returning(['id', 'subject_kind', 'region_prefix', 'steps', 'effective_from'])
    .executeTakeFirstOrThrow()
  return { policy, before: before?.steps ?? null }
}

export async function insertApproval(
  trx: Transaction<Database>,
  v: {
    provinceCode: string
    kind: string
    subjectId: string
    regionCode: string
    makerId: string
    makerName: string
    steps: StepRow[]
    policyId: string | null
  },
): Promise<ApprovalRecord> {
  const first = v.steps[0]!
  return trx
    .insertInto('approval')
    .values({
      province_code: v.provinceCode,
      subject_kind: v.kind,
      subject_id: v.subjectId,
      region_code: v.regionCode,
      maker_id: v.makerId,
      maker_name: v.makerName,
      status: 'pending',
      current_step: 0,
      steps: JSON.stringify(v.steps),
      policy_id: v.policyId,
      step_level: first.level,
      step_permission: first.permission,
    })
    .returningAll()
    .executeTakeFirstOrThrow() as Promise<ApprovalRecord>
}

export function findInScope(db: Executor, scope: DataScope, id: string): Promise<ApprovalRecord | undefined> {
  return db.selectFrom('approval').selectAll().where('id', '=', id).where(inScope(scope, { region: 'approval.region_code' })).executeTakeFirst() as Promise<
    ApprovalRecord | undefined
  >
}

/** The approval row locked for the rest of the transaction: two deciders of one step queue here, and the second sees the first's result. */
export function lockInScope(trx: Transaction<Database>, scope: DataScope, id: string): Promise<ApprovalRecord | undefined> {
  return trx
    .selectFrom('approval')
    .selectAll()
    .where('id', '=', id)
    .where(inScope(scope, { region: 'approval.region_code' }))
    .forUpdate()
    .executeTakeFirst() as Promise<ApprovalRecord | undefined>
}

export function latestForSubject(db: Executor, scope: DataScope, kind: string, subjectId: string): Promise<ApprovalRecord | undefined> {
  return db
    .selectFrom('approval')
    .selectAll()
    .where('subject_kind', '=', kind)
    .where('subject_id', '=', subjectId)
    .where(inScope(scope, { region: 'approval.region_code' }))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst() as Promise<ApprovalRecord | undefined>
}

export async function updateState(
  trx: Transaction<Database>,
  a: { provinceCode: string; id: string },
  v: { status: ApprovalStatus; step: number; stepLevel: StepLevel | null; stepPermission: string | null; round: number; version: number; decidedAt: Date | null; now: Date },
): Promise<void> {
  await trx
    .updateTable('approval')
    .set({
      status: v.status,
      current_step: v.step,
      step_level: v.stepLevel,
      step_permission: v.stepPermission,
      round: v.round,
      version: v.version,
      decided_at: v.decidedAt,
      updated_at: v.now,
    })
    .where('province_code', '=', a.provinceCode)
    .where('id', '=', a.id)
    .execute()
}

export async function insertAction(
  trx: Transaction<Database>,
  v: { provinceCode: string; approvalId: string; seq: number; round: number; step: number; actorId: string; actorName: string; decision: ApprovalActionKind; opinion: string | null },
): Promise<void> {
  await trx
    .insertInto('approval_action')
    .values({
      province_code: v.provinceCode,
      approval_id: v.approvalId,
      seq: v.seq,
      round: v.round,
      step: v.step,
      actor_id: v.actorId,
      actor_name: v.actorName,
      decision: v.decision,
      opinion: v.opinion,
    })
    .execute()
}

export function listActions(db: Executor, a: { provinceCode: string; id: string }): Promise<ActionRecord[]> {
  return db
    .selectFrom('approval_action')
    .select(['seq', 'round', 'step', 'actor_id', 'actor_name', 'decision', 'opinion', 'at'])
    .where('province_code', '=', a.provinceCode)
    .where('approval_id', '=', a.id)
    .orderBy('seq')
    .execute()
}

/** The steps other than `step` that this user decided on this approval (four eyes per step). */
export async function decidedOtherStep(db: Executor, a: { provinceCode: string; id: string }, userId: string, step: number): Promise<boolean> {
  const row = await db
    .selectFrom('approval_action')
    .select('seq')
    .where('province_code', '=', a.provinceCode)
    .where('approval_id', '=', a.id)
    .where('actor_id', '=', userId)
    .where('step', '<>', step)
    .where('decision', 'in', ['approve', 'return', 'reject'])
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}

/**
 * The work list: pending approvals in scope whose current step is at `level` and needs one
 * of `permissions`, that this user neither made nor decided another step of. Oldest first.
 */
export function listPending(
  db: Executor,
  scope: DataScope,
  f: { userId: string; level: StepLevel; permissions: string[]; after?: { createdAt: Date; id: string }; limit: number },
): Promise<ApprovalRecord[]> {
  if (f.permissions.length === 0) return Promise.resolve([])
  let q = db
    .selectFrom('approval as a')
    .selectAll('a')
    .where('a.status', '=', 'pending')
    .where('a.step_level', '=', f.level)
    .where('a.step_permission', 'in', f.permissions)
    .where(inScope(scope, { region: 'a.region_code' }))
    .where('a.maker_id', '<>', f.userId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('approval_action as x')
            .select('x.seq')
            .whereRef('x.province_code', '=', 'a.province_code')
            .whereRef('x.approval_id', '=', 'a.id')
            .where('x.actor_id', '=', f.userId)
            .whereRef('x.step', '<>', 'a.current_step')
            .where('x.decision', 'in', ['approve', 'return', 'reject']),
        ),
      ),
    )
  if (f.after) q = q.where(sql<boolean>`(a.created_at, a.id) > (${f.after.createdAt}, ${f.after.id}::uuid)`)
  return q.orderBy('a.created_at').orderBy('a.id').limit(f.limit).execute() as Promise<ApprovalRecord[]>
}

/** A stored policy as the policies page lists it: who set it, and whether it is in force for its own prefix. */
export type PolicyListRecord = PolicyRecord & {
  created_at: Date
  created_by: string | null
  created_by_name: string | null
  /** 'future': dated after today; 'current': the latest in force for its kind and prefix; 'superseded': replaced by a later one */
  status: 'current' | 'future' | 'superseded'
}

/**
 * The stored policies a scope may read: those set for a prefix inside the scope, and those set
 * for a prefix above it (national, the scope's province or city), which apply inside it.
 * Newest effective date first, then by id (the keyset).
 */
export function listPolicies(
  db: Executor,
  scope: DataScope,
  f: { kind?: string; today: string; after?: { effectiveFrom: string; id: string }; limit: number },
): Promise<PolicyListRecord[]> {
  const own = scope.regionPrefix
  const above = own === '' ? [] : ['', own.slice(0, 2), own.slice(0, 4)].filter((x, i, all) => x.length < own.length && all.indexOf(x) === i)
  let q = db
    .selectFrom('approval_policy as p')
    .leftJoin('app_user as u', 'u.id', 'p.created_by')
    .select(['p.id', 'p.subject_kind', 'p.region_prefix', 'p.steps', 'p.effective_from', 'p.created_at', 'p.created_by', 'u.display_name as created_by_name'])
    .select(
      sql<'current' | 'future' | 'superseded'>`CASE
        WHEN p.effective_from > ${f.today}::date THEN 'future'
        WHEN EXISTS (
          SELECT 1 FROM approval_policy q
          WHERE q.subject_kind = p.subject_kind AND q.region_prefix = p.region_prefix
            AND q.effective_from > p.effective_from AND q.effective_from <= ${f.today}::date
        ) THEN 'superseded'
        ELSE 'current' END`.as('status'),
    )
  if (own !== '') {
    q = q.where((eb) => eb.or([eb('p.region_prefix', 'like', `${own}%`), ...(above.length ? [eb('p.region_prefix', 'in', above)] : [])]))
  }
  if (f.kind) q = q.where('p.subject_kind', '=', f.kind)
  if (f.after) q = q.where(sql<boolean>`(p.effective_from, p.id) < (${f.after.effectiveFrom}::date, ${f.after.id}::uuid)`)
  return q.orderBy('p.effective_from', 'desc').orderBy('p.id', 'desc').limit(f.limit).execute() as Promise<PolicyListRecord[]>
}
