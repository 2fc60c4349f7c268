import { createHash } from 'node:crypto'
import { type Kysely, sql } from 'kysely'
import type { Database } from '../db/database.ts'
import { type TableInfo, tableRef } from './catalogue.ts'
import { afterKey, keyAsJsonText, keyOrder } from './key-range.ts'

/**
 * A table's row count and a checksum of its content that comes out the same on PGlite and
 * on PostgreSQL when, and only when, the rows are the same: the md5 of every row's text
 * form in primary-key order, taken in key-range chunks (string_agg stops at 1 GB, and a
 * chunk keeps each query short), folded into one md5. Two checksums compare only when
 * taken with the same chunk size.
 */
export interface TableChecksum {
  table: string
  rows: bigint
  checksum: string
}

type Db = Kysely<Database>

/** A few MB of row text per query on either engine. */
const DEFAULT_CHUNK_ROWS = 20_000

/**
 * Row text that does not depend on the server or the session: timestamptz prints in the
 * session's time zone and date style, floats, intervals and bytea by session settings.
 */
async function fixOutputSettings(trx: Db): Promise<void> {
  await sql`SET LOCAL TimeZone = 'UTC'`.execute(trx)
  await sql`SET LOCAL DateStyle = 'ISO, YMD'`.execute(trx)
  await sql`SET LOCAL IntervalStyle = 'postgres'`.execute(trx)
  await sql`SET LOCAL extra_float_digits = 1`.execute(trx)
  await sql`SET LOCAL bytea_output = 'hex'`.execute(trx)
}

/** Checksums of the given tables, all from one read-only snapshot. */
export async function tableChecksums(db: Db, tables: TableInfo[], options: { chunkRows?: number } = {}): Promise<TableChecksum[]> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      await fixOutputSettings(trx)
      const out: TableChecksum[] = []
      for (const table of tables) out.push(await checksumOf(trx, table, options.chunkRows ?? DEFAULT_CHUNK_ROWS))
      return out
    })
}

interface ChunkRow {
  n: bigint
  md5: string
  last: string | null
}

async function checksumOf(trx: Db, table: TableInfo, chunkRows: number): Promise<TableChecksum> {
  if (table.primaryKey.length === 0) {
    // No key to range over: one pass, rows ordered by their own text.
    const { rows } = await sql<{ n: bigint; md5: string }>`
      SELECT count(*)::int8 AS n, md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text COLLATE "C"), '')) AS md5
      FROM ${tableRef(table.name)} t`.execute(trx)
    return { table: table.name, rows: rows[0]!.n, checksum: createHash('md5').update(rows[0]!.md5).digest('hex') }
  }

  const fold = createHash('md5')
  let total = 0n
  let last: string | null = null
  for (;;) {
    const { rows }: { rows: ChunkRow[] } = await sql<ChunkRow>`
      WITH chunk AS MATERIALIZED (
        SELECT * FROM ${tableRef(table.name)} ${afterKey(table, last, 'byte')} ORDER BY ${keyOrder(table, 'byte')} LIMIT ${chunkRows}
      )
      SELECT (SELECT count(*)::int8 FROM chunk) AS n,
             (SELECT md5(coalesce(string_agg(chunk::text, E'\n' ORDER BY ${keyOrder(table, 'byte')}), '')) FROM chunk) AS md5,
             (SELECT ${keyAsJsonText(table)} FROM chunk ORDER BY ${keyOrder(table, 'byte', 'desc')} LIMIT 1) AS last`.execute(trx)
    const chunk: ChunkRow = rows[0]!
    if (chunk.n === 0n) break
    total += chunk.n
    fold.update(chunk.md5)
    if (chunk.n < BigInt(chunkRows) || chunk.last === null) break
    last = chunk.last
  }
  return { table: table.name, rows: total, checksum: fold.digest('hex') }
}
