import fs from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { sql } from 'kysely'
import type { DatabaseHandle } from '../db/engine.ts'
import { writeFileAtomic } from '../platform/atomic-file.ts'
import { countRows, listPublicTables, MIGRATION_TABLES } from './catalogue.ts'
import { kyselyOverPglite } from '../db/engine.ts'

/**
 * A backup of the embedded store: its whole data folder as a gzipped tar (PGlite's
 * dumpDataDir). The caller holds the store open, and with it the data-folder lock, so no
 * other process writes while the folder is read; the dump runs between queries. Before
 * the file is written, the dump is opened in memory and its row counts compared with the
 * store's: a backup that cannot be restored is never written.
 */
export interface BackupResult {
  file: string
  bytes: number
  /** Rows per table, as read back from the backup itself. */
  rows: Record<string, bigint>
  seconds: number
}

export async function backupToFile(store: DatabaseHandle, file: string, report: (line: string) => void = () => undefined): Promise<BackupResult> {
  if (store.kind !== 'pglite' || !store.pglite) {
    throw new Error('Backups by this tool are of the embedded store only; on PostgreSQL use pg_dump (see docs/operations.md)')
  }
  // Checked before the dump, which takes a while: a typo in the path should not cost it.
  const folder = path.dirname(path.resolve(file))
  if (!fs.existsSync(folder)) throw new Error(`The folder ${folder} does not exist: create it first, or write the backup elsewhere`)
  if (path.resolve(file).startsWith(`${store.where}${path.sep}`)) {
    throw new Error(`Write the backup outside the data folder ${store.where}: a backup beside the store is lost with it`)
  }
  const started = performance.now()
  const tables = (await listPublicTables(store.db)).filter((t) => !MIGRATION_TABLES.has(t))
  if (tables.length === 0) throw new Error(`The store in ${store.where} holds no tables: nothing to back up`)
  const live = await countRows(store.db, tables)

  // Write every dirty page to the data files, so the backup needs little WAL replay when restored.
  await sql`CHECKPOINT`.execute(store.db)
  report('dumping the data folder')
  const dump = await store.pglite.dumpDataDir('gzip')
  const bytes = new Uint8Array(await dump.arrayBuffer())

  report(`checking the backup (${formatBytes(bytes.length)}) opens and holds every row`)
  const rows = await countRowsInDump(bytes, tables)
  const differing = tables.filter((t) => rows[t] !== live.get(t))
  if (differing.length > 0) {
    throw new Error(
      `The backup does not match the store (${differing.map((t) => `${t}: ${rows[t] ?? 'missing'} vs ${live.get(t)}`).join(', ')}); nothing was written`,
    )
  }

  writeFileAtomic(file, bytes)
  return { file, bytes: bytes.length, rows, seconds: (performance.now() - started) / 1000 }
}

/** Opens a dump in memory (nothing on disk) and counts the rows of the given tables. */
export async function countRowsInDump(bytes: Uint8Array, tables: string[]): Promise<Record<string, bigint>> {
  const pglite = await PGlite.create({ loadDataDir: new Blob([bytes]) })
  const db = kyselyOverPglite(pglite)
  try {
    const present = new Set(await listPublicTables(db))
    const counts = await countRows(db, tables.filter((t) => present.has(t)))
    return Object.fromEntries(counts)
  } finally {
    await db.destroy()
    await pglite.close()
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`
}
