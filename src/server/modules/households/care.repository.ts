import { type SqlBool, sql } from 'kysely'
import type { Database, Kysely, Transaction } from '../../db/database.ts'
import { type DataScope, inScope } from '../../platform/scope.ts'
import { onFileStatuses } from './codes.ts'
import type { Batch, MeasureStatus } from './households.tables.ts'

// The SQL of a household's care: plan and measures, pairing (一帮一), visits (走访). The
// household itself is always found through the caller's scope first (households.repository.ts).

type Executor = Kysely<Database> | Transaction<Database>

const scoped = (scope: DataScope) => inScope(scope, { region: 'h.region_code' })

/**
 * The scope narrowed to a region prefix the service has checked lies within it: one prefix
 * condition instead of two, which the planner estimates (and indexes) far better.
 */
function narrowed(scope: DataScope, regionPrefix: string): DataScope {
  if (!regionPrefix.startsWith(scope.regionPrefix)) throw new Error('region prefix outside the scope')
  return { ...scope, regionPrefix }
}

/** On file, written as literals so the planner can match the partial index of migration 0011. */
const onFile = sql<SqlBool>`h.status IN (${sql.join(onFileStatuses.map((s) => sql.lit(s)))})`

/** The day an instant falls on in China (UTC+8 all year), in SQL, as chinaDate() does in code. */
const chinaDay = (column: string) => sql<string>`((${sql.ref(column)} AT TIME ZONE 'UTC') + interval '8 hours')::date`

/** The day a household came on file: verified, else (set on file by other means) filed. */
const onFileSince = sql<string>`coalesce(${chinaDay('h.verified_at')}, ${chinaDay('h.created_at')})`

export interface CareFacts {
  helper_org_id: string | null
  helper_org_name: string | null
  helper_person: string | null
  paired_on: string | null
  last_visit_on: string | null
  on_file_since: string
  filed_on: string
  version: number
}

/** What the care panels need beyond the household record, for a household already found in scope. */
export function careFacts(db: Executor, provinceCode: string, householdId: string): Promise<CareFacts | undefined> {
  return db
    .selectFrom('household as h')
    .leftJoin('org as o', 'o.id', 'h.helper_org_id')
    .select(['h.helper_org_id', 'o.name as helper_org_name', 'h.helper_person', 'h.paired_on', 'h.last_visit_on', 'h.version'])
    .select(onFileSince.as('on_file_since'))
    .select(chinaDay('h.created_at').as('filed_on'))
    .where('h.province_code', '=', provinceCode)
    .where('h.id', '=', householdId)
    .executeTakeFirst()
}

// ---- measures ----

export interface MeasureRecord {
  id: string
  episode: number
  batch: Batch
  target: string
  responsible: string
  due_on: string
  status: MeasureStatus
  outcome: string | null
  created_by: string | null
  created_at: Date
  updated_at: Date
  version: number
}

const measureColumns = ['id', 'episode', 'batch', 'target', 'responsible', 'due_on', 'status', 'outcome', 'created_by', 'created_at', 'updated_at', 'version'] as const

