import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { openDatabase } from '../../src/server/db/engine.ts'
import { migrateToLatest } from '../../src/server/db/migrator.ts'
import { ensureBuiltInRoles } from '../../src/server/modules/access/roles.service.ts'
import { seedDemo } from '../../src/server/seed/demo.ts'
import { TEMPLATE_DB, TEST_PASSWORD, testEngine, withDatabase } from './engine.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    templateDir: string
  }
}

/**
 * Builds one migrated, demo-seeded database per run; every test file then starts from a
 * copy of it (a folder copy on PGlite, CREATE DATABASE … TEMPLATE on PostgreSQL).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const engine = testEngine()
  if (engine === 'pglite') {
    const templateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiekun-template-'))
    const database = await openDatabase({ databaseUrl: null, dataDir: templateDir })
    await prepare(database.db)
    await database.close()
    project.provide('templateDir', templateDir)
    return async () => fs.rmSync(templateDir, { recursive: true, force: true })
  }

  const adminUrl = process.env.TEST_DATABASE_URL!
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await dropTestDatabases(admin)
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`)
  const database = await openDatabase({ databaseUrl: withDatabase(adminUrl, TEMPLATE_DB), dataDir: '' })
  await prepare(database.db)
  await database.close()
  project.provide('templateDir', '')
  return async () => {
    await dropTestDatabases(admin)
    await admin.end()
  }
}

async function prepare(db: Parameters<typeof migrateToLatest>[0]): Promise<void> {
  await migrateToLatest(db)
  await ensureBuiltInRoles(db)
  await seedDemo(db, { password: TEST_PASSWORD, grassrootsPerCounty: 1 })
}

async function dropTestDatabases(admin: pg.Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'jiekun_test_%'")
  for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`)
}
