import { sql } from 'kysely'
import type { Database, Kysely, Transaction } from '../../db/database.ts'
import { type DataScope, inScope } from '../../platform/scope.ts'
import type { LedgerAccountKind, LedgerEntryKind } from './funds.tables.ts'

// The only SQL of the funds module.

type Executor = Kysely<Database> | Transaction<Database>

/** An organisation as the ledger needs it, if it is in the scope (national bodies only in the national scope). */
export function orgInScope(db: Executor, scope: DataScope, id: string) {
  return db
    .selectFrom('org as o')
    .select(['o.id', 'o.name', 'o.province_code', 'o.region_code', 'o.parent_id', 'o.level'])
    .where('o.id', '=', id)
    .where(inScope(scope, { region: 'o.region_code', industry: 'o.industry' }))
    .executeTakeFirst()
}

export type LedgerOrg = NonNullable<Awaited<ReturnType<typeof orgInScope>>>

/** True when `descendantId` sits anywhere below `ancestorId` in the organisation tree. */
export async function isBelow(db: Executor, ancestorId: string, descendantId: string): Promise<boolean> {
  const r = await sql<{ found: boolean }>`
    WITH RECURSIVE up AS (
      SELECT id, parent_id, 0 AS depth FROM org WHERE id = ${descendantId}
      UNION ALL
      SELECT o.id, o.parent_id, up.depth + 1 FROM org o JOIN up ON o.id = up.parent_id WHERE up.depth < 12
    )
    SELECT EXISTS (SELECT 1 FROM up WHERE id = ${ancestorId} AND depth > 0) AS found`.execute(db)
  return r.rows[0]?.found ?? false
}

/** Creates the account if it does not exist yet; answers its key. */
export async function ensureAccount(
  trx: Transaction<Database>,
  a: { provinceCode: string; orgId: string; regionCode: string | null; fundType: string; kind: LedgerAccountKind; source: string },
): Promise<{ province_code: string; id: string }> {
  await trx
    .insertInto('ledger_account')
    .values({ province_code: a.provinceCode, org_id: a.orgId, region_code: a.regionCode, fund_type: a.fundType, kind: a.kind, source: a.source })
    .onConflict((c) => c.columns(['province_code', 'org_id', 'fund_type', 'kind', 'source']).doNothing())
    .execute()
  return trx
    .selectFrom('ledger_account')
    .select(['province_code', 'id'])
    .where('province_code', '=', a.provinceCode)
    .where('org_id', '=', a.orgId)
    .where('fund_type', '=', a.fundType)
    .where('kind', '=', a.kind)
    .where('source', '=', a.source)
    .executeTakeFirstOrThrow()
}

/** Locks accounts (in the order given: callers sort them, so two postings never wait on each other in a cycle) and reads their balances. */
export async function lockAccounts(trx: Transaction<Database>, keys: readonly { province_code: string; id: string }[]) {
  const rows = []
  for (const k of keys) {
    rows.push(
      await trx
        .selectFrom('ledger_account')
        .select(['province_code', 'id', 'org_id', 'fund_type', 'kind', 'source', 'balance_fen'])
        .where('province_code', '=', k.province_code)
        .where('id', '=', k.id)
        .forUpdate()
        .executeTakeFirstOrThrow(),
    )
  }
  return rows
}

export async function addToBalance(trx: Transaction<Database>, k: { province_code: string; id: string }, delta: bigint): Promise<void> {
  await trx
    .updateTable('ledger_account')
    .set({ balance_fen: sql<bigint>`balance_fen + ${delta.toString()}::bigint` })
    .where('province_code', '=', k.province_code)
    .where('id', '=', k.id)
    .execute()
}

export function insertEntry(
  trx: Transaction<Database>,
  e: {
    province_code: string
    kind: LedgerEntryKind
    org_id: string
    fund_type: string
    amount_fen: bigint
    occurred_on: string
    memo: string | null
    reference: string | null
    ref_kind: string | null
    ref_id: string | null
    reverses_id: string | null
    created_by: string | null
    created_by_name: string
  },
) {
  return trx.insertInto('ledger_entry').values(e).returning(['id', 'created_at']).executeTakeFirstOrThrow()
}

