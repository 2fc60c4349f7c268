import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DatabaseHandle, openDatabase } from '../../../src/server/db/engine.ts'
import { migrateToLatest } from '../../../src/server/db/migrator.ts'
import { ensureBuiltInRoles } from '../../../src/server/modules/access/roles.service.ts'
import { record, systemActor, verifyChains } from '../../../src/server/modules/audit/audit.service.ts'
import { describeTables } from '../../../src/server/ops/catalogue.ts'
import { type CopyResult, copyToPostgres, TargetNotEmptyError } from '../../../src/server/ops/copy-to-postgres.ts'
import { tableChecksums } from '../../../src/server/ops/table-checksum.ts'
import { seedDemo } from '../../../src/server/seed/demo.ts'
import { adminQuery, testDatabase } from '../../support/db.ts'
import { TEST_PASSWORD, testEngine, withDatabase } from '../../support/engine.ts'

// The copy goes from PGlite to a PostgreSQL server, so it needs one: it runs whenever
// TEST_DATABASE_URL names a server, whichever engine the rest of the run is on.
const serverUrl = process.env.TEST_DATABASE_URL

/**
 * The embedded source: the run's seeded template when the run is on PGlite; on a
 * PostgreSQL run there is no PGlite template, so one is built the same way.
 */
async function pgliteSource(): Promise<{ store: DatabaseHandle; cleanup: () => Promise<void> }> {
  if (testEngine() === 'pglite') {
    const copy = await testDatabase()
    return { store: copy, cleanup: () => copy.drop() }
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiekun-copy-source-'))
  const store = await openDatabase({ databaseUrl: null, dataDir })
  await migrateToLatest(store.db)
  await ensureBuiltInRoles(store.db)
  await seedDemo(store.db, { password: TEST_PASSWORD, grassrootsPerCounty: 1 })
  return {
    store,
    cleanup: async () => {
      await store.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

describe.skipIf(!serverUrl)('copy-to-postgres', () => {
  let source: Awaited<ReturnType<typeof pgliteSource>>
  const targetName = `jiekun_test_copy_${randomBytes(4).toString('hex')}`
  let targetUrl: string
  let result: CopyResult
  const lines: string[] = []

  beforeAll(async () => {
    source = await pgliteSource()
    // Several chains, and values a lossy copy would change: beyond 2^53, nested JSON, CJK text.
    for (let i = 0; i < 8; i++) {
      await source.store.db.transaction().execute((trx) =>
        record(trx, {
          actor: systemActor,
          action: 'test.copy',
          entityType: 'thing',
          entityId: `c${i}`,
          regionCode: ['410102', '130102', null][i % 3]!,
          before: i === 0 ? undefined : { n: i },
          after: { fen: 9007199254740993n * BigInt(i + 1), 名称: '二七区困难职工帮扶站', list: [1.5, 'x', { b: 2, a: 1 }] },
        }),
      )
    }
    targetUrl = withDatabase(serverUrl!, targetName)
    await adminQuery(serverUrl!, `CREATE DATABASE ${targetName}`)
    // Small batches and chunks, so keyset paging and the staged self-referencing table are exercised.
    result = await copyToPostgres(source.store, targetUrl, { batchRows: 250, chunkRows: 400, report: (line) => lines.push(line) })
  })

  afterAll(async () => {
    await source?.cleanup()
    if (serverUrl) await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${targetName} WITH (FORCE)`)
  })

  it('copies every table, with matching counts and checksums, and the audit chains verify on the target', async () => {
    expect(result.ok).toBe(true)
    expect(result.audit).toMatchObject({ ok: true, firstBroken: null })
    const sourceTables = (await describeTables(source.store.db)).map((t) => t.name).sort()
    expect(result.tables.map((t) => t.table).sort()).toEqual(sourceTables)
    for (const t of result.tables) expect(t, t.table).toMatchObject({ ok: true, target: { rows: t.source.rows, checksum: t.source.checksum } })
    const rows = Object.fromEntries(result.tables.map((t) => [t.table, t.source.rows]))
    expect(rows.region).toBeGreaterThan(3000n)
    expect(rows.org).toBeGreaterThan(400n)
    expect(rows.audit_log).toBeGreaterThanOrEqual(9n)
    // The regions the target's own migration inserted were replaced, not doubled.
    expect(result.replacedReferenceRows.region).toBe(rows.region)
    expect(lines.some((l) => l.startsWith('  org: '))).toBe(true)
  })

  it('agrees with a fresh look at the target, and a changed row changes the checksum', async () => {
    const target = await openDatabase({ databaseUrl: targetUrl, dataDir: '' })
    try {
      const tables = await describeTables(target.db)
      const sums = await tableChecksums(target.db, tables, { chunkRows: 400 })
      const byName = (a: { table: string }, b: { table: string }) => a.table.localeCompare(b.table)
      expect(sums.sort(byName)).toEqual(result.tables.map((t) => t.source).sort(byName))
      expect((await verifyChains(target.db)).checked).toBe(result.audit.checked)

      await sql`UPDATE org SET name = name || ' ' WHERE id = (SELECT id FROM org ORDER BY id LIMIT 1 OFFSET 100)`.execute(target.db)
      const org = tables.filter((t) => t.name === 'org')
      const [changed] = await tableChecksums(target.db, org, { chunkRows: 400 })
      expect(changed!.rows).toBe(result.tables.find((t) => t.table === 'org')!.source.rows)
      expect(changed!.checksum).not.toBe(result.tables.find((t) => t.table === 'org')!.source.checksum)
    } finally {
      await target.close()
    }
  })

  it('refuses a target that already has tables, naming them', async () => {
    const attempt = copyToPostgres(source.store, targetUrl)
    await expect(attempt).rejects.toThrow(TargetNotEmptyError)
    await expect(copyToPostgres(source.store, targetUrl)).rejects.toThrow(/not empty: schema public already holds tables .*audit_log.*org/)
  })
})
