import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/server/db/engine.ts'
import { login } from '../../src/server/modules/access/auth.service.ts'
import { testDatabase } from '../support/db.ts'
import { testEngine } from '../support/engine.ts'

// The command line as an operator runs it, in a child process, on an embedded store. On
// PostgreSQL runs the same commands act on DATABASE_URL; the embedded path is the one with
// the lock and the folder, so that is the one exercised here.
const onPostgres = testEngine() === 'postgres'
const repoRoot = path.resolve(import.meta.dirname, '../..')
const folders: string[] = []
afterAll(() => folders.forEach((f) => fs.rmSync(f, { recursive: true, force: true })))

function cli(dataDir: string, args: string[], input = '', extraEnv: NodeJS.ProcessEnv = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, NODE_ENV: 'production', ...extraEnv }
  delete env.DATABASE_URL
  const run = spawnSync('npx', ['tsx', 'src/server/cli.ts', ...args], { cwd: repoRoot, env, input, encoding: 'utf8', timeout: 120_000 })
  return { code: run.status, out: `${run.stdout}${run.stderr}` }
}

describe.skipIf(onPostgres)('npm run cli', () => {
  it('verify-audit says OK on an intact store and names the edited entry on a tampered one', async () => {
    const database = await testDatabase()
    const dataDir = database.dataDir!
    folders.push(dataDir)
    await database.close()

    const ok = cli(dataDir, ['verify-audit'])
    expect(ok.code).toBe(0)
    expect(ok.out).toMatch(/audit chains OK: \d+ entr(y|ies) verified/)

    const store = await openDatabase({ databaseUrl: null, dataDir })
    await store.db.transaction().execute(async (trx) => {
      await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`.execute(trx)
      await sql`UPDATE audit_log SET actor_name = 'someone else' WHERE province_code = '41' AND seq = 1`.execute(trx)
      await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`.execute(trx)
    })
    await store.close()

    const broken = cli(dataDir, ['verify-audit'])
    expect(broken.code).toBe(1)
    expect(broken.out).toContain('province chain 41, entry seq 1: entry content does not match its hash')
  })

  it('create-user makes the first administrator of an empty production store, and a refusal leaves nothing behind', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiekun-cli-'))
    folders.push(dataDir)
    const args = ['create-user', '--username', 'root_admin', '--display-name', '管理员', '--create-national-org', '中华全国总工会', '--password-stdin']

    const badRole = cli(dataDir, [...args, '--roles', 'admin,kingpin'], 'a-long-password-1\n')
    expect(badRole.code).toBe(1)
    expect(badRole.out).toContain('roles: unknown role: kingpin')

    const made = cli(dataDir, [...args, '--roles', 'admin'], 'a-long-password-1\n')
    expect(made.out).toContain('created user root_admin')
    expect(made.code).toBe(0)

    const store = await openDatabase({ databaseUrl: null, dataDir })
    try {
      // One national organisation: the refused attempt created none.
      expect(await store.db.selectFrom('org').select('name').execute()).toEqual([{ name: '中华全国总工会' }])
      const signedIn = await login(store.db, 'root_admin', 'a-long-password-1', { ip: null, userAgent: null, requestId: null })
      expect(signedIn.principal.scope.regionPrefix).toBe('')
      expect(signedIn.principal.permissions.has('user.manage')).toBe(true)
    } finally {
      await store.close()
    }
  })

  it('seeds the demo province with its household files, sealed with the key of the store', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiekun-cli-'))
    folders.push(dataDir)
    const run = cli(dataDir, ['seed', '--demo'], '', { NODE_ENV: 'development' })
    expect(run.code, run.out).toBe(0)
    expect(run.out).toMatch(/seeded \d{4} household files with \d+ members/)
    expect(fs.existsSync(path.join(dataDir, 'pii.key'))).toBe(true)
  })

  it('refuses demo data in production', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiekun-cli-'))
    folders.push(dataDir)
    const run = cli(dataDir, ['seed', '--demo'])
    expect(run.code).toBe(1)
    expect(run.out).toMatch(/production/)
  })
})
