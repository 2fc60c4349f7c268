import { type Insertable, sql } from 'kysely'
import type { Database, Kysely, Transaction } from '../../db/database.ts'
import { type DataScope, inScope } from '../../platform/scope.ts'
import type { ApplicationStatus } from '../applications/applications.tables.ts'
import type { EntitlementTable, PostingItemStatus, PostingItemTable, PostingKind, PostingTable } from './postings.tables.ts'

// The only SQL of the postings module.

type Executor = Kysely<Database> | Transaction<Database>

// ---------------------------------------------------------------- candidates

/** Approved applications of programmes that need posting, not yet posted, in the scope; oldest first. */
export function applicationCandidates(db: Executor, scope: DataScope, regionPrefix: string, limit: number) {
  return db
    .selectFrom('application as a')
    .innerJoin('household as h', (j) => j.onRef('h.province_code', '=', 'a.province_code').onRef('h.id', '=', 'a.household_id'))
    .innerJoin('programme as g', 'g.id', 'a.programme_id')
    .select(['a.id', 'h.file_no', 'h.head_name', 'h.region_code', 'g.name_zh', 'g.name_en', 'g.posting_days', 'a.period', 'a.amount_fen', 'a.updated_at'])
    .where('a.status', '=', 'approved')
    .where('g.posting_required', '=', true)
    .where(inScope(scope, { region: 'h.region_code' }))
    .where('h.region_code', 'like', `${regionPrefix}%`)
    .orderBy('a.updated_at')
    .orderBy('a.id')
    .limit(limit)
    .execute()
}

/** Files in the given status whose current episode has no posting of this kind yet, in the scope; oldest change first. */
export function householdCandidates(db: Executor, scope: DataScope, regionPrefix: string, kind: PostingKind, status: 'verified' | 'exited', limit: number) {
  return db
    .selectFrom('household as h')
    .select(['h.id', 'h.file_no', 'h.head_name', 'h.region_code', 'h.end_reason', 'h.hardship_type', 'h.updated_at'])
    .where('h.status', '=', status)
    .where(inScope(scope, { region: 'h.region_code' }))
    .where('h.region_code', 'like', `${regionPrefix}%`)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('posting_item as i')
            .select(sql`1`.as('one'))
            .whereRef('i.province_code', '=', 'h.province_code')
            .where('i.subject_kind', '=', kind)
            .whereRef('i.subject_id', '=', 'h.id')
            .whereRef('i.episode', '=', 'h.episode'),
        ),
      ),
    )
    .orderBy('h.updated_at')
    .orderBy('h.id')
    .limit(limit)
    .execute()
}

// ---------------------------------------------------------------- subjects, locked

/** An application to post, locked, with what its posting item shows (only masked later by the service). */
export function lockApplication(trx: Transaction<Database>, scope: DataScope, id: string) {
  return trx
    .selectFrom('application as a')
    .innerJoin('household as h', (j) => j.onRef('h.province_code', '=', 'a.province_code').onRef('h.id', '=', 'a.household_id'))
    .innerJoin('programme as g', 'g.id', 'a.programme_id')
    .select([
      'a.province_code',
      'a.id',
      'a.household_id',
      'a.programme_id',
      'a.status',
      'a.version',
      'a.period',
      'a.amount_fen',
      'a.request',
      'a.created_by',
      'a.programme_code',
      'h.region_code',
      'h.episode',
      'g.name_zh',
      'g.name_en',
      'g.posting_required',
      'g.posting_days',
    ])
    .where('a.id', '=', id)
    .where(inScope(scope, { region: 'h.region_code' }))
    .forUpdate(['a'])
    .executeTakeFirst()
}

export type LockedApplication = NonNullable<Awaited<ReturnType<typeof lockApplication>>>

export async function setApplicationStatus(trx: Transaction<Database>, a: { province_code: string; id: string; version: number }, status: ApplicationStatus): Promise<void> {
  await trx.updateTable('application').set({ status, version: a.version + 1, updated_at: new Date() }).where('province_code', '=', a.province_code).where('id', '=', a.id).execute()
}