export async function insertLines(
  trx: Transaction<Database>,
  lines: { province_code: string; entry_id: string; seq: number; account_province_code: string; account_id: string; amount_fen: bigint; created_at: Date }[],
): Promise<void> {
  await trx.insertInto('ledger_line').values(lines).execute()
}

/** Entries with their organisation's name and, when reversed, the reversal's id. */
function entryQuery(db: Executor) {
  return db
    .selectFrom('ledger_entry as e')
    .innerJoin('org as o', 'o.id', 'e.org_id')
    .select([
      'e.province_code',
      'e.id',
      'e.kind',
      'e.org_id',
      'o.name as org_name',
      'e.fund_type',
      'e.amount_fen',
      'e.occurred_on',
      'e.memo',
      'e.reference',
      'e.ref_kind',
      'e.ref_id',
      'e.reverses_id',
      'e.created_by_name',
      'e.created_at',
      sql<string | null>`(SELECT r.id::text FROM ledger_entry r WHERE r.province_code = e.province_code AND r.reverses_id = e.id)`.as('reversed_by'),
    ])
}

/** An entry in the scope (by its organisation's region). */
export function entryInScope(db: Executor, scope: DataScope, id: string) {
  return entryQuery(db)
    .where('e.id', '=', id)
    .where(inScope(scope, { region: 'o.region_code', industry: 'o.industry' }))
    .executeTakeFirst()
}

export type EntryRow = NonNullable<Awaited<ReturnType<typeof entryInScope>>>

