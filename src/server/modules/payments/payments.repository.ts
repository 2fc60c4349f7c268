import { type RawBuilder, sql } from 'kysely'
import type { Database, Kysely, Transaction } from '../../db/database.ts'
import { isUniqueViolation } from '../../platform/errors.ts'
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
      // a supervision scan of the cycle queued or running (the last approval waits for it)
      sql<boolean>`EXISTS (SELECT 1 FROM job j WHERE j.status IN ('queued', 'running') AND j.kind = 'payments.scan' AND j.params->>'cycleId' = c.id::text)`.as('scanning'),
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

/** Cycles by id whatever the scope, in one query: for the approvals inbox's labels. */
export function findCycles(db: Executor, ids: readonly string[]): Promise<CycleRow[]> {
  return cycleQuery(db).where('c.id', 'in', [...ids]).execute()
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
 * One chunk of a households cycle: the next `limit` households of the region after `afterId` in id
 * order are walked, and every one on file that the programme's rule admits and its formula pays becomes
 * a line, numbered on from `lineBase`. One statement walks and writes (no separate range query), and it
 * is a plain INSERT … SELECT: a resumed chunk never meets its own lines (its transaction either
 * committed with the checkpoint or left nothing). Should a household already be paid for this
 * programme and period by another cycle — or by this one, generated again — the unique index refuses
 * the chunk, and it is done again with ON CONFLICT DO NOTHING under a savepoint, which waits for a
 * concurrent writer and skips what it wrote (leaving gaps in the numbering).
 * Answers how many households were walked (0: the region is done), the last one, and the lines.
 */
export async function insertHouseholdLines(
  trx: Transaction<Database>,
  c: { provinceCode: string; cycleId: string; programmeId: string; period: string; regionPrefix: string },
  afterId: string | null,
  limit: number,
  rule: RawBuilder<boolean>,
  amount: RawBuilder<bigint>,
  lineBase: number,
): Promise<{ walked: number; lastId: string | null; inserted: number; lastLineNo: number }> {
  const after = afterId ?? '00000000-0000-0000-0000-000000000000'
  // A province-wide cycle needs no region test: every household of the province is in it (so the walk
  // reads the primary key alone).
  const inRegion = c.regionPrefix === c.provinceCode ? sql`true` : sql`h.region_code LIKE ${`${c.regionPrefix}%`}`
  const statement = (onConflict: boolean) => sql<{ walked: number; last_id: string | null; payable: number; inserted: number }>`
    WITH walked AS (
      SELECT h.id, h.region_code, h.file_no, h.head_name, h.bank_name, h.bank_account_sealed, h.bank_account_index, h.hardship_type,
             (h.status IN ('verified', 'reverifying') AND ${rule}) AS eligible, ${amount} AS amount_fen
      FROM household h
      WHERE h.province_code = ${c.provinceCode} AND ${inRegion} AND h.id > ${after}::uuid
      ORDER BY h.id LIMIT ${limit}::int
    ), inserted AS (
      INSERT INTO payment_line (province_code, cycle_id, line_no, household_id, programme_id, for_period, region_code, file_no, payee_name, bank_name, bank_account_sealed, bank_account_index, amount_fen, basis)
      SELECT ${c.provinceCode}, ${c.cycleId}::uuid, ${lineBase}::int + row_number() OVER (ORDER BY id), id, ${c.programmeId}::uuid, ${c.period}, region_code, file_no, head_name, bank_name, bank_account_sealed, bank_account_index, amount_fen,
             jsonb_build_object('hardshipType', hardship_type)
      FROM walked WHERE eligible AND amount_fen > 0
      ${onConflict ? sql`ON CONFLICT (province_code, programme_id, for_period, household_id) WHERE status <> 'failed' DO NOTHING` : sql``}
      RETURNING 1
    )
    SELECT count(*)::int AS walked, count(*) FILTER (WHERE eligible AND amount_fen > 0)::int AS payable,
           (SELECT id FROM walked ORDER BY id DESC LIMIT 1) AS last_id, (SELECT count(*)::int FROM inserted) AS inserted
    FROM walked`
  const answer = (row: { walked: number; last_id: string | null; payable: number; inserted: number }) => ({
    walked: row.walked,
    lastId: row.last_id,
    inserted: row.inserted,
    lastLineNo: lineBase + row.payable,
  })
  await sql`SAVEPOINT generate_chunk`.execute(trx)
  try {
    const r = await statement(false).execute(trx)
    await sql`RELEASE SAVEPOINT generate_chunk`.execute(trx)
    return answer(r.rows[0]!)
  } catch (err) {
    if (!isUniqueViolation(err, 'payment_line_once_uq')) throw err
    await sql`ROLLBACK TO SAVEPOINT generate_chunk`.execute(trx)
  }
  const r = await statement(true).execute(trx)
  return answer(r.rows[0]!)
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

/**
 * Every line's number and status, what a bank results file is checked against, read in pages of
 * `pageSize`: on PGlite one query at a time serves every request, and a million-line read in one
 * statement would hold it for seconds. `between` runs after each page (a job gives way there).
 */
export async function lineStatuses(db: Executor, provinceCode: string, cycleId: string, pageSize = 50_000, between: () => Promise<void> = async () => {}): Promise<{ line_no: number; status: 'pending' | 'paid' | 'failed' }[]> {
  const out: { line_no: number; status: 'pending' | 'paid' | 'failed' }[] = []
  for (let after = 0; ; await between()) {
    const rows = await db
      .selectFrom('payment_line')
      .select(['line_no', 'status'])
      .where('province_code', '=', provinceCode)
      .where('cycle_id', '=', cycleId)
      .where('line_no', '>', after)
      .orderBy('line_no')
      .limit(pageSize)
      .execute()
    out.push(...rows)
    if (rows.length < pageSize) return out
    after = rows.at(-1)!.line_no
  }
}

/**
 * Settles pending lines from a bank's results (a line already settled is left alone, so a repeat
 * settles nothing twice); paid entitlements are marked paid. Answers the sums actually settled.
 */
export async function settleLines(
  trx: Transaction<Database>,
  provinceCode: string,
  cycleId: string,
  rows: readonly { lineNo: number; paid: boolean; reason: string | null; serial: string | null }[],
): Promise<{ paidCount: number; paidFen: bigint; failedCount: number; failedFen: bigint }> {
  if (rows.length === 0) return { paidCount: 0, paidFen: 0n, failedCount: 0, failedFen: 0n }
  const values = sql.join(rows.map((r) => sql`(${r.lineNo}::int, ${r.paid}::boolean, ${r.reason}::text, ${r.serial}::text)`))
  const updated = await sql<{ status: 'paid' | 'failed'; amount_fen: string; entitlement_id: string | null }>`
    UPDATE payment_line l SET status = CASE WHEN v.paid THEN 'paid' ELSE 'failed' END, fail_reason = v.reason, bank_serial = v.serial, settled_at = now()
    FROM (VALUES ${values}) AS v(line_no, paid, reason, serial)
    WHERE l.province_code = ${provinceCode} AND l.cycle_id = ${cycleId}::uuid AND l.line_no = v.line_no AND l.status = 'pending'
    RETURNING l.status, l.amount_fen::text, l.entitlement_id`.execute(trx)
  const paidEntitlements = updated.rows.filter((r) => r.status === 'paid' && r.entitlement_id).map((r) => r.entitlement_id!)
  if (paidEntitlements.length) await trx.updateTable('entitlement').set({ status: 'paid' }).where('province_code', '=', provinceCode).where('id', 'in', paidEntitlements).execute()
  const sum = (s: 'paid' | 'failed') => updated.rows.filter((r) => r.status === s).reduce((t, r) => t + BigInt(r.amount_fen), 0n)
  return {
    paidCount: updated.rows.filter((r) => r.status === 'paid').length,
    paidFen: sum('paid'),
    failedCount: updated.rows.filter((r) => r.status === 'failed').length,
    failedFen: sum('failed'),
  }
}

/** What the ledger holds for a cycle: reserved, paid out and returned, from its entries. */
export async function ledgerOfCycle(db: Executor, cycleId: string) {
  const r = await db
    .selectFrom('ledger_entry')
    .select([
      sql<string>`coalesce(sum(amount_fen) FILTER (WHERE kind = 'reserve'), 0)::text`.as('reserved'),
      sql<string>`coalesce(sum(amount_fen) FILTER (WHERE kind = 'payment'), 0)::text`.as('paid'),
      sql<string>`coalesce(sum(amount_fen) FILTER (WHERE kind = 'return'), 0)::text`.as('returned'),
    ])
    .where('ref_kind', '=', 'payment_cycle')
    .where('ref_id', '=', cycleId)
    .executeTakeFirstOrThrow()
  return { reservedFen: BigInt(r.reserved), paidFen: BigInt(r.paid), returnedFen: BigInt(r.returned) }
}

// ---------------------------------------------------------------- supervision flags

export interface ScanOptions {
  /** the programme's yearly cap per household, or null */
  capFen: bigint | null
  /** the programme's eligibility as SQL over household h (households-basis lines are re-checked), or null */
  rule: RawBuilder<boolean> | null
  /** false when the cycle's fund type may not pay the programme's kind */
  fundMayPay: boolean
  /** the paying organisation's region prefix */
  regionPrefix: string
  /** only lines with afterLineNo < line_no <= lastLineNo (the whole cycle when absent) */
  range?: { afterLineNo: number; lastLineNo: number }
}

/**
 * Scans a cycle's lines (not failed), or one range of them, and records a flag per finding; a finding
 * already flagged is left as it is (the unique key), so a scan may run again, and ranges may be scanned
 * one after another in separate transactions. Every check is a join the planner may start from the
 * range's lines: for a small range it walks the indexes (the cost of a range does not grow with the
 * cycle), for a whole cycle it hashes.
 * Answers the number of new flags by kind.
 */
export async function scanCycle(trx: Transaction<Database>, c: { province_code: string; id: string; programme_id: string; period: string; fund_type: string }, o: ScanOptions): Promise<Record<string, number>> {
  const found: Record<string, number> = {}
  const insert = async (kind: string, select: RawBuilder<unknown>) => {
    const r = await sql<{ n: number }>`
      WITH found AS (${select}), ins AS (
        INSERT INTO payment_flag (province_code, kind, cycle_id, line_no, household_id, region_code, details)
        SELECT ${c.province_code}, ${kind}, ${c.id}::uuid, line_no, household_id, region_code, details FROM found
        ON CONFLICT (province_code, kind, cycle_id, line_no) DO NOTHING RETURNING 1
      ) SELECT count(*)::int AS n FROM ins`.execute(trx)
    found[kind] = r.rows[0]?.n ?? 0
  }
  const inRange = o.range ? sql`AND line_no > ${o.range.afterLineNo}::int AND line_no <= ${o.range.lastLineNo}::int` : sql``
  const range = sql`(SELECT * FROM payment_line WHERE province_code = ${c.province_code} AND cycle_id = ${c.id}::uuid AND status <> 'failed' ${inRange})`
  const lines = sql`${range} l`
  // a payment to a household that has exited or been removed
  await insert(
    'ended_household',
    sql`SELECT l.line_no, l.household_id, l.region_code, jsonb_build_object('status', h.status, 'endedAt', h.ended_at, 'endReason', h.end_reason) AS details
        FROM ${lines} JOIN household h ON h.province_code = l.province_code AND h.id = l.household_id
        WHERE h.status IN ('exited', 'removed')`,
  )
  // one person (by ID number) in two households paid for the same programme and period (for a small
  // range the planner walks the indexes from the range's lines; for a whole cycle it hashes)
  await insert(
    'person_twice',
    sql`SELECT DISTINCT ON (l.line_no) l.line_no, l.household_id, l.region_code,
               jsonb_build_object('otherHouseholdId', l2.household_id, 'otherFileNo', l2.file_no, 'otherCycleId', l2.cycle_id) AS details
        FROM ${lines}
        JOIN household_member m ON m.province_code = l.province_code AND m.household_id = l.household_id
        JOIN household_member m2 ON m2.id_number_index = m.id_number_index AND m2.household_id <> m.household_id
        JOIN payment_line l2 ON l2.province_code = m2.province_code AND l2.household_id = m2.household_id
             AND l2.programme_id = l.programme_id AND l2.for_period = l.for_period AND l2.status <> 'failed'
        ORDER BY l.line_no, l2.household_id`,
  )
  // more than the programme's yearly cap paid to a household this year (lines of every cycle, not failed)
  if (o.capFen !== null) {
    const year = c.period.slice(0, 4)
    await insert(
      'over_cap',
      sql`SELECT l.line_no, l.household_id, l.region_code, jsonb_build_object('paidThisYearFen', t.total::text, 'capFen', ${o.capFen.toString()}::text, 'year', ${year}::text) AS details
          FROM ${lines}
          JOIN (SELECT x.household_id, sum(x.amount_fen) AS total FROM payment_line x
                WHERE x.province_code = ${c.province_code} AND x.programme_id = ${c.programme_id}::uuid AND x.status <> 'failed' AND left(x.for_period, 4) = ${year}
                  AND x.household_id IN (SELECT r.household_id FROM ${range} r)
                GROUP BY x.household_id) t ON t.household_id = l.household_id
          WHERE t.total > ${o.capFen.toString()}::bigint`,
    )
  }
  // one bank account on lines of different households of this cycle
  await insert(
    'shared_account',
    sql`SELECT l.line_no, l.household_id, l.region_code, jsonb_build_object('households', s.households) AS details
        FROM ${lines}
        JOIN (SELECT x.bank_account_index, count(DISTINCT x.household_id) AS households FROM payment_line x
              WHERE x.province_code = ${c.province_code} AND x.cycle_id = ${c.id}::uuid AND x.status <> 'failed'
                AND x.bank_account_index IN (SELECT r.bank_account_index FROM ${range} r WHERE r.bank_account_index IS NOT NULL)
              GROUP BY x.bank_account_index HAVING count(DISTINCT x.household_id) > 1) s ON s.bank_account_index = l.bank_account_index`,
  )
  // funds used outside the programme's scope: a fund that may not pay this kind of programme, a
  // household outside the paying organisation's region, or one on file that no longer meets the rule
  const prefix = `${o.regionPrefix}%`
  const ineligible = o.rule ? sql<boolean>`(l.entitlement_id IS NULL AND h.status IN ('verified', 'reverifying') AND NOT coalesce(${o.rule}, false))` : sql<boolean>`false`
  const outsideRegion = sql<boolean>`(l.region_code NOT LIKE ${prefix} OR h.region_code NOT LIKE ${prefix})`
  await insert(
    'outside_scope',
    sql`SELECT l.line_no, l.household_id, l.region_code,
               jsonb_build_object('reasons', to_jsonb(array_remove(ARRAY[
                   CASE WHEN ${!o.fundMayPay}::boolean THEN 'fund_use' END,
                   CASE WHEN ${outsideRegion} THEN 'region' END,
                   CASE WHEN ${ineligible} THEN 'ineligible' END], NULL)),
                 'fundType', ${c.fund_type}::text, 'programmeKind', g.kind, 'payerRegion', ${o.regionPrefix}::text, 'householdRegion', h.region_code, 'householdRegionName', r.name) AS details
        FROM ${lines}
        JOIN household h ON h.province_code = l.province_code AND h.id = l.household_id
        JOIN programme g ON g.id = l.programme_id
        LEFT JOIN region r ON r.code = h.region_code
        WHERE ${!o.fundMayPay}::boolean OR ${outsideRegion} OR ${ineligible}`,
  )
  return found
}

/** The highest line number of a cycle (0 when it has none). */
export async function maxLineNo(db: Executor, provinceCode: string, cycleId: string): Promise<number> {
  const r = await db.selectFrom('payment_line').select((eb) => eb.fn.max('line_no').as('m')).where('province_code', '=', provinceCode).where('cycle_id', '=', cycleId).executeTakeFirst()
  return Number(r?.m ?? 0)
}

export function listFlagsInScope(db: Executor, scope: DataScope, f: { id?: string; status?: string; kind?: string; cycleId?: string; before?: { detectedAt: string; id: string }; limit: number }) {
  let q = db
    .selectFrom('payment_flag as f')
    .innerJoin('payment_cycle as c', (j) => j.onRef('c.province_code', '=', 'f.province_code').onRef('c.id', '=', 'f.cycle_id'))
    .innerJoin('programme as g', 'g.id', 'c.programme_id')
    .innerJoin('household as h', (j) => j.onRef('h.province_code', '=', 'f.province_code').onRef('h.id', '=', 'f.household_id'))
    .leftJoin('app_user as u', 'u.id', 'f.decided_by')
    .select([
      'f.province_code',
      'f.id',
      'f.kind',
      'f.cycle_id',
      'c.period',
      'g.name_zh as programme_name_zh',
      'g.name_en as programme_name_en',
      'f.line_no',
      'f.household_id',
      'h.file_no',
      'h.head_name',
      'f.region_code',
      'f.details',
      'f.status',
      'f.note',
      'u.display_name as decided_by_name',
      'f.decided_at',
      'f.detected_at',
    ])
    .where(inScope(scope, { region: 'f.region_code' }))
  if (f.id) q = q.where('f.id', '=', f.id)
  if (f.status) q = q.where('f.status', '=', f.status as 'open')
  if (f.kind) q = q.where('f.kind', '=', f.kind as 'over_cap')
  if (f.cycleId) q = q.where('f.cycle_id', '=', f.cycleId)
  if (f.before) q = q.where(sql<boolean>`(f.detected_at, f.id) < (${f.before.detectedAt}::timestamptz, ${f.before.id}::uuid)`)
  return q.orderBy('f.detected_at', 'desc').orderBy('f.id', 'desc').limit(f.limit).execute()
}

export type FlagRow = Awaited<ReturnType<typeof listFlagsInScope>>[number]

export function lockFlagInScope(trx: Transaction<Database>, scope: DataScope, id: string) {
  return trx.selectFrom('payment_flag as f').select(['f.province_code', 'f.id', 'f.status', 'f.region_code', 'f.kind', 'f.cycle_id']).where('f.id', '=', id).where(inScope(scope, { region: 'f.region_code' })).forUpdate().executeTakeFirst()
}

export async function decideFlag(trx: Transaction<Database>, f: { province_code: string; id: string }, status: 'acknowledged' | 'resolved', note: string, by: string | null): Promise<void> {
  await trx.updateTable('payment_flag').set({ status, note, decided_by: by, decided_at: new Date() }).where('province_code', '=', f.province_code).where('id', '=', f.id).execute()
}
