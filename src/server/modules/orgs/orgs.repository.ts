import { sql } from 'kysely'
import type { Database, Kysely, Transaction } from '../../db/database.ts'
import { type DataScope, inScope } from '../../platform/scope.ts'
import type { OrgLevel } from './orgs.tables.ts'
import { containing } from '../../platform/like.ts'

type Executor = Kysely<Database> | Transaction<Database>

export interface OrgRecord {
  id: string
  /** null at the top of the caller's view, even when the organisation has a parent they cannot see */
  parent_id: string | null
  parent_name: string | null
  /** The parent whatever the scope: for rules (sibling names), never for output. */
  real_parent_id: string | null
  name: string
  type: string
  level: OrgLevel
  region_code: string | null
  region_name: string | null
  province_code: string
  industry: string | null
  active: boolean
  child_count: number
}

const scoped = (scope: DataScope, alias: 'o' | 'c' | 'p') => inScope(scope, { region: `${alias}.region_code`, industry: `${alias}.industry` })

/** The organisations in scope, before any decoration: the part that decides which rows and in what order. */
function scopedOrgs(db: Executor, scope: DataScope) {
  return db.selectFrom('org as o').selectAll('o').where(scoped(scope, 'o'))
}

/**
 * Adds the region name, the visible parent and the count of visible children to the rows
 * `rows` selected. It runs over the page only, whatever plan the page itself gets, so a
 * county union with a thousand grassroots unions does not count grandchildren for every one.
 */
function decorate(db: Executor, scope: DataScope, rows: ReturnType<typeof scopedOrgs>) {
  return db
    .selectFrom(rows.as('o'))
    .leftJoin('region as r', 'r.code', 'o.region_code')
    .select(['o.id', 'o.parent_id as real_parent_id', 'o.name', 'o.type', 'o.level', 'o.region_code', 'r.name as region_name', 'o.province_code', 'o.industry', 'o.active'])
    // The parent only when the caller may see it: a county user must not learn of the city body above.
    .select(sql<string | null>`(SELECT p.id FROM org p WHERE p.id = o.parent_id AND ${scoped(scope, 'p')})`.as('parent_id'))
    .select(sql<string | null>`(SELECT p.name FROM org p WHERE p.id = o.parent_id AND ${scoped(scope, 'p')})`.as('parent_name'))
    // OFFSET 0 keeps the scope filter out of the inner query, so children are found by the parent
    // index: pushed in, the county prefix tempted the planner to the region index instead.
    .select(
      sql<number>`(SELECT count(*)::int FROM (SELECT c.region_code, c.industry FROM org c WHERE c.parent_id = o.id OFFSET 0) c WHERE ${scoped(scope, 'c')})`.as(
        'child_count',
      ),
    )
}

export function findInScope(db: Executor, scope: DataScope, id: string): Promise<OrgRecord | undefined> {
  return decorate(db, scope, scopedOrgs(db, scope).where('o.id', '=', id)).executeTakeFirst()
}

export interface OrgListFilter {
  parentId?: string
  q?: string
  after?: { name: string; id: string }
  limit: number
}

export function list(db: Executor, scope: DataScope, f: OrgListFilter): Promise<OrgRecord[]> {
  let q = scopedOrgs(db, scope)
  if (f.parentId) {
    q = q.where('o.parent_id', '=', f.parentId)
  } else if (!f.q) {
    // The tops of the visible forest: organisations whose parent the caller cannot see.
    q = q.where((eb) =>
      eb.or([
        eb('o.parent_id', 'is', null),
        eb.not(eb.exists(eb.selectFrom('org as p').select('p.id').whereRef('p.id', '=', 'o.parent_id').where(scoped(scope, 'p')))),
      ]),
    )
  }
  if (f.q) {
    const like = containing(f.q)
    q = q.where('o.name', 'like', like)
  }
  if (f.after) q = q.where(sql<boolean>`(o.name, o.id) > (${f.after.name}, ${f.after.id}::uuid)`)
  const page = q.orderBy('o.name').orderBy('o.id').limit(f.limit)
  return decorate(db, scope, page).orderBy('o.name').orderBy('o.id').execute()
}

export async function count(db: Executor, scope: DataScope): Promise<number> {
  const row = await db
    .selectFrom('org as o')
    .select((eb) => eb.fn.countAll<bigint>().as('n'))
    .where(scoped(scope, 'o'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function countActiveChildren(db: Executor, id: string): Promise<number> {
  const row = await db
    .selectFrom('org')
    .select((eb) => eb.fn.countAll<bigint>().as('n'))
    .where('parent_id', '=', id)
    .where('active', '=', true)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function lockForUpdate(trx: Transaction<Database>, id: string): Promise<void> {
  await trx.selectFrom('org').select('id').where('id', '=', id).forUpdate().execute()
}

export async function insert(
  trx: Transaction<Database>,
  values: { parentId: string | null; name: string; type: string; level: OrgLevel; regionCode: string | null; industry: string | null },
): Promise<string> {
  const { id } = await trx
    .insertInto('org')
    .values({
      parent_id: values.parentId,
      name: values.name,
      type: values.type,
      level: values.level,
      region_code: values.regionCode,
      province_code: values.regionCode ? values.regionCode.slice(0, 2) : '00',
      industry: values.industry,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

export async function update(trx: Transaction<Database>, id: string, patch: Partial<{ name: string; industry: string | null; active: boolean }>): Promise<void> {
  await trx.updateTable('org').set({ ...patch, updated_at: new Date() }).where('id', '=', id).execute()
}

export async function existsSiblingName(db: Executor, parentId: string | null, name: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom('org').select('id').where('name', '=', name)
  q = parentId === null ? q.where('parent_id', 'is', null) : q.where('parent_id', '=', parentId)
  if (exceptId) q = q.where('id', '!=', exceptId)
  return (await q.executeTakeFirst()) !== undefined
}
