import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, pgliteDir } from '../../../src/server/db/engine.ts'
import { DataDirLockedError } from '../../../src/server/db/lock.ts'
import { record, systemActor, verifyChains } from '../../../src/server/modules/audit/audit.service.ts'
import { backupToFile } from '../../../src/server/ops/backup.ts'
import { describeTables } from '../../../src/server/ops/catalogue.ts'
import { DataDirNotEmptyError, restoreFromFile } from '../../../src/server/ops/restore.ts'
import { type TableChecksum, tableChecksums } from '../../../src/server/ops/table-checksum.ts'
import { testDatabase } from '../../support/db.ts'
import { testEngine } from '../../support/engine.ts'

// Backup and restore are of the embedded store (a PGlite data folder); on PostgreSQL they
// are pg_dump's and pg_restore's job, so there is nothing of ours to test on that engine.
const onPostgres = testEngine() === 'postgres'

/** Counts and checksums of every application table of the store in `dataDir`, and its audit verdict. */
async function snapshot(dataDir: string): Promise<{ sums: TableChecksum[]; auditOk: boolean; checked: number }> {
  const store = await openDatabase({ databaseUrl: null, dataDir })
  try {
    const sums = await tableChecksums(store.db, await describeTables(store.db), { chunkRows: 500 })
    const audit = await verifyChains(store.db)
    return { sums, auditOk: audit.ok, checked: audit.checked }
  } finally {
    await store.close()
  }
}

describe.skipIf(onPostgres)('backup and restore of the embedded store', () => {
  let scratch: string
  let backupFile: string
  let sourceDir: string
  let before: Awaited<ReturnType<typeof snapshot>>

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'jiekun-backup-test-'))
    backupFile = path.join(scratch, 'backups', 'jiekun.tgz')
    const source = await testDatabase()
    sourceDir = source.dataDir!
    // Entries in two provinces, with values a careless copy would mangle (bigint, nested JSON, CJK).
    for (let i = 0; i < 6; i++) {
      await source.db.transaction().execute((trx) =>
        record(trx, {
          actor: systemActor,
          action: 'test.backup',
          entityType: 'thing',
          entityId: `b${i}`,
          regionCode: i % 2 === 0 ? '410102' : '130102',
          after: { fen: 9007199254740993n + BigInt(i), 名称: '郑州第一棉纺厂工会', nested: { z: [1, 2], a: null } },
        }),
      )
    }
    fs.mkdirSync(path.dirname(backupFile), { recursive: true })
    const result = await backupToFile(source, backupFile)
    expect(result.bytes).toBe(fs.statSync(backupFile).size)
    expect(result.rows.audit_log).toBeGreaterThanOrEqual(7n)
    await source.close()
    before = await snapshot(sourceDir)
  })

  afterAll(() => {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true })
    if (sourceDir) fs.rmSync(sourceDir, { recursive: true, force: true })
  })

  it('writes the backup atomically, readable only by its owner, with no partial file left', () => {
    expect(fs.readdirSync(path.dirname(backupFile))).toEqual(['jiekun.tgz'])
    expect(fs.statSync(backupFile).mode & 0o077).toBe(0)
  })

  it('restores into an empty DATA_DIR with every row identical and the audit chains intact', async () => {
    const dataDir = path.join(scratch, 'fresh')
    const result = await restoreFromFile({ dataDir, file: backupFile })
    expect(result).toMatchObject({ restoredInto: pgliteDir(dataDir), previousKeptAs: null, migrationsApplied: [] })
    expect(result.audit.ok).toBe(true)

    const after = await snapshot(dataDir)
    expect(after.sums).toEqual(before.sums)
    expect(after.sums.map((s) => s.table)).toEqual(expect.arrayContaining(['region', 'org', 'app_user', 'audit_log', 'audit_head']))
    expect(after.auditOk).toBe(true)
    expect(after.checked).toBe(before.checked)
    // Nothing of the restore's staging is left behind.
    expect(fs.readdirSync(dataDir).sort()).toEqual(['pgdata'])
  })

  it('refuses a DATA_DIR that already holds a database unless forced, and then keeps the old one', async () => {
    await expect(restoreFromFile({ dataDir: sourceDir, file: backupFile })).rejects.toThrow(DataDirNotEmptyError)
    await expect(restoreFromFile({ dataDir: sourceDir, file: backupFile })).rejects.toThrow(/already holds a database.*--force/)

    const result = await restoreFromFile({ dataDir: sourceDir, file: backupFile, force: true, now: () => new Date('2026-11-23T10:15:00.123Z') })
    expect(result.previousKeptAs).toBe(`${pgliteDir(sourceDir)}.before-restore-20261123T101500Z`)
    expect(fs.existsSync(path.join(result.previousKeptAs!, 'PG_VERSION'))).toBe(true)
    expect((await snapshot(sourceDir)).sums).toEqual(before.sums)
  })

  it('refuses while another process holds the data folder (a running server)', async () => {
    const holder = await openDatabase({ databaseUrl: null, dataDir: sourceDir })
    try {
      await expect(restoreFromFile({ dataDir: sourceDir, file: backupFile, force: true })).rejects.toThrow(DataDirLockedError)
    } finally {
      await holder.close()
    }
  })

  it('refuses a file that is not a backup, and leaves DATA_DIR untouched', async () => {
    const bogus = path.join(scratch, 'notes.txt')
    fs.writeFileSync(bogus, 'not a backup')
    const dataDir = path.join(scratch, 'untouched')
    await expect(restoreFromFile({ dataDir, file: bogus })).rejects.toThrow(/not a Jiekun backup/)
    await expect(restoreFromFile({ dataDir, file: path.join(scratch, 'missing.tgz') })).rejects.toThrow(/no such file/)
    expect(fs.existsSync(pgliteDir(dataDir))).toBe(false)
  })
})
