import { sql } from 'kysely'
import { jsonb } from '../../platform/jsonb.ts'
import type { Database, Kysely, Transaction } from '../../db/database.ts'
import { type DataScope, inScope } from '../../platform/scope.ts'
import type { AuditLogTable } from './audit.tables.ts'

export const GENESIS_HASH = '0'.repeat(64)

export type AuditRow = AuditLogTable

/** Locks the province's chain head for this transaction and returns it (creating it on first use). */
export async function lockHead(trx: Transaction<Database>, provinceCode: string): Promise<{ lastSeq: bigint; lastHash: string }> {
  await trx
    .insertInto('audit_head')
    .values({ province_code: provinceCode, last_seq: 0n, last_hash: GENESIS_HASH })
    .onConflict((oc) => oc.column('province_code').doNothing())
    .execute()
  const head = await trx
    .selectFrom('audit_head')
    .select(['last_seq', 'last_hash'])
    .where('province_code', '=', provinceCode)
    .forUpdate()
    .executeTakeFirstOrThrow()
  return { lastSeq: head.last_seq, lastHash: head.last_hash }
}

export async function append(trx: Transaction<Database>, row: AuditRow): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({ ...row, before: jsonb(row.before), after: jsonb(row.after) })
    .execute()
  await trx
    .updateTable('audit_head')
    .set({ last_seq: row.seq, last_hash: row.hash })
    .where('province_code', '=', row.province_code)
    .execute()
}

export async function listChains(db: Kysely<Database>): Promise<{ provinceCode: string; lastSeq: bigint; lastHash: string }[]> {
  const rows = await db.selectFrom('audit_head').selectAll().orderBy('province_code').execute()
  return rows.map((r) => ({ provinceCode: r.province_code, lastSeq: r.last_seq, lastHash: r.last_hash }))
}

/** One page of a chain in sequence order, for verification in bounded chunks. */
export async function chainPage(db: Kysely<Database>, provinceCode: string, afterSeq: bigint, limit: number): Promise<AuditRow[]> {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('province_code', '=', provinceCode)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute()
}

export interface AuditFilter {
  action?: string
  entityType?: string
  entityId?: string
  from?: Date
  to?: Date
  /** keyset: entries strictly older than this (at, province, seq) */
  before?: { at: Date; provinceCode: string; seq: bigint }
  limit: number
}

export async function list(db: Kysely<Database>, scope: DataScope, filter: AuditFilter): Promise<AuditRow[]> {
  let q = db
    .selectFrom('audit_log')
    .selectAll()
    .where(inScope(scope, { region: 'audit_log.region_code' }))
  if (filter.action) q = q.where('action', '=', filter.action)
  if (filter.entityType) q = q.where('entity_type', '=', filter.entityType)
  if (filter.entityId) q = q.where('entity_id', '=', filter.entityId)
  if (filter.from) q = q.where('at', '>=', filter.from)
  if (filter.to) q = q.where('at', '<', filter.to)
  if (filter.before) {
    const b = filter.before
    q = q.where(sql<boolean>`(at, province_code, seq) < (${b.at}, ${b.provinceCode}, ${b.seq})`)
  }
  return q.orderBy('at', 'desc').orderBy('province_code', 'desc').orderBy('seq', 'desc').limit(filter.limit).execute()
}

export async function count(db: Kysely<Database>, scope: DataScope): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<bigint>().as('n'))
    .where(inScope(scope, { region: 'audit_log.region_code' }))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
