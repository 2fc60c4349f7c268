import { type RawBuilder, sql } from 'kysely'
import type { Database, Kysely, Transaction } from '../../db/database.ts'
import { type DataScope, inScope } from '../../platform/scope.ts'
import type { CycleStatus } from './payments.tables.ts'

// The only SQL of the payments module.

type Executor = Kysely<Database> | Transaction<Database>

function cycleQuery(db: Executor) {
  return db
    .selectFrom('payment_cycle as c')
    .innerJoin('org as o', 'o.id', 'c.org_id')
    .innerJoin('programme as g', 'g.id', 'c.programme_id')
    .leftJoin('app_user as u', 'u.id', 'c.created_by')
    .select([
      'c.province_code',
      'c.id',
      'c.org_id',
      'o.name as org_name',
      'c.region_code',
      'c.programme_id',
      'c.programme_code',
      'g.name_zh as programme_name_zh',
      'g.name_en as programme_name_en',
      'c.fund_type',
      'c.period',
      'c.basis',
      'c.status',
      'c.line_count',
      'c.total_fen',
      'c.paid_count',
      'c.paid_fen',
      'c.failed_count',
      'c.failed_fen',
      'c.job_id',
      'c.approval_id',
      'c.reserve_entry_id',
      'c.created_by',
      'u.display_name as created_by_name',
      'c.created_at',
      'c.updated_at',
      'c.version',
    ])
}

export type CycleRow = Awaited<ReturnType<ReturnType<typeof cycleQuery>['executeTakeFirstOrThrow']>>

export function findCycleInScope(db: Executor, scope: DataScope, id: string): Promise<CycleRow | undefined> {
  return cycleQuery(db).where('c.id', '=', id).where(inScope(scope, { region: 'c.region_code' })).executeTakeFirst()
}

/** A cycle by id whatever the scope: for jobs and approval hooks, whose caller checked the scope. */
export function findCycle(db: Executor, id: string): Promise<CycleRow | undefined> {
  return cycleQuery(db).where('c.id', '=', id).executeTakeFirst()
}

export function listCyclesInScope(db: Executor, scope: DataScope, f: { status?: CycleStatus; programmeId?: string; before?: { createdAt: string; id: string }; limit: number }) {
  let q = cycleQuery(db).where(inScope(scope, { region: 'c.region_code' }))
  if (f.status) q = q.where('c.status', '=', f.status)
  if (f.programmeId) q = q.where('c.programme_id', '=', f.programmeId)
  if (f.before) q = q.where(sql<boolean>`(c.created_at, c.id) < (${f.before.createdAt}::timestamptz, ${f.before.id}::uuid)`)
  return q.orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').limit(f.limit).execute()
}

export function insertCycle(
  trx: Transaction<Database>,
  v: { province_code: string; org_id: string; region_code: string; programme_id: string; programme_code: string; fund_type: string; period: string; basis: 'households' | 'entitlements'; status: CycleStatus; created_by: string | null },
) {
  return trx.insertInto('payment_cycle').values(v).returning('id').executeTakeFirstOrThrow()
}

export function lockCycle(trx: Transaction<Database>, provinceCode: string, id: string) {
  return trx.selectFrom('payment_cycle').selectAll().where('province_code', '=', provinceCode).where('id', '=', id).forUpdate().executeTakeFirst()
}

export type LockedCycle = NonNullable<Awaited<ReturnType<typeof lockCycle>>>

export async function updateCycle(
  trx: Transaction<Database>,
  c: { province_code: string; id: string; version: number },
  patch: Partial<{ status: CycleStatus; job_id: string | null; approval_id: string | null; reserve_entry_id: string | null; line_count: number; total_fen: bigint; paid_count: number; paid_fen: bigint; failed_count: number; failed_fen: bigint }>,
): Promise<void> {
  await trx
    .updateTable('payment_cycle')
    .set({ ...patch, version: c.version + 1, updated_at: new Date() })
    .where('province_code', '=', c.province_code)
    .where('id', '=', c.id)
    .execute()
}

/** The next `limit` household ids of the region after `afterId`, in id order: one generation chunk's range. */
export async function householdRange(db: Executor, provinceCode: string, regionPrefix: string, afterId: string | null, limit: number): Promise<{ last: string | null; count: number }> {
  const rows = await db
    .selectFrom('household')
    .select('id')
    .where('province_code', '=', provinceCode)
    .where('region_code', 'like', `${regionPrefix}%`)
    .$if(afterId !== null, (q) => q.where('id', '>', afterId!))
    .orderBy('id')
    .limit(limit)
    .execute()
  return { last: rows.at(-1)?.id ?? null, count: rows.length }
}

