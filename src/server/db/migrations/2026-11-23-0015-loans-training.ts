import type { Kysely } from 'kysely'

// Reserved; filled by the loans work of issue 4.

export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
