import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { createPgConfig } from '@electric-sql/pglite/node-postgres'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { Database } from './database.ts'
import { acquireDataDirLock, type DataDirLock } from './lock.ts'

// Money is integer fen in bigint columns: read int8 as bigint, never as a float or a string.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => BigInt(value))
// Calendar dates stay 'YYYY-MM-DD' strings: a Date would shift them by the server's time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value)

export type EngineKind = 'pglite' | 'postgres'

export interface DatabaseHandle {
  readonly kind: EngineKind
  readonly db: Kysely<Database>
  /** Where the data lives, for logs and messages (never includes a password). */
  readonly where: string
  /** The embedded instance, for backup and COPY; null on PostgreSQL. */
  readonly pglite: PGlite | null
  close(): Promise<void>
}

export interface OpenOptions {
  databaseUrl: string | null
  dataDir: string
  /** Pool size on PostgreSQL. PGlite runs one query at a time, so its pool is always 1. */
  poolSize?: number
  /** Told when the server drops an idle connection (restart, failover, admin); the pool reconnects. */
  onIdleError?: (err: Error) => void
}

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options.poolSize ?? 10, options.onIdleError) : openPglite(options.dataDir)
}

async function openPostgres(url: string, poolSize: number, onIdleError?: (err: Error) => void): Promise<DatabaseHandle> {
  // JIT off: our queries are short OLTP reads whose cost estimates still cross jit_above_cost
  // at national scale; compiling took ~7 ms for a 0.6 ms query (docs/benchmarks.md).
  // No parallel workers: a page stops after 51 rows, and starting workers (Gather Merge) cost
  // 10–20 ms where the walk itself costs 1–7. Set per connection rather than per query (SET LOCAL
  // needs a transaction: three more round trips, 0.1–0.6 ms a request at 3 M households). A report
  // that scans a whole region may ask for workers in its own transaction (SET LOCAL).
  const pool = new pg.Pool({ connectionString: url, max: poolSize, options: '-c jit=off -c max_parallel_workers_per_gather=0' })
  // Without a listener, a server dropping an idle connection would crash the process;
  // the pool replaces the connection on the next query.
  pool.on('error', (err) => onIdleError?.(err))
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return {
    kind: 'postgres',
    db,
    where: redactUrl(url),
    pglite: null,
    close: () => db.destroy(),
  }
}

export function pgliteDir(dataDir: string): string {
  return path.join(dataDir, 'pgdata')
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  const lock: DataDirLock = acquireDataDirLock(dataDir)
  try {
    const pglite = await PGlite.create(pgliteDir(dataDir))
    const db = kyselyOverPglite(pglite)
    return {
      kind: 'pglite',
      db,
      where: dataDir,
      pglite,
      async close() {
        try {
          await db.destroy()
          await pglite.close()
        } finally {
          lock.release()
        }
      },
    }
  } catch (err) {
    lock.release()
    throw err
  }
}

/** Kysely over a PGlite instance: one connection, because PGlite runs one query at a time. */
export function kyselyOverPglite(pglite: PGlite): Kysely<Database> {
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1 })
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return 'postgres (unparsable URL)'
  }
}
