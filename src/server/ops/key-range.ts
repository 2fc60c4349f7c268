import { type RawBuilder, sql } from 'kysely'
import type { TableInfo } from './catalogue.ts'

/**
 * Walking a table in primary-key ranges: the copy reads it in batches, the checksum in chunks.
 *
 * `native` order is the key's own (index-backed, fast): enough to read every row once.
 * `byte` order sorts text key columns with COLLATE "C", so that PGlite and a PostgreSQL
 * server with another locale put the rows in the same order: what a checksum compared
 * across the two needs. Key columns that already sort byte-wise (COLLATE "C" columns,
 * uuid, numbers) keep their index either way.
 */
export type KeyOrder = 'native' | 'byte'

function keyColumn(table: TableInfo, name: string) {
  const column = table.columns.find((c) => c.name === name)
  if (!column) throw new Error(`Primary-key column ${table.name}.${name} not found among its columns`)
  return column
}

/** ORDER BY list over the key. */
export function keyOrder(table: TableInfo, order: KeyOrder, direction: 'asc' | 'desc' = 'asc'): RawBuilder<unknown> {
  return sql.join(
    table.primaryKey.map((name) => {
      const ref = order === 'byte' && keyColumn(table, name).localeOrdered ? sql`${sql.ref(name)} COLLATE "C"` : sql`${sql.ref(name)}`
      return direction === 'asc' ? ref : sql`${ref} DESC`
    }),
  )
}

/** The key of a row as a JSON array of its columns' text forms (exact for every type, bigints included). */
export function keyAsJsonText(table: TableInfo): RawBuilder<string> {
  return sql<string>`json_build_array(${sql.join(table.primaryKey.map((k) => sql`${sql.ref(k)}::text`))})::text`
}

/** `WHERE key > last`, with `last` as read back by keyAsJsonText; nothing for the first range. */
export function afterKey(table: TableInfo, last: string | null, order: KeyOrder): RawBuilder<unknown> {
  if (last === null) return sql``
  const values = JSON.parse(last) as string[]
  const typed = table.primaryKey.map((name, i) => {
    const column = keyColumn(table, name)
    const value = sql`${values[i]!}::text::${sql.raw(column.type)}`
    return order === 'byte' && column.localeOrdered ? sql`${value} COLLATE "C"` : value
  })
  return sql`WHERE (${keyOrder(table, order)}) > (${sql.join(typed)})`
}
