import type { Database, Kysely, Transaction } from '../../db/database.ts'
import { notFound } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import type { Principal } from '../../platform/principal.ts'
import { findInScope, type HouseholdRecord, lockState } from './households.repository.ts'
import type { HouseholdStatus } from './households.tables.ts'

/**
 * How the file's sub-resources (measures, pairing, visits, loans, training) reach their household:
 * in the caller's scope or not at all, and its status re-read under a lock before a write.
 */

/** The household if the caller's scope covers it; a missing, foreign or malformed id answers alike (404). */
export async function householdInScope(db: Kysely<Database>, p: Principal, id: string): Promise<HouseholdRecord> {
  if (!isUuid(id)) throw notFound()
  const h = await findInScope(db, p.scope, id)
  if (!h) throw notFound()
  return h
}

/** Re-reads status and episode under a row lock, so a lifecycle change cannot slip in between check and write. */
export async function lockedState(trx: Transaction<Database>, h: HouseholdRecord): Promise<{ status: HouseholdStatus; episode: number }> {
  const row = await lockState(trx, h.province_code, h.id)
  if (!row) throw notFound()
  return row
}
