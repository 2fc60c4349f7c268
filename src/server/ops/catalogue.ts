import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { Database } from '../db/database.ts'

/**
 * What the copy, backup and checksum tools need to know about the schema, read from the
 * system catalogue rather than a hand-kept list: a table added by a later migration is then
 * copied and checked without anyone remembering to add it here.
 */

export interface ColumnInfo {
  name: string
  /** As format_type prints it: usable in a cast. */
  type: string
  /** GENERATED ALWAYS AS (…) STORED: computed by the server, never inserted. */
  generated: boolean
  /**
   * A text-like column whose collation is not byte order. Ordering by it differs between
   * servers with different locales, so checksums order it with COLLATE "C".
   */
  localeOrdered: boolean
}

export interface TableInfo {
  name: string
  columns: ColumnInfo[]
  /** Primary-key columns in key order; empty when the table has none. */
  primaryKey: string[]
  /** Other tables this one's foreign keys point at. */
  references: string[]
  /** A foreign key to itself (org.parent_id): rows must arrive in one statement, parents first or not. */
  selfReferencing: boolean
}

/** Kysely's migration bookkeeping: written by the migrator on each side, never copied. */
export const MIGRATION_TABLES: ReadonlySet<string> = new Set(['kysely_migration', 'kysely_migration_lock'])

type Db = Kysely<Database>

/** Every ordinary or partitioned table in schema public (partitions are reached through their parent). */
export async function listPublicTables(db: Db): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    SELECT c.relname AS name
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
    ORDER BY c.relname`.execute(db)
  return rows.map((r) => r.name)
}

/** The application's tables (public, without the migration bookkeeping), described. */
export async function describeTables(db: Db): Promise<TableInfo[]> {
  const names = (await listPublicTables(db)).filter((n) => !MIGRATION_TABLES.has(n))
  const { rows: columns } = await sql<{ table: string; name: string; type: string; generated: boolean; locale_ordered: boolean }>`
    SELECT c.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
           a.attgenerated <> '' AS generated,
           (a.attcollation <> 0 AND coalesce(co.collname NOT IN ('C', 'POSIX', 'ucs_basic'), true)) AS locale_ordered
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_collation co ON co.oid = a.attcollation
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY c.relname, a.attnum`.execute(db)
  const { rows: keys } = await sql<{ table: string; name: string }>`
    SELECT c.relname AS table, a.attname AS name
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
    WHERE n.nspname = 'public' AND i.indisprimary
    ORDER BY c.relname, k.ord`.execute(db)
  const { rows: links } = await sql<{ table: string; target: string }>`
    SELECT DISTINCT c.relname AS table, r.relname AS target
    FROM pg_constraint k
    JOIN pg_class c ON c.oid = k.conrelid
    JOIN pg_class r ON r.oid = k.confrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE k.contype = 'f' AND n.nspname = 'public' AND k.conparentid = 0`.execute(db)

  return names.map((name) => ({
    name,
    columns: columns
      .filter((c) => c.table === name)
      .map((c) => ({ name: c.name, type: c.type, generated: c.generated, localeOrdered: c.locale_ordered })),
    primaryKey: keys.filter((k) => k.table === name).map((k) => k.name),
    references: links.filter((l) => l.table === name && l.target !== name).map((l) => l.target),
    selfReferencing: links.some((l) => l.table === name && l.target === name),
  }))
}

/**
 * Tables ordered so that every table comes after the tables it references (a row's parent
 * row exists before the row). A cycle between two tables cannot be loaded that way: say so.
 */
export function foreignKeyOrder(tables: TableInfo[]): TableInfo[] {
  const byName = new Map(tables.map((t) => [t.name, t]))
  const done = new Set<string>()
  const visiting = new Set<string>()
  const ordered: TableInfo[] = []
  const visit = (table: TableInfo, path: string[]) => {
    if (done.has(table.name)) return
    if (visiting.has(table.name)) {
      throw new Error(`Foreign keys form a cycle (${[...path, table.name].join(' → ')}): this tool cannot order such tables`)
    }
    visiting.add(table.name)
    for (const target of [...table.references].sort()) {
      const referenced = byName.get(target)
      if (referenced) visit(referenced, [...path, table.name])
    }
    visiting.delete(table.name)
    done.add(table.name)
    ordered.push(table)
  }
  for (const table of [...tables].sort((a, b) => a.name.localeCompare(b.name))) visit(table, [])
  return ordered
}

/** "public"."name", quoted, for use in SQL. */
export function tableRef(name: string): RawBuilder<unknown> {
  return sql`${sql.id('public', name)}`
}

/** Exact row counts of the given tables. */
export async function countRows(db: Db, tables: string[]): Promise<Map<string, bigint>> {
  const counts = new Map<string, bigint>()
  for (const name of tables) {
    const { rows } = await sql<{ n: bigint }>`SELECT count(*)::int8 AS n FROM ${tableRef(name)}`.execute(db)
    counts.set(name, rows[0]!.n)
  }
  return counts
}