export async function countHouseholds(db: Executor, provinceCode: string, regionPrefix: string): Promise<number> {
  const r = await db
    .selectFrom('household')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('province_code', '=', provinceCode)
    .where('region_code', 'like', `${regionPrefix}%`)
    .executeTakeFirstOrThrow()
  return r.n
}

/**
 * One chunk of a households cycle: every household on file in (afterId, lastId] of the region that the
 * programme's rule admits and its formula pays, as a line; a household already paid for this programme
 * and period (in any cycle) is skipped by the unique index. Answers the highest line number used.
 */
export async function insertHouseholdLines(
  trx: Transaction<Database>,
  c: { provinceCode: string; cycleId: string; programmeId: string; period: string; regionPrefix: string },
  range: { afterId: string | null; lastId: string },
  rule: RawBuilder<boolean>,
  amount: RawBuilder<bigint>,
  lineBase: number,
): Promise<{ inserted: number; lastLineNo: number }> {
  const after = range.afterId ?? '00000000-0000-0000-0000-000000000000'
  const r = await sql<{ inserted: number; last_line: number | null }>`
    WITH candidates AS (
      SELECT h.id, h.region_code, h.file_no, h.head_name, h.bank_name, h.bank_account_sealed, h.bank_account_index, h.hardship_type, ${amount} AS amount_fen,
             ${lineBase}::int + row_number() OVER (ORDER BY h.id) AS line_no
      FROM household h
      WHERE h.province_code = ${c.provinceCode} AND h.region_code LIKE ${`${c.regionPrefix}%`}
        AND h.id > ${after}::uuid AND h.id <= ${range.lastId}::uuid
        AND h.status IN ('verified', 'reverifying') AND ${rule}
    ), inserted AS (
      INSERT INTO payment_line (province_code, cycle_id, line_no, household_id, programme_id, for_period, region_code, file_no, payee_name, bank_name, bank_account_sealed, bank_account_index, amount_fen, basis)
      SELECT ${c.provinceCode}, ${c.cycleId}::uuid, line_no, id, ${c.programmeId}::uuid, ${c.period}, region_code, file_no, head_name, bank_name, bank_account_sealed, bank_account_index, amount_fen,
             jsonb_build_object('hardshipType', hardship_type)
      FROM candidates WHERE amount_fen > 0
      ON CONFLICT (province_code, programme_id, for_period, household_id) WHERE status <> 'failed' DO NOTHING
      RETURNING line_no
    )
    SELECT (SELECT count(*)::int FROM inserted) AS inserted, (SELECT max(line_no)::int FROM candidates) AS last_line`.execute(trx)
  const row = r.rows[0]!
  return { inserted: row.inserted, lastLineNo: row.last_line ?? lineBase }
}

/**
 * Failed lines of earlier cycles of this organisation's programme, paid again in this cycle for their
 * own period (to the household's bank account as it is now), unless paid since. Answers the count.
 */
export async function insertCarriedLines(
  trx: Transaction<Database>,
  c: { provinceCode: string; cycleId: string; programmeId: string; orgId: string },
  lineBase: number,
): Promise<{ inserted: number; lastLineNo: number }> {
  const r = await sql<{ inserted: number; last_line: number | null }>`
    WITH candidates AS (
      SELECT DISTINCT ON (f.household_id, f.for_period) f.household_id, f.for_period, f.cycle_id, f.amount_fen, f.basis,
             h.region_code, h.file_no, h.head_name, h.bank_name, h.bank_account_sealed, h.bank_account_index
      FROM payment_line f
      JOIN payment_cycle pc ON pc.province_code = f.province_code AND pc.id = f.cycle_id
      JOIN household h ON h.province_code = f.province_code AND h.id = f.household_id
      WHERE f.province_code = ${c.provinceCode} AND f.programme_id = ${c.programmeId}::uuid AND f.status = 'failed'
        AND pc.org_id = ${c.orgId}::uuid AND f.cycle_id <> ${c.cycleId}::uuid
        AND h.status IN ('verified', 'reverifying')
      ORDER BY f.household_id, f.for_period, f.cycle_id
    ), numbered AS (
      SELECT *, ${lineBase}::int + row_number() OVER (ORDER BY household_id, for_period) AS line_no FROM candidates
    ), inserted AS (
      INSERT INTO payment_line (province_code, cycle_id, line_no, household_id, programme_id, for_period, carried_from_cycle, region_code, file_no, payee_name, bank_name, bank_account_sealed, bank_account_index, amount_fen, basis)
      SELECT ${c.provinceCode}, ${c.cycleId}::uuid, line_no, household_id, ${c.programmeId}::uuid, for_period, cycle_id, region_code, file_no, head_name, bank_name, bank_account_sealed, bank_account_index, amount_fen, basis
      FROM numbered
      ON CONFLICT (province_code, programme_id, for_period, household_id) WHERE status <> 'failed' DO NOTHING
      RETURNING line_no
    )
    SELECT (SELECT count(*)::int FROM inserted) AS inserted, (SELECT max(line_no)::int FROM numbered) AS last_line`.execute(trx)
  const row = r.rows[0]!
  return { inserted: row.inserted, lastLineNo: row.last_line ?? lineBase }
}

