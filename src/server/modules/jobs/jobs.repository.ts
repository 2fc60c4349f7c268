import { type Selectable, sql } from 'kysely'
import type { Database, Kysely, Transaction } from '../../db/database.ts'
import { type DataScope, inScope } from '../../platform/scope.ts'
import type { JobTable } from './jobs.tables.ts'

type Executor = Kysely<Database> | Transaction<Database>

/** A job row as read back: jsonb columns parsed, int8 as bigint. */
export type JobRecord = Selectable<JobTable>

export async function insert(
  trx: Transaction<Database>,
  values: { kind: string; regionCode: string | null; createdBy: string | null; params: unknown; total: bigint | null },
): Promise<string> {
  const row = await trx
    .insertInto('job')
    .values({
      kind: values.kind,
      status: 'queued',
      region_code: values.regionCode,
      province_code: values.regionCode ? values.regionCode.slice(0, 2) : '00',
      created_by: values.createdBy,
      params: JSON.stringify(values.params ?? {}),
      checkpoint: null,
      progress_total: values.total,
      result: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export function findInScope(db: Executor, scope: DataScope, id: string): Promise<JobRecord | undefined> {
  return db.selectFrom('job').selectAll().where('id', '=', id).where(inScope(scope, { region: 'job.region_code' })).executeTakeFirst() as Promise<JobRecord | undefined>
}

export function listInScope(db: Executor, scope: DataScope, f: { after?: { createdAt: Date; id: string }; limit: number }): Promise<JobRecord[]> {
  let q = db.selectFrom('job').selectAll().where(inScope(scope, { region: 'job.region_code' }))
  if (f.after) q = q.where(sql<boolean>`(created_at, id) < (${f.after.createdAt}, ${f.after.id}::uuid)`)
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute() as Promise<JobRecord[]>
}

/** Puts back in the queue the jobs whose runner stopped beating: it died, and the job resumes from its checkpoint. */
export async function requeueStale(db: Executor, staleBefore: Date): Promise<number> {
  const result = await db
    .updateTable('job')
    .set({ status: 'queued', lease: null })
    .where('status', '=', 'running')
    .where('heartbeat_at', '<', staleBefore)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

/** Claims the oldest queued job of the given kinds under a new lease. */
export async function claimNext(db: Executor, kinds: string[], lease: string, now: Date): Promise<JobRecord | undefined> {
  if (kinds.length === 0) return undefined
  const { rows } = await sql<JobRecord>`
    UPDATE job SET status = 'running', lease = ${lease}::uuid, attempts = attempts + 1,
                   started_at = coalesce(started_at, ${now}), heartbeat_at = ${now}
    WHERE id = (
      SELECT id FROM job WHERE status = 'queued' AND kind IN (${sql.join(kinds)})
      ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED
    )
    RETURNING *`.execute(db)
  return rows[0]
}

/** Saves progress (and the checkpoint) while the lease holds; false when the job was taken away. */
export async function saveProgress(
  db: Executor,
  id: string,
  lease: string,
  p: { done: bigint; total?: bigint | null; checkpoint?: unknown; now: Date },
): Promise<boolean> {
  const result = await db
    .updateTable('job')
    .set({
      progress_done: p.done,
      ...(p.total !== undefined ? { progress_total: p.total } : {}),
      ...(p.checkpoint !== undefined ? { checkpoint: JSON.stringify(p.checkpoint) } : {}),
      heartbeat_at: p.now,
    })
    .where('id', '=', id)
    .where('lease', '=', lease)
    .where('status', '=', 'running')
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function isCancelRequested(db: Executor, id: string): Promise<boolean> {
  const row = await db.selectFrom('job').select('cancel_requested').where('id', '=', id).executeTakeFirst()
  return row?.cancel_requested ?? true
}

export async function finish(
  db: Executor,
  id: string,
  lease: string,
  outcome: { status: 'succeeded' | 'failed' | 'cancelled'; result?: unknown; error?: string; now: Date },
): Promise<boolean> {
  const result = await db
    .updateTable('job')
    .set({
      status: outcome.status,
      result: outcome.result === undefined ? null : JSON.stringify(outcome.result),
      error: outcome.error ?? null,
      finished_at: outcome.now,
      heartbeat_at: outcome.now,
      lease: null,
    })
    .where('id', '=', id)
    .where('lease', '=', lease)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function requestCancel(db: Executor, id: string): Promise<void> {
  await db.updateTable('job').set({ cancel_requested: true }).where('id', '=', id).execute()
  // A job nobody has started yet is cancelled at once.
  await db.updateTable('job').set({ status: 'cancelled', finished_at: new Date() }).where('id', '=', id).where('status', '=', 'queued').execute()
}
