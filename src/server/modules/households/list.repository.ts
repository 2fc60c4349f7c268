import { type RawBuilder, type SqlBool, sql } from 'kysely'
import type { Database, Kysely, Transaction } from '../../db/database.ts'
import { type DataScope, inScope } from '../../platform/scope.ts'

// Lists of household files (issue 3 §8). The only SQL of the list and the export. Every page is
// one statement: the inner query walks one of the indexes of migration 0008 in the sort order,
// filters, and stops after `limit` rows; the outer query only decorates those rows (names of
// region and organisations, member count). See the migration for which index serves what.

type Executor = Kysely<Database> | Transaction<Database>

export type ListSort = 'fileNo' | 'createdAt' | 'perCapita'

export interface ListFilter {
  /** The region prefix to list: already the intersection of the caller's scope and the region filter. */
  regionPrefix: string
  status?: string
  hardshipType?: string
  /** primary or secondary cause */
  cause?: string
  group?: number
  batch?: string
  helperOrgId?: string
  orgId?: string
  /** one character: the head's surname; more: a prefix of any member's name (the head or anyone else) */
  name?: string
  /** a prefix of the file number */
  fileNo?: string
  paired?: boolean
}

export interface ListOrder {
  sort: ListSort
  desc: boolean
  /** the sort key of the last row of the previous page, as `keyOf` gave it */
  after?: readonly string[]
  limit: number
}

export interface ListRow {
  id: string
  file_no: string
  region_code: string
  region_name: string
  org_id: string
  org_name: string
  head_name: string
  member_count: number
  /** the head's sealed ID number, shown masked */
  head_id_sealed: string | null
  status: string
  hardship_type: string | null
  per_capita_monthly_fen: string | null
  target_groups: number[]
  batches: string[]
  primary_cause: string | null
  helper_org_id: string | null
  helper_org_name: string | null
  helper_person: string | null
  last_visit_on: string | null
  created_at: Date
  /** the sort key parts beyond the row's visible fields, exact (microseconds, the coalesced figure) */
  created_key: string
  per_capita_key: string
}

/** Unclassified files (no per-capita figure) sort as this: last ascending, first descending. */
export const PER_CAPITA_NULL_KEY = '9223372036854775807'
const perCapitaKey = sql`coalesce(h.per_capita_monthly_fen, 9223372036854775807)`
// Microseconds, so the cursor names the row exactly (a JS Date would round to milliseconds).
const createdKey = sql`to_char(h.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`

/** The cursor parts of each sort, in order. */
export function keyOf(sort: ListSort, row: ListRow): string[] {
  switch (sort) {
    case 'fileNo':
      return [row.region_code, row.file_no, row.id]
    case 'createdAt':
      return [row.created_key, row.id]
    case 'perCapita':
      return [row.per_capita_key, row.id]
  }
}