export function linesOf(db: Executor, provinceCode: string, entryIds: readonly string[]) {
  if (entryIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('ledger_line as l')
    .innerJoin('ledger_account as a', (j) => j.onRef('a.province_code', '=', 'l.account_province_code').onRef('a.id', '=', 'l.account_id'))
    .innerJoin('org as o', 'o.id', 'a.org_id')
    .select(['l.entry_id', 'l.seq', 'l.account_province_code', 'l.account_id', 'a.org_id', 'o.name as org_name', 'a.fund_type', 'a.kind', 'a.source', 'l.amount_fen'])
    .where('l.province_code', '=', provinceCode)
    .where('l.entry_id', 'in', [...entryIds])
    .orderBy('l.entry_id')
    .orderBy('l.seq')
    .execute()
}

/** Entries of organisations in the scope, newest first, keyset on (created_at, id). */
export function listEntries(
  db: Executor,
  scope: DataScope,
  f: { orgId?: string; fundType?: string; kind?: LedgerEntryKind; before?: { createdAt: string; id: string }; limit: number },
) {
  let q = entryQuery(db)
    .where(inScope(scope, { region: 'o.region_code', industry: 'o.industry' }))
  if (f.orgId) q = q.where('e.org_id', '=', f.orgId)
  if (f.fundType) q = q.where('e.fund_type', '=', f.fundType)
  if (f.kind) q = q.where('e.kind', '=', f.kind)
  if (f.before) q = q.where(sql<boolean>`(e.created_at, e.id) < (${f.before.createdAt}::timestamptz, ${f.before.id}::uuid)`)
  return q.orderBy('e.created_at', 'desc').orderBy('e.id', 'desc').limit(f.limit).execute()
}

/** Every account of organisations in the scope (optionally one organisation or one fund type). */
export function accountsInScope(db: Executor, scope: DataScope, f: { orgId?: string; fundType?: string }) {
  let q = db
    .selectFrom('ledger_account as a')
    .innerJoin('org as o', 'o.id', 'a.org_id')
    .select(['a.province_code', 'a.id', 'a.org_id', 'o.name as org_name', 'o.level as org_level', 'a.region_code', 'a.fund_type', 'a.kind', 'a.source', 'a.balance_fen'])
    .where(inScope(scope, { region: 'o.region_code', industry: 'o.industry' }))
  if (f.orgId) q = q.where('a.org_id', '=', f.orgId)
  if (f.fundType) q = q.where('a.fund_type', '=', f.fundType)
  return q.orderBy('o.level').orderBy('a.region_code').orderBy('o.name').orderBy('a.fund_type').execute()
}

/** One account of an organisation, if it exists. */
export function findAccount(db: Executor, orgId: string, fundType: string, kind: LedgerAccountKind, source = '') {
  return db
    .selectFrom('ledger_account')
    .select(['province_code', 'id', 'balance_fen'])
    .where('org_id', '=', orgId)
    .where('fund_type', '=', fundType)
    .where('kind', '=', kind)
    .where('source', '=', source)
    .executeTakeFirst()
}

/** The sum of an account's lines before an instant: a statement's opening balance. */
export async function balanceBefore(db: Executor, k: { province_code: string; id: string }, before: string): Promise<bigint> {
  const r = await db
    .selectFrom('ledger_line')
    .select(sql<string>`coalesce(sum(amount_fen), 0)::text`.as('total'))
    .where('account_province_code', '=', k.province_code)
    .where('account_id', '=', k.id)
    .where(sql<boolean>`created_at < ${before}::timestamptz`)
    .executeTakeFirstOrThrow()
  return BigInt(r.total)
}

/** An account's lines in [from, to), oldest first, with their entries. */
export function statementLines(db: Executor, k: { province_code: string; id: string }, from: string, to: string, limit: number) {
  return db
    .selectFrom('ledger_line as l')
    .innerJoin('ledger_entry as e', (j) => j.onRef('e.province_code', '=', 'l.province_code').onRef('e.id', '=', 'l.entry_id'))
    .select(['l.entry_id', 'l.amount_fen', 'l.created_at', 'e.kind', 'e.occurred_on', 'e.memo', 'e.reference', 'e.created_by_name'])
    .where('l.account_province_code', '=', k.province_code)
    .where('l.account_id', '=', k.id)
    .where(sql<boolean>`l.created_at >= ${from}::timestamptz AND l.created_at < ${to}::timestamptz`)
    .orderBy('l.created_at')
    .orderBy('l.entry_id')
    .limit(limit)
    .execute()
}

/** Proof of the ledger: entries whose lines do not sum to zero, and accounts whose kept balance is not the sum of their lines. */
export async function ledgerProblems(db: Executor) {
  const unbalanced = await sql<{ entry_id: string; total: string }>`
    SELECT entry_id, sum(amount_fen)::text AS total FROM ledger_line GROUP BY province_code, entry_id HAVING sum(amount_fen) <> 0 OR count(*) < 2`.execute(db)
  const mismatched = await sql<{ id: string; kept: string; summed: string }>`
    SELECT a.id, a.balance_fen::text AS kept, coalesce(s.total, 0)::text AS summed
    FROM ledger_account a
    LEFT JOIN (SELECT account_province_code, account_id, sum(amount_fen) AS total FROM ledger_line GROUP BY account_province_code, account_id) s
      ON s.account_province_code = a.province_code AND s.account_id = a.id
    WHERE a.balance_fen <> coalesce(s.total, 0)`.execute(db)
  return { unbalanced: unbalanced.rows, mismatched: mismatched.rows }
}

/**
 * Funds raised by source against funds paid in one year (by the entries' dates), per fund type, over
 * the accounts of organisations in the scope: the net of the lines on receipts accounts (negative:
 * money in) and on paid accounts.
 */
export function movementsOfYear(db: Executor, scope: DataScope, year: number) {
  return db
    .selectFrom('ledger_line as l')
    .innerJoin('ledger_entry as e', (j) => j.onRef('e.province_code', '=', 'l.province_code').onRef('e.id', '=', 'l.entry_id'))
    .innerJoin('ledger_account as a', (j) => j.onRef('a.province_code', '=', 'l.account_province_code').onRef('a.id', '=', 'l.account_id'))
    .innerJoin('org as o', 'o.id', 'a.org_id')
    .select(['a.fund_type', 'a.kind', 'a.source', sql<string>`sum(l.amount_fen)::text`.as('total')])
    .where('a.kind', 'in', ['receipts', 'paid'])
    .where(sql<boolean>`e.occurred_on >= ${`${year}-01-01`}::date AND e.occurred_on < ${`${year + 1}-01-01`}::date`)
    .where(inScope(scope, { region: 'o.region_code', industry: 'o.industry' }))
    .groupBy(['a.fund_type', 'a.kind', 'a.source'])
    .execute()
}
