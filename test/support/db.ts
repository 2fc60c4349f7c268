import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { inject } from 'vitest'
import { type DatabaseHandle, openDatabase } from '../../src/server/db/engine.ts'
import { TEMPLATE_DB, testEngine, withDatabase } from './engine.ts'

export interface TestDatabase extends DatabaseHandle {
  /** Closes the store and deletes it. */
  drop(): Promise<void>
  /** The PGlite folder (null on PostgreSQL). */
  dataDir: string | null
  /** The connection string (null on PGlite). */
  url: string | null
}

/** A private copy of the migrated, demo-seeded template, on the engine this run is testing. */
export function testDatabase(): Promise<TestDatabase> {
  return freshDatabase(true)
}

/** An empty database on this run's engine (for migration and copy tests). */
export function emptyDatabase(): Promise<TestDatabase> {
  return freshDatabase(false)
}

async function freshDatabase(fromTemplate: boolean): Promise<TestDatabase> {
  if (testEngine() === 'pglite') {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiekun-test-'))
    if (fromTemplate) {
      fs.cpSync(inject('templateDir'), dataDir, { recursive: true })
      fs.rmSync(path.join(dataDir, 'jiekun.lock'), { force: true })
    }
    const handle = closeOnce(await openDatabase({ databaseUrl: null, dataDir }))
    return {
      ...handle,
      dataDir,
      url: null,
      async drop() {
        await handle.close()
        fs.rmSync(dataDir, { recursive: true, force: true })
      },
    }
  }
  const adminUrl = process.env.TEST_DATABASE_URL!
  const name = `jiekun_test_${randomBytes(6).toString('hex')}`
  await adminQuery(adminUrl, fromTemplate ? `CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}` : `CREATE DATABASE ${name}`)
  const url = withDatabase(adminUrl, name)
  const handle = closeOnce(await openDatabase({ databaseUrl: url, dataDir: '' }))
  return {
    ...handle,
    dataDir: null,
    url,
    async drop() {
      await handle.close()
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    },
  }
}

/** Tests close a database and later drop it; the second close must not fail (and skip the drop). */
function closeOnce(handle: DatabaseHandle): DatabaseHandle {
  let closing: Promise<void> | null = null
  return { ...handle, close: () => (closing ??= handle.close()) }
}

export async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}