/** The sort columns as SQL, and the keyset comparison against the cursor. */
function ordering(order: ListOrder): { columns: RawBuilder<unknown>[]; after: RawBuilder<SqlBool> | null } {
  const op = order.desc ? sql.raw('<') : sql.raw('>')
  const a = order.after
  switch (order.sort) {
    case 'fileNo':
      return {
        columns: [sql`h.region_code`, sql`h.file_no`, sql`h.id`],
        after: a ? sql<SqlBool>`(h.region_code, h.file_no, h.id) ${op} (${a[0]}, ${a[1]}, ${a[2]}::uuid)` : null,
      }
    case 'createdAt':
      return {
        columns: [sql`h.created_at`, sql`h.id`],
        after: a ? sql<SqlBool>`(h.created_at, h.id) ${op} (${a[0]}::timestamptz, ${a[1]}::uuid)` : null,
      }
    case 'perCapita':
      return {
        columns: [perCapitaKey, sql`h.id`],
        after: a ? sql<SqlBool>`(${perCapitaKey}, h.id) ${op} (${a[0]}::bigint, ${a[1]}::uuid)` : null,
      }
  }
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`)

function conditions(scope: DataScope, f: ListFilter): RawBuilder<SqlBool>[] {
  // The region filter, only where it narrows the scope: a predicate repeated in another form
  // makes the planner multiply the two selectivities as if independent, estimate a province at a
  // few dozen rows, and sort the whole province instead of walking an index in order.
  const prefix = f.regionPrefix
  if (!prefix.startsWith(scope.regionPrefix)) throw new Error('list: the region filter lies outside the scope')
  const c: RawBuilder<SqlBool>[] = []
  if (prefix.length === 6) {
    // A county: an equality, so (region_code, key, id) is walked in key order. It stands for the
    // scope's region prefix (the code lies inside it, checked above): beside the scope's own
    // `LIKE '410102%'` a county case worker's list was sorted from the wrong index (7 ms instead
    // of 0.4 at 3 M households, growing with the county).
    c.push(inScope({ ...scope, regionPrefix: '' }, { region: 'h.region_code' }), sql<SqlBool>`h.region_code = ${prefix}`)
  } else {
    c.push(inScope(scope, { region: 'h.region_code' }))
  }
  if (prefix.length !== 6 && prefix.length > scope.regionPrefix.length) {
    c.push(sql<SqlBool>`h.region_code LIKE ${`${prefix}%`}`)
  }
  if (f.status !== undefined) c.push(sql<SqlBool>`h.status = ${f.status}`)
  if (f.hardshipType !== undefined) c.push(sql<SqlBool>`h.hardship_type = ${f.hardshipType}`)
  // @> (not = ANY): the form a GIN index serves and the planner estimates from the arrays' element statistics
  if (f.cause !== undefined) c.push(sql<SqlBool>`(h.primary_cause = ${f.cause} OR h.secondary_causes @> ARRAY[${f.cause}]::text[])`)
  if (f.group !== undefined) c.push(sql<SqlBool>`h.target_groups @> ARRAY[${f.group}]::smallint[]`)
  if (f.batch !== undefined) c.push(sql<SqlBool>`h.batches @> ARRAY[${f.batch}]::text[]`)
  if (f.helperOrgId !== undefined) c.push(sql<SqlBool>`h.helper_org_id = ${f.helperOrgId}::uuid`)
  if (f.orgId !== undefined) c.push(sql<SqlBool>`h.org_id = ${f.orgId}::uuid`)
  if (f.paired === true) c.push(sql<SqlBool>`h.helper_org_id IS NOT NULL`)
  if (f.paired === false) c.push(sql<SqlBool>`h.helper_org_id IS NULL`)
  if (f.fileNo !== undefined) c.push(sql<SqlBool>`h.file_no LIKE ${`${escapeLike(f.fileNo)}%`}`)
  if (f.name !== undefined && [...f.name].length === 1) {
    // One character is a surname: the heads' surnames, through (left(head_name, 1), region_code,
    // file_no, id) (migration 0012), walked in file-number order in any scope. Matching every
    // member instead read all members with that surname in the nation (89,000 for 张 at 3 million
    // households) and probed each one's household: 330 ms at province scope.
    c.push(sql<SqlBool>`left(h.head_name, 1) = ${f.name}`)
  } else if (f.name !== undefined) {
    // Two characters or more (a full name, a compound surname): any member, head or not. Inside a
    // province the member index is read from (name, province) only: the scope's region_code LIKE
    // does not tell the planner which province_code the members have.
    const province = prefix.length >= 2 ? sql<SqlBool>` AND m.province_code = ${prefix.slice(0, 2)}` : sql<SqlBool>``
    c.push(
      sql<SqlBool>`EXISTS (SELECT 1 FROM household_member m WHERE m.name LIKE ${`${escapeLike(f.name)}%`}${province} AND m.province_code = h.province_code AND m.household_id = h.id)`,
    )
  }
  return c
}

/**
 * One page of households in scope, in the order asked, after the cursor. Meant to run without
 * parallel workers, as the application's connections do (engine.ts): a page stops after `limit`
 * rows, and starting workers (Gather Merge) cost 10–20 ms where the walk itself costs 1–7.
 */
export async function listHouseholds(db: Executor, scope: DataScope, f: ListFilter, order: ListOrder): Promise<ListRow[]> {
  const where = conditions(scope, f)
  const { columns, after } = ordering(order)
  if (after) where.push(after)
  const dir = order.desc ? sql.raw(' DESC') : sql.raw('')
  const orderBy = sql.join(
    columns.map((col) => sql`${col}${dir}`),
    sql`, `,
  )
  // The outer ORDER BY repeats the inner one on the inner query's output columns.
  const outerOrder = sql.join(
    (order.sort === 'fileNo' ? ['region_code', 'file_no', 'id'] : order.sort === 'createdAt' ? ['created_at', 'id'] : ['per_capita_sort', 'id']).map(
      (col) => sql`p.${sql.raw(col)}${dir}`,
    ),
    sql`, `,
  )
  // Names are looked up per row of the page (51 primary-key probes), never joined: a join lets the
  // planner hash whole tables (org has millions of rows at national scale) for a 51-row page.
  const { rows } = await sql<ListRow>`
    SELECT p.id, p.file_no, p.region_code,
           coalesce((SELECT coalesce(pr.name, '') || r.name FROM region r LEFT JOIN region pr ON pr.code = r.parent_code AND pr.level = 'city'
                     WHERE r.code = p.region_code), p.region_code) AS region_name,
           p.org_id, coalesce((SELECT o.name FROM org o WHERE o.id = p.org_id), '') AS org_name, p.head_name,
           (SELECT count(*)::int FROM household_member m WHERE m.province_code = p.province_code AND m.household_id = p.id) AS member_count,
           (SELECT m.id_number_sealed FROM household_member m WHERE m.province_code = p.province_code AND m.household_id = p.id AND m.relation = 'head' LIMIT 1) AS head_id_sealed,
           p.status, p.hardship_type, p.per_capita_monthly_fen::text AS per_capita_monthly_fen,
           p.target_groups, p.batches, p.primary_cause,
           p.helper_org_id, (SELECT o.name FROM org o WHERE o.id = p.helper_org_id) AS helper_org_name, p.helper_person, p.last_visit_on,
           p.created_at, p.created_key, p.per_capita_sort::text AS per_capita_key
    FROM (
      SELECT h.province_code, h.id, h.file_no, h.region_code, h.org_id, h.head_name, h.status, h.hardship_type,
             h.per_capita_monthly_fen, h.target_groups, h.batches, h.primary_cause, h.helper_org_id, h.helper_person,
             h.last_visit_on, h.created_at, ${createdKey} AS created_key, ${perCapitaKey} AS per_capita_sort
      FROM household h
      WHERE ${sql.join(where, sql` AND `)}
      ORDER BY ${orderBy}
      LIMIT ${order.limit}
    ) p
    ORDER BY ${outerOrder}
  `.execute(db)
  return rows
}

/** How many households match, counting no further than `max` (an index walk that stops there). */
export async function countUpTo(db: Executor, scope: DataScope, f: ListFilter, max: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM (SELECT 1 FROM household h WHERE ${sql.join(conditions(scope, f), sql` AND `)} LIMIT ${max}) x
  `.execute(db)
  return rows[0]!.n
}