/** The payable entitlements of the programme and period in the region, as lines. */
export async function insertEntitlementLines(
  trx: Transaction<Database>,
  c: { provinceCode: string; cycleId: string; programmeId: string; period: string; regionPrefix: string },
  lineBase: number,
): Promise<{ inserted: number; lastLineNo: number }> {
  const r = await sql<{ inserted: number; last_line: number | null }>`
    WITH candidates AS (
      SELECT e.id AS entitlement_id, e.household_id, e.period, e.amount_fen, e.application_id,
             h.region_code, h.file_no, h.head_name, h.bank_name, h.bank_account_sealed, h.bank_account_index,
             ${lineBase}::int + row_number() OVER (ORDER BY e.id) AS line_no
      FROM entitlement e
      JOIN household h ON h.province_code = e.province_code AND h.id = e.household_id
      WHERE e.province_code = ${c.provinceCode} AND e.programme_id = ${c.programmeId}::uuid AND e.period = ${c.period}
        AND e.status = 'due' AND e.region_code LIKE ${`${c.regionPrefix}%`}
    ), inserted AS (
      INSERT INTO payment_line (province_code, cycle_id, line_no, household_id, programme_id, for_period, entitlement_id, region_code, file_no, payee_name, bank_name, bank_account_sealed, bank_account_index, amount_fen, basis)
      SELECT ${c.provinceCode}, ${c.cycleId}::uuid, line_no, household_id, ${c.programmeId}::uuid, period, entitlement_id, region_code, file_no, head_name, bank_name, bank_account_sealed, bank_account_index, amount_fen,
             jsonb_build_object('applicationId', application_id)
      FROM candidates
      ON CONFLICT DO NOTHING
      RETURNING line_no
    )
    SELECT (SELECT count(*)::int FROM inserted) AS inserted, (SELECT max(line_no)::int FROM candidates) AS last_line`.execute(trx)
  const row = r.rows[0]!
  return { inserted: row.inserted, lastLineNo: row.last_line ?? lineBase }
}

/** The cycle's line count and total, from its lines. */
export async function lineTotals(db: Executor, provinceCode: string, cycleId: string) {
  const r = await db
    .selectFrom('payment_line')
    .select([
      sql<number>`count(*)::int`.as('count'),
      sql<string>`coalesce(sum(amount_fen), 0)::text`.as('total'),
      sql<number>`count(*) FILTER (WHERE status = 'paid')::int`.as('paid_count'),
      sql<string>`coalesce(sum(amount_fen) FILTER (WHERE status = 'paid'), 0)::text`.as('paid'),
      sql<number>`count(*) FILTER (WHERE status = 'failed')::int`.as('failed_count'),
      sql<string>`coalesce(sum(amount_fen) FILTER (WHERE status = 'failed'), 0)::text`.as('failed'),
    ])
    .where('province_code', '=', provinceCode)
    .where('cycle_id', '=', cycleId)
    .executeTakeFirstOrThrow()
  return { count: r.count, totalFen: BigInt(r.total), paidCount: r.paid_count, paidFen: BigInt(r.paid), failedCount: r.failed_count, failedFen: BigInt(r.failed) }
}

/** Removes the lines of a cycle that never reached approval (cancelled or rejected): no money moved. */
export async function deleteLines(trx: Transaction<Database>, provinceCode: string, cycleId: string): Promise<void> {
  await trx.deleteFrom('payment_line').where('province_code', '=', provinceCode).where('cycle_id', '=', cycleId).execute()
}

/** A page of a cycle's lines in line order. */
export function linesPage(db: Executor, provinceCode: string, cycleId: string, f: { afterLineNo?: number; status?: string; limit: number }) {
  let q = db
    .selectFrom('payment_line')
    .select(['line_no', 'household_id', 'for_period', 'entitlement_id', 'carried_from_cycle', 'region_code', 'file_no', 'payee_name', 'bank_name', 'bank_account_sealed', 'amount_fen', 'basis', 'status', 'fail_reason', 'bank_serial', 'settled_at'])
    .where('province_code', '=', provinceCode)
    .where('cycle_id', '=', cycleId)
  if (f.afterLineNo !== undefined) q = q.where('line_no', '>', f.afterLineNo)
  if (f.status) q = q.where('status', '=', f.status as 'pending')
  return q.orderBy('line_no').limit(f.limit).execute()
}

export type LineRow = Awaited<ReturnType<typeof linesPage>>[number]
