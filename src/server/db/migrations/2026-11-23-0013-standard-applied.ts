import { type Kysely, sql } from 'kysely'

// A standard dated ahead changes the classification on the day it takes effect (issue 3 §4:
// "recomputed when ... a standard changes"). applied_on records the day its re-classification
// was queued; the server's sweep (standards.service.ts applyStandardsNowInForce) queues those in
// force with none yet. Standards already in force when this ran were applied when created.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE local_standard ADD COLUMN applied_on date;
    UPDATE local_standard SET applied_on = effective_from WHERE effective_from <= (now() AT TIME ZONE 'Asia/Shanghai')::date;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE local_standard DROP COLUMN applied_on`.execute(db)
}
