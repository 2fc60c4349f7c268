import fs from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { sql } from 'kysely'
import { openDatabase, pgliteDir } from '../db/engine.ts'
import { acquireDataDirLock } from '../db/lock.ts'
import { migrateToLatest } from '../db/migrator.ts'
import { migrations } from '../db/migrations/index.ts'
import { type VerifyResult, verifyChains } from '../modules/audit/audit.service.ts'
import { fsyncDir } from '../platform/atomic-file.ts'
import { countRows, listPublicTables, MIGRATION_TABLES } from './catalogue.ts'

/**
 * Restores a backup into DATA_DIR. The backup is unpacked into a new folder beside the
 * store, opened, brought up to this version's schema and checked there; only then is it
 * swapped in by renames. Until that moment the existing store is untouched, and with
 * `force` it is kept, renamed, rather than deleted. The data-folder lock is held
 * throughout, so a running server (which holds it) makes the restore refuse.
 */
export interface RestoreOptions {
  dataDir: string
  file: string
  /** Replace a store that is already there (kept as pgdata.before-restore-<time>). */
  force?: boolean
  report?: (line: string) => void
  /** For tests: the clock used to name the kept folder. */
  now?: () => Date
}

export interface RestoreResult {
  restoredInto: string
  /** Where the replaced store was moved to; null when DATA_DIR held none. */
  previousKeptAs: string | null
  migrationsApplied: string[]
  rows: Record<string, bigint>
  audit: VerifyResult
}

export class DataDirNotEmptyError extends Error {
  constructor(readonly pgdata: string) {
    super(
      `${pgdata} already holds a database. Restoring would replace it: run again with --force ` +
        'to replace it (it is kept, renamed to pgdata.before-restore-<time>, not deleted).',
    )
    this.name = 'DataDirNotEmptyError'
  }
}

const STAGING_PREFIX = '.restore-'

export async function restoreFromFile(options: RestoreOptions): Promise<RestoreResult> {
  const report = options.report ?? (() => undefined)
  const dataDir = path.resolve(options.dataDir)
  const bytes = readBackup(options.file)
  const lock = acquireDataDirLock(dataDir)
  let staging: string | null = null
  try {
    const live = pgliteDir(dataDir)
    if (holdsDatabase(live) && !options.force) throw new DataDirNotEmptyError(live)

    // Left by a restore that was interrupted (Ctrl-C, power loss): ours, unfinished, and we hold the lock.
    for (const entry of fs.readdirSync(dataDir)) {
      if (entry.startsWith(STAGING_PREFIX)) fs.rmSync(path.join(dataDir, entry), { recursive: true, force: true })
    }
    staging = fs.mkdtempSync(path.join(dataDir, STAGING_PREFIX))
    report(`unpacking ${options.file} into ${staging}`)
    let unpacked: PGlite
    try {
      unpacked = await PGlite.create({ dataDir: pgliteDir(staging), loadDataDir: new Blob([bytes]) })
    } catch (err) {
      throw new Error(`${options.file} does not open as a database (${(err as Error).message}): it is not a Jiekun backup, or it is damaged`)
    }
    await unpacked.close()

    const checked = await checkRestored(staging, report)

    // Whatever is there (a store, or a half-made folder from a first start that failed) is moved aside, never deleted.
    let previousKeptAs: string | null = null
    if (fs.existsSync(live)) {
      previousKeptAs = `${live}.before-restore-${stamp(options.now?.() ?? new Date())}`
      fs.renameSync(live, previousKeptAs)
      report(`kept the replaced store as ${previousKeptAs}`)
    }
    try {
      fs.renameSync(pgliteDir(staging), live)
    } catch (err) {
      if (previousKeptAs) fs.renameSync(previousKeptAs, live)
      throw err
    }
    fsyncDir(dataDir)
    return { restoredInto: live, previousKeptAs, ...checked }
  } finally {
    if (staging) fs.rmSync(staging, { recursive: true, force: true })
    lock.release()
  }
}

function readBackup(file: string): Uint8Array {
  let bytes: Buffer
  try {
    bytes = fs.readFileSync(file)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : (err as Error).message
    throw new Error(`Cannot read the backup ${file}: ${reason}`)
  }
  // gzip magic number: `backup` always writes a gzipped tar.
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
    throw new Error(`${file} is not a Jiekun backup (expected a gzipped data-folder dump made by \`npm run cli -- backup\`)`)
  }
  return new Uint8Array(bytes)
}

function holdsDatabase(pgdata: string): boolean {
  return fs.existsSync(path.join(pgdata, 'PG_VERSION'))
}

/** The restored copy opens, is a Jiekun store from this version or an older one, and is brought up to date. */
async function checkRestored(staging: string, report: (line: string) => void): Promise<Omit<RestoreResult, 'restoredInto' | 'previousKeptAs'>> {
  const restored = await openDatabase({ databaseUrl: null, dataDir: staging })
  try {
    const tables = await listPublicTables(restored.db)
    if (!tables.includes('kysely_migration')) throw new Error('The backup holds no Jiekun schema (no migration table): is it a Jiekun backup?')
    const { rows: executed } = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(restored.db)
    const unknown = executed.map((r) => r.name).filter((name) => !(name in migrations))
    if (unknown.length > 0) {
      throw new Error(`The backup was made by a newer Jiekun (migrations unknown here: ${unknown.join(', ')}): restore it with that version`)
    }
    const migrationsApplied = await migrateToLatest(restored.db)
    if (migrationsApplied.length > 0) report(`brought the backup up to this version: applied ${migrationsApplied.join(', ')}`)
    const counts = await countRows(restored.db, tables.filter((t) => !MIGRATION_TABLES.has(t)))
    report('verifying the audit chains of the backup')
    const audit = await verifyChains(restored.db)
    return { migrationsApplied, rows: Object.fromEntries(counts), audit }
  } finally {
    await restored.close()
  }
}

/** 2026-11-23T10:15:00.123Z → 20261123T101500Z: sorts by time, safe in a folder name. */
function stamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
}