/** A household to post, locked. */
export function lockHousehold(trx: Transaction<Database>, scope: DataScope, id: string) {
  return trx
    .selectFrom('household as h')
    .select(['h.province_code', 'h.id', 'h.region_code', 'h.status', 'h.episode', 'h.head_name', 'h.end_reason', 'h.created_by'])
    .where('h.id', '=', id)
    .where(inScope(scope, { region: 'h.region_code' }))
    .forUpdate()
    .executeTakeFirst()
}

/** The sealed ID numbers and names of a household's members (the head first), to mask at publication. */
export function membersForMasking(db: Executor, provinceCode: string, householdId: string) {
  return db
    .selectFrom('household_member')
    .select(['id', 'name', 'relation', 'id_number_sealed'])
    .where('province_code', '=', provinceCode)
    .where('household_id', '=', householdId)
    .orderBy(sql`relation = 'head'`, 'desc')
    .orderBy('created_at')
    .execute()
}

// ---------------------------------------------------------------- postings

export function insertPosting(trx: Transaction<Database>, values: Insertable<PostingTable>) {
  return trx.insertInto('posting').values(values).returning('id').executeTakeFirstOrThrow()
}

export async function insertItems(trx: Transaction<Database>, values: Insertable<PostingItemTable>[]): Promise<void> {
  if (values.length > 0) await trx.insertInto('posting_item').values(values).execute()
}

function postingQuery(db: Executor) {
  return db
    .selectFrom('posting as p')
    .innerJoin('org as o', 'o.id', 'p.org_id')
    .leftJoin('app_user as u', 'u.id', 'p.created_by')
    .select([
      'p.province_code',
      'p.id',
      'p.org_id',
      'o.name as org_name',
      'p.region_code',
      'p.kind',
      'p.title',
      'p.starts_on',
      'p.ends_on',
      'p.status',
      'p.item_count',
      'p.created_by',
      'u.display_name as created_by_name',
      'p.created_at',
      'p.closed_at',
      sql<number>`(SELECT count(*)::int FROM posting_item i WHERE i.province_code = p.province_code AND i.posting_id = p.id AND i.status = 'objected')`.as('objected_count'),
    ])
}

export type PostingRow = Awaited<ReturnType<ReturnType<typeof postingQuery>['executeTakeFirstOrThrow']>>

export function findPostingInScope(db: Executor, scope: DataScope, id: string): Promise<PostingRow | undefined> {
  return postingQuery(db).where('p.id', '=', id).where(inScope(scope, { region: 'p.region_code' })).executeTakeFirst()
}

/** Postings in the scope, newest first, keyset on (created_at, id). */
export function listPostingsInScope(db: Executor, scope: DataScope, f: { status?: 'open' | 'closed'; objected?: boolean; before?: { createdAt: string; id: string }; limit: number }) {
  let q = postingQuery(db).where(inScope(scope, { region: 'p.region_code' }))
  if (f.status) q = q.where('p.status', '=', f.status)
  if (f.objected)
    q = q.where(({ exists, selectFrom }) =>
      exists(selectFrom('posting_item as i').select(sql`1`.as('one')).whereRef('i.province_code', '=', 'p.province_code').whereRef('i.posting_id', '=', 'p.id').where('i.status', '=', 'objected')),
    )
  if (f.before) q = q.where(sql<boolean>`(p.created_at, p.id) < (${f.before.createdAt}::timestamptz, ${f.before.id}::uuid)`)
  return q.orderBy('p.created_at', 'desc').orderBy('p.id', 'desc').limit(f.limit).execute()
}

export function itemsOf(db: Executor, provinceCode: string, postingId: string) {
  return db
    .selectFrom('posting_item as i')
    .leftJoin('region as r', 'r.code', 'i.region_code')
    .select([
      'i.id',
      'i.seq',
      'i.subject_kind',
      'i.subject_id',
      'i.household_id',
      'i.region_code',
      'r.name as region_name',
      'i.masked_name',
      'i.masked_id',
      'i.detail_zh',
      'i.detail_en',
      'i.amount_fen',
      'i.status',
      'i.resolved_at',
      'i.resolution',
    ])
    .where('i.province_code', '=', provinceCode)
    .where('i.posting_id', '=', postingId)
    .orderBy('i.seq')
    .execute()
}

