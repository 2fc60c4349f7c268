import { type Kysely, sql } from 'kysely'

// Children are listed ORDER BY name, id: with id in the index the list is read in order
// and stops at the page size, instead of sorting every child (1,000+ under a county
// union at national scale) and counting grandchildren for each before the LIMIT.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX org_parent_name_id_idx ON org (parent_id, name, id)`.execute(db)
  await sql`DROP INDEX org_parent_idx`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX org_parent_idx ON org (parent_id, name)`.execute(db)
  await sql`DROP INDEX org_parent_name_id_idx`.execute(db)
}