/** The plan of every episode, the current (latest) episode first, then by due date. */
export function measuresOf(db: Executor, provinceCode: string, householdId: string): Promise<MeasureRecord[]> {
  return db
    .selectFrom('household_measure')
    .select(measureColumns)
    .where('province_code', '=', provinceCode)
    .where('household_id', '=', householdId)
    .orderBy('episode', 'desc')
    .orderBy('due_on')
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

export function findMeasure(db: Executor, provinceCode: string, householdId: string, measureId: string): Promise<MeasureRecord | undefined> {
  return db
    .selectFrom('household_measure')
    .select(measureColumns)
    .where('province_code', '=', provinceCode)
    .where('household_id', '=', householdId)
    .where('id', '=', measureId)
    .executeTakeFirst()
}

export function insertMeasure(
  trx: Transaction<Database>,
  v: { provinceCode: string; householdId: string; episode: number; batch: Batch; target: string; responsible: string; dueOn: string; status: MeasureStatus; outcome: string | null; createdBy: string | null },
): Promise<MeasureRecord> {
  return trx
    .insertInto('household_measure')
    .values({
      province_code: v.provinceCode,
      household_id: v.householdId,
      episode: v.episode,
      batch: v.batch,
      target: v.target,
      responsible: v.responsible,
      due_on: v.dueOn,
      status: v.status,
      outcome: v.outcome,
      created_by: v.createdBy,
    })
    .returning(measureColumns)
    .executeTakeFirstOrThrow()
}

/** Writes the change only if the row is still at `version`; undefined when it is not (or is gone). */
export function updateMeasure(
  trx: Transaction<Database>,
  key: { provinceCode: string; householdId: string; id: string; version: number },
  patch: { status: MeasureStatus; outcome: string | null },
): Promise<MeasureRecord | undefined> {
  return trx
    .updateTable('household_measure')
    .set({ status: patch.status, outcome: patch.outcome, updated_at: new Date(), version: sql<number>`version + 1` })
    .where('province_code', '=', key.provinceCode)
    .where('household_id', '=', key.householdId)
    .where('id', '=', key.id)
    .where('version', '=', key.version)
    .returning(measureColumns)
    .executeTakeFirst()
}

// ---- pairing ----

export async function setPairing(
  trx: Transaction<Database>,
  key: { provinceCode: string; householdId: string },
  v: { helperOrgId: string; helperPerson: string; pairedOn: string },
): Promise<void> {
  await trx
    .updateTable('household')
    .set({ helper_org_id: v.helperOrgId, helper_person: v.helperPerson, paired_on: v.pairedOn, updated_at: new Date() })
    .where('province_code', '=', key.provinceCode)
    .where('id', '=', key.householdId)
    .execute()
}

export interface CoverageRow {
  org_id: string
  org_name: string | null
  on_file: number
  paired: number
}

/**
 * Pairing coverage per filing organisation over the households on file whose county starts
 * with `regionPrefix` (already checked to lie within the scope, which is narrowed to it).
 * One grouped pass: the grouping runs on household alone, the names are joined to the groups.
 * Migration 0011 adds a partial index (region_code, org_id) INCLUDE
 * (helper_org_id, helper_person) WHERE on file, so this is an index-only scan of the region.
 */
export function coverage(db: Executor, scope: DataScope, regionPrefix: string): Promise<CoverageRow[]> {
  const grouped = db
    .selectFrom('household as h')
    .select('h.org_id')
    .select(sql<number>`count(*)::int`.as('on_file'))
    .select(sql<number>`count(*) FILTER (WHERE h.helper_org_id IS NOT NULL AND h.helper_person IS NOT NULL)::int`.as('paired'))
    .where(onFile)
    .where(scoped(narrowed(scope, regionPrefix)))
    .groupBy('h.org_id')
  return db
    .selectFrom(grouped.as('g'))
    .leftJoin('org as o', 'o.id', 'g.org_id')
    .select(['g.org_id', 'o.name as org_name', 'g.on_file', 'g.paired'])
    .orderBy('o.name')
    .orderBy('g.org_id')
    .execute()
}

// ---- visits ----

export interface VisitRecord {
  id: string
  visited_on: string
  visitor: string
  findings: string
  follow_up: string | null
  created_by: string | null
  created_at: Date
}

const visitColumns = ['id', 'visited_on', 'visitor', 'findings', 'follow_up', 'created_by', 'created_at'] as const

export function visitsOf(db: Executor, provinceCode: string, householdId: string): Promise<VisitRecord[]> {
  return db
    .selectFrom('household_visit')
    .select(visitColumns)
    .where('province_code', '=', provinceCode)
    .where('household_id', '=', householdId)
    .orderBy('visited_on', 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute()
}

export function insertVisit(
  trx: Transaction<Database>,
  v: { provinceCode: string; householdId: string; visitedOn: string; visitor: string; findings: string; followUp: string | null; createdBy: string | null },
): Promise<VisitRecord> {
  return trx
    .insertInto('household_visit')
    .values({
      province_code: v.provinceCode,
      household_id: v.householdId,
      visited_on: v.visitedOn,
      visitor: v.visitor,
      findings: v.findings,
      follow_up: v.followUp,
      created_by: v.createdBy,
    })
    .returning(visitColumns)
    .executeTakeFirstOrThrow()
}

/** last_visit_on only moves forward: an older visit entered late does not hide a newer one. */
export async function noteVisit(trx: Transaction<Database>, provinceCode: string, householdId: string, visitedOn: string): Promise<string> {
  const row = await trx
    .updateTable('household')
    .set({ last_visit_on: sql<string>`greatest(last_visit_on, ${visitedOn}::date)`, updated_at: new Date() })
    .where('province_code', '=', provinceCode)
    .where('id', '=', householdId)
    .returning('last_visit_on')
    .executeTakeFirstOrThrow()
  return row.last_visit_on!
}

export interface OverdueRow {
  id: string
  file_no: string
  head_name: string
  region_code: string
  region_name: string | null
  status: string
  last_visit_on: string | null
  reference_on: string
  helper_person: string | null
}

/**
 * Households on file in scope (and under `regionPrefix`) whose reference day — the last visit,
 * else the day on file — lies before `cutoff` (visits.ts overdueCutoff), the longest unvisited
 * first; keyset on (reference day, id).
 */
export function overdue(
  db: Executor,
  scope: DataScope,
  f: { regionPrefix: string; cutoff: string; after?: { referenceOn: string; id: string }; limit: number },
): Promise<OverdueRow[]> {
  const reference = sql<string>`coalesce(h.last_visit_on, ${onFileSince})`
  const page = db
    .selectFrom('household as h')
    .select(['h.id', 'h.file_no', 'h.head_name', 'h.region_code', 'h.status', 'h.last_visit_on', 'h.helper_person'])
    .select(reference.as('reference_on'))
    .where(onFile)
    .where(scoped(narrowed(scope, f.regionPrefix)))
    .where(sql<SqlBool>`${reference} < ${f.cutoff}::date`)
    .$if(f.after !== undefined, (q) => q.where(sql<SqlBool>`(${reference}, h.id) > (${f.after!.referenceOn}::date, ${f.after!.id}::uuid)`))
    .orderBy(reference)
    .orderBy('h.id')
    .limit(f.limit)
  // the region names only for the page
  return db
    .selectFrom(page.as('p'))
    .leftJoin('region as r', 'r.code', 'p.region_code')
    .select(['p.id', 'p.file_no', 'p.head_name', 'p.region_code', 'r.name as region_name', 'p.status', 'p.last_visit_on', 'p.reference_on', 'p.helper_person'])
    .orderBy('p.reference_on')
    .orderBy('p.id')
    .execute()
}

export interface WorkloadRow {
  status: string
  households: number
  unpaired: number
  overdue: number
}

/**
 * The workbench's household figures in one grouped pass over the scope: files per status, and of
 * those on file, how many lack a helper and how many are overdue for a visit (reference day before
 * `cutoff`, visits.ts overdueCutoff).
 */
export async function workload(db: Executor, scope: DataScope, cutoff: string): Promise<WorkloadRow[]> {
  const reference = sql<string>`coalesce(h.last_visit_on, ${onFileSince})`
  return db
    .selectFrom('household as h')
    .where(scoped(scope))
    .groupBy('h.status')
    .select([
      'h.status',
      sql<number>`count(*)::int`.as('households'),
      sql<number>`(count(*) FILTER (WHERE ${onFile} AND (h.helper_org_id IS NULL OR h.helper_person IS NULL)))::int`.as('unpaired'),
      sql<number>`(count(*) FILTER (WHERE ${onFile} AND ${reference} < ${cutoff}::date))::int`.as('overdue'),
    ])
    .execute()
}