export function objectionsOf(db: Executor, provinceCode: string, postingId: string) {
  return db
    .selectFrom('posting_objection as b')
    .leftJoin('app_user as u', 'u.id', 'b.resolved_by')
    .select(['b.id', 'b.item_id', 'b.content', 'b.source_ip', 'b.user_agent', 'b.created_at', 'b.status', 'b.resolved_at', 'b.resolution', 'u.display_name as resolved_by_name'])
    .where('b.province_code', '=', provinceCode)
    .where('b.posting_id', '=', postingId)
    .orderBy('b.created_at')
    .execute()
}

/** A posting item and its posting, locked, if its posting is in the scope. */
export function lockItem(trx: Transaction<Database>, scope: DataScope | null, postingId: string, itemId: string) {
  let q = trx
    .selectFrom('posting_item as i')
    .innerJoin('posting as p', (j) => j.onRef('p.province_code', '=', 'i.province_code').onRef('p.id', '=', 'i.posting_id'))
    .select([
      'i.province_code',
      'i.id',
      'i.posting_id',
      'i.subject_kind',
      'i.subject_id',
      'i.household_id',
      'i.episode',
      'i.region_code',
      'i.status',
      'p.status as posting_status',
      'p.starts_on',
      'p.ends_on',
    ])
    .where('i.id', '=', itemId)
    .where('i.posting_id', '=', postingId)
  if (scope) q = q.where(inScope(scope, { region: 'i.region_code' }))
  return q.forUpdate(['i']).executeTakeFirst()
}

export type LockedItem = NonNullable<Awaited<ReturnType<typeof lockItem>>>

export async function setItemStatus(trx: Transaction<Database>, item: { province_code: string; id: string }, status: PostingItemStatus, resolution?: { by: string | null; text: string }): Promise<void> {
  await trx
    .updateTable('posting_item')
    .set({ status, ...(resolution ? { resolved_by: resolution.by, resolved_at: new Date(), resolution: resolution.text } : {}) })
    .where('province_code', '=', item.province_code)
    .where('id', '=', item.id)
    .execute()
}

export function insertObjection(trx: Transaction<Database>, values: { province_code: string; posting_id: string; item_id: string; content: string; source_ip: string; user_agent: string | null }) {
  return trx.insertInto('posting_objection').values(values).returning(['id', 'created_at']).executeTakeFirstOrThrow()
}

/** Objections lodged from one source against one item in the last hour: the second, per-item limit. */
export async function recentObjectionsFrom(trx: Transaction<Database>, item: { province_code: string; id: string }, sourceIp: string): Promise<number> {
  const r = await trx
    .selectFrom('posting_objection')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('province_code', '=', item.province_code)
    .where('item_id', '=', item.id)
    .where('source_ip', '=', sourceIp)
    .where(sql<boolean>`created_at > now() - interval '1 hour'`)
    .executeTakeFirstOrThrow()
  return r.n
}

export async function resolveObjections(trx: Transaction<Database>, item: { province_code: string; id: string }, status: 'dismissed' | 'upheld', by: string, resolution: string): Promise<number> {
  const r = await trx
    .updateTable('posting_objection')
    .set({ status, resolved_by: by, resolved_at: new Date(), resolution })
    .where('province_code', '=', item.province_code)
    .where('item_id', '=', item.id)
    .where('status', '=', 'open')
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}

/** Items under objection in the scope, of the given kinds: the reviewers' waiting work. */
export async function countObjected(db: Executor, scope: DataScope, kinds: readonly PostingKind[]): Promise<number> {
  if (kinds.length === 0) return 0
  const r = await db
    .selectFrom('posting_item as i')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('i.status', '=', 'objected')
    .where('i.subject_kind', 'in', [...kinds])
    .where(inScope(scope, { region: 'i.region_code' }))
    .executeTakeFirstOrThrow()
  return r.n
}

// ---------------------------------------------------------------- closing

