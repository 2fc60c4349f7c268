import type { Database, Transaction } from '../../db/database.ts'
import { jsonb } from '../../platform/jsonb.ts'
import type { Principal } from '../../platform/principal.ts'

/**
 * The file's own history (domain.md §3: who, when, before, after), written in the transaction
 * of the change it describes and never edited. No ID or phone number goes in: masked at most.
 * The audit log keeps the same facts for inspectors; this is what case workers read on the file.
 */
export async function recordEvent(
  trx: Transaction<Database>,
  p: Principal,
  e: { provinceCode: string; householdId: string; episode: number; action: string; before?: unknown; after?: unknown; note?: string | null },
): Promise<void> {
  await trx
    .insertInto('household_event')
    .values({
      province_code: e.provinceCode,
      household_id: e.householdId,
      episode: e.episode,
      action: e.action,
      actor_id: p.userId,
      actor_name: p.displayName,
      before: jsonb(e.before),
      after: jsonb(e.after),
      note: e.note ?? null,
    })
    .execute()
}
