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