/** Open postings whose last day is before `today`, oldest first: what the clock closes. */
export function endedPostings(db: Executor, today: string, limit: number) {
  return db.selectFrom('posting').select(['province_code', 'id']).where('status', '=', 'open').where('ends_on', '<', today).orderBy('ends_on').orderBy('id').limit(limit).execute()
}

export function lockPosting(trx: Transaction<Database>, provinceCode: string, id: string) {
  return trx.selectFrom('posting').select(['province_code', 'id', 'status', 'ends_on', 'region_code']).where('province_code', '=', provinceCode).where('id', '=', id).forUpdate().executeTakeFirst()
}

export function postedItems(trx: Transaction<Database>, provinceCode: string, postingId: string) {
  return trx
    .selectFrom('posting_item')
    .select(['province_code', 'id', 'subject_kind', 'subject_id', 'household_id', 'episode', 'region_code'])
    .where('province_code', '=', provinceCode)
    .where('posting_id', '=', postingId)
    .where('status', '=', 'posted')
    .orderBy('seq')
    .forUpdate()
    .execute()
}

export async function closePosting(trx: Transaction<Database>, provinceCode: string, id: string): Promise<void> {
  await trx.updateTable('posting').set({ status: 'closed', closed_at: new Date() }).where('province_code', '=', provinceCode).where('id', '=', id).execute()
}

export async function insertEntitlement(trx: Transaction<Database>, values: Insertable<EntitlementTable>): Promise<void> {
  await trx.insertInto('entitlement').values(values).onConflict((c) => c.columns(['province_code', 'application_id']).doNothing()).execute()
}

// ---------------------------------------------------------------- public

/** Open postings whose period includes `today`, published in a region (by prefix) or posting items of it, newest first. Only masked columns leave here. */
export function publicPostings(db: Executor, regionPrefix: string, today: string, limit: number) {
  return db
    .selectFrom('posting as p')
    .innerJoin('org as o', 'o.id', 'p.org_id')
    .leftJoin('region as r', 'r.code', 'p.region_code')
    .select(['p.id', 'p.kind', 'p.title', 'o.name as org_name', 'p.region_code', 'r.name as region_name', 'p.starts_on', 'p.ends_on', 'p.item_count'])
    .where('p.status', '=', 'open')
    .where('p.starts_on', '<=', today)
    .where('p.ends_on', '>=', today)
    // A region sees what its own organisations posted and what an organisation above posted about it.
    .where(({ or, eb, exists, selectFrom }) =>
      regionPrefix === ''
        ? eb.val(true)
        : or([
            eb('p.region_code', 'like', `${regionPrefix}%`),
            exists(
              selectFrom('posting_item as i')
                .select(sql`1`.as('one'))
                .whereRef('i.province_code', '=', 'p.province_code')
                .whereRef('i.posting_id', '=', 'p.id')
                .where('i.region_code', 'like', `${regionPrefix}%`),
            ),
          ]),
    )
    .orderBy('p.starts_on', 'desc')
    .orderBy('p.id')
    .limit(limit)
    .execute()
}

export function publicPosting(db: Executor, id: string, today: string) {
  return db
    .selectFrom('posting as p')
    .innerJoin('org as o', 'o.id', 'p.org_id')
    .leftJoin('region as r', 'r.code', 'p.region_code')
    .select(['p.province_code', 'p.id', 'p.kind', 'p.title', 'o.name as org_name', 'p.region_code', 'r.name as region_name', 'p.starts_on', 'p.ends_on', 'p.item_count'])
    .where('p.id', '=', id)
    .where('p.status', '=', 'open')
    .where('p.starts_on', '<=', today)
    .where('p.ends_on', '>=', today)
    .executeTakeFirst()
}

export function publicItems(db: Executor, provinceCode: string, postingId: string) {
  return db
    .selectFrom('posting_item as i')
    .leftJoin('region as r', 'r.code', 'i.region_code')
    .select(['i.id', 'i.seq', 'r.name as region_name', 'i.masked_name', 'i.masked_id', 'i.detail_zh', 'i.detail_en', 'i.amount_fen'])
    .where('i.province_code', '=', provinceCode)
    .where('i.posting_id', '=', postingId)
    .orderBy('i.seq')
    .execute()
}
