import fs from 'node:fs'
import path from 'node:path'
import { Command, InvalidArgumentError } from 'commander'
import { type Config, loadConfig } from './config.ts'
import type { Database, Kysely } from './db/database.ts'
import { type DatabaseHandle, openDatabase, pgliteDir, redactUrl } from './db/engine.ts'
import { DataDirLockedError } from './db/lock.ts'
import { migrateToLatest } from './db/migrator.ts'
import { ensureBuiltInRoles } from './modules/access/roles.service.ts'
import { type VerifyResult, verifyChains } from './modules/audit/audit.service.ts'
import { backupToFile, formatBytes } from './ops/backup.ts'
import { countRows, listPublicTables } from './ops/catalogue.ts'
import { copyToPostgres } from './ops/copy-to-postgres.ts'
import { createUserFromCli } from './ops/create-user.ts'
import { AppError, type Text } from './platform/errors.ts'
import { createPiiCipher, loadOrCreatePiiKey } from './platform/pii-crypto.ts'
import { readNewPassword } from './ops/read-password.ts'
import { restoreFromFile } from './ops/restore.ts'
import { textTable } from './ops/text-table.ts'
import { seedDemoHouseholds } from './seed/households.ts'
import { seedDemoPostings } from './seed/postings.ts'
import { seedDemoFunds } from './seed/funds.ts'
import { demoUsers, seedDemo } from './seed/demo.ts'

/**
 * The operator's command line: `npm run cli -- <command>`. Every command says which store
 * it works on, prints what it did, closes the store, and exits non-zero on failure (2 when
 * the data folder is in use by another process, as the server does). Passwords are never
 * printed, and connection strings only with the password masked.
 */

const config: Config = (() => {
  try {
    return loadConfig()
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n`)
    process.exit(1)
  }
})()

function say(line = ''): void {
  process.stdout.write(`${line}\n`)
}

/** A refusal or failure the operator can act on: printed as is, without a stack. */
class CliError extends Error {}

function describeStore(): string {
  return config.databaseUrl ? `PostgreSQL at ${redactUrl(config.databaseUrl)}` : `the embedded store in ${config.dataDir}`
}

function embeddedStoreExists(): boolean {
  return fs.existsSync(path.join(pgliteDir(config.dataDir), 'PG_VERSION'))
}

/**
 * Opens the configured store for one command and always closes it. With `existing`, an
 * embedded store must already be there: opening an empty folder would create a new store,
 * which for a backup or a check would only hide a wrong DATA_DIR.
 */
async function withStore<T>(options: { existing: boolean }, work: (store: DatabaseHandle) => Promise<T>): Promise<T> {
  if (!config.databaseUrl && options.existing && !embeddedStoreExists()) {
    throw new CliError(`There is no embedded store in ${config.dataDir} (DATA_DIR). Set DATA_DIR to the folder the server uses, or DATABASE_URL for PostgreSQL.`)
  }
  say(`store: ${describeStore()}`)
  const store = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 })
  try {
    return await work(store)
  } finally {
    await store.close()
  }
}

/** Schema and built-in roles up to date, as the server makes them at start. */
async function migrate(db: Kysely<Database>): Promise<string[]> {
  const applied = await migrateToLatest(db)
  await ensureBuiltInRoles(db)
  return applied
}


function auditLine(result: VerifyResult): string {
  if (result.ok) return `audit chains OK: ${plural(result.checked, 'entry', 'entries')} verified`
  const broken = result.firstBroken!
  return `audit chain BROKEN: province chain ${broken.provinceCode}, entry seq ${broken.seq}: ${broken.reason} (${plural(result.checked, 'entry', 'entries')} verified before it)`
}

function plural(n: number | bigint, one: string, many = `${one}s`): string {
  return `${n} ${BigInt(n) === 1n ? one : many}`
}

function countsTable(rows: Record<string, bigint>): string {
  return textTable(
    ['table', 'rows'],
    Object.entries(rows).map(([table, n]) => [table, n.toString()]),
  )
}

function wholeNumber(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value)
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be a whole number ≥ ${min}`)
    return n
  }
}

/** A service's refusal, in the command line's language (English), one invalid field a line. */
function describeAppError(err: AppError): string {
  const fields = Array.isArray(err.details)
    ? (err.details as { field?: string; message?: Text | string }[]).map((d) => `\n  ${d.field ?? ''}: ${typeof d.message === 'string' ? d.message : (d.message?.en ?? '')}`)
    : []
  return `${err.messageIn('en')}${fields.join('')}`
}

/** Wraps a command's work: one clear message and a non-zero exit code on failure. */
function run<A extends unknown[]>(work: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await work(...args)
    } catch (err) {
      if (err instanceof DataDirLockedError) {
        process.stderr.write(`error: ${err.message}\n(A running Jiekun server holds its data folder: stop it, then run this command again.)\n`)
        process.exitCode = 2
        return
      }
      const message = err instanceof AppError ? describeAppError(err) : err instanceof Error ? err.message : String(err)
      process.stderr.write(`error: ${message}\n`)
      if (!(err instanceof CliError) && process.env.JIEKUN_DEBUG === '1' && err instanceof Error) process.stderr.write(`${err.stack}\n`)
      process.exitCode = 1
    }
  }
}

const program = new Command()
  .name('npm run cli --')
  .description('解困 Jiekun operations. The store is DATA_DIR (embedded) or DATABASE_URL (PostgreSQL), as for the server.')
  .showHelpAfterError()

program
  .command('migrate')
  .description('run pending migrations and add missing built-in roles')
  .action(
    run(async () =>
      withStore({ existing: false }, async (store) => {
        const applied = await migrate(store.db)
        if (applied.length === 0) say('schema is up to date: nothing to apply')
        else {
          say(`applied ${plural(applied.length, 'migration')}:`)
          for (const name of applied) say(`  ${name}`)
        }
      }),
    ),
  )

program
  .command('seed')
  .description('add the demo province (organisations and demo users) to an empty store; never in production')
  .option('--demo', 'the demo data set (the only one there is; required, so seeding is never accidental)')
  .option('--province <code>', 'two-digit province code of GB/T 2260', '41')
  .option('--grassroots-per-county <n>', 'grassroots unions per county (raise it for benchmarks)', wholeNumber('--grassroots-per-county', 0), 3)
  .option('--seed <n>', 'random seed, for a reproducible data set', wholeNumber('--seed', 0))
  .action(
    run(async (opts: { demo?: boolean; province: string; grassrootsPerCounty: number; seed?: number }) => {
      if (config.production) {
        throw new CliError('NODE_ENV=production: demo users with a shared password are never added to a production store. Create the first user with `npm run cli -- create-user` (see docs/operations.md).')
      }
      if (!opts.demo) throw new CliError('Say `seed --demo`: the demo province is the only seed data (regions and roles come with `migrate`).')
      if (!/^\d{2}$/.test(opts.province)) throw new CliError(`--province must be a two-digit code such as 41, got ${opts.province}`)
      await withStore({ existing: false }, async (store) => {
        const applied = await migrate(store.db)
        if (applied.length > 0) say(`applied migrations: ${applied.join(', ')}`)
        const held = await countRows(store.db, ['app_user', 'org'])
        if (held.get('app_user') !== 0n || held.get('org') !== 0n) {
          throw new CliError(
            `The store already holds data (${plural(held.get('app_user')!, 'user')}, ${plural(held.get('org')!, 'organisation')}): ` +
              'demo data goes only into an empty store. Use a new DATA_DIR or database for a demo.',
          )
        }
        const summary = await seedDemo(store.db, {
          password: config.demoPassword,
          provinceCode: opts.province,
          grassrootsPerCounty: opts.grassrootsPerCounty,
          seed: opts.seed,
        })
        say(`seeded ${summary.province}: ${summary.cities} cities, ${summary.counties} counties, ${summary.orgs} organisations, ${summary.users} users`)
        // Household files need the key that seals ID numbers: the same key the server will use.
        const key = loadOrCreatePiiKey({ env: process.env, dataDir: config.dataDir, production: config.production, databaseUrl: config.databaseUrl })
        const households = await seedDemoHouseholds(store.db, createPiiCipher(key.key), { provinceCode: opts.province })
        say(`seeded ${households.households} household files with ${households.members} members, local standards and the province's one-step approval policy`)
        const postings = await seedDemoPostings(store.db, createPiiCipher(key.key))
        say(`seeded ${postings.applications} approved 金秋助学 applications and ${postings.postings} public postings`)
        say(`seeded ${(await seedDemoFunds(store.db)).entries} ledger entries of demo money`)
        say(`demo users: ${demoUsers.map((u) => u.username).join(', ')}`)
        say(
          process.env.JIEKUN_DEMO_PASSWORD
            ? 'their password is the value of JIEKUN_DEMO_PASSWORD'
            : 'their password is the default demo password in README.md (set JIEKUN_DEMO_PASSWORD to choose another)',
        )
      })
    }),
  )

program
  .command('backup')
  .description('embedded store only: write a checked, consistent backup of DATA_DIR to <file> (the server must be stopped)')
  .argument('<file>', 'where to write the backup (a gzipped tar; replaced atomically if it exists)')
  .action(
    run(async (file: string) => {
      if (config.databaseUrl) {
        throw new CliError(`The store is ${describeStore()}: back it up with pg_dump, e.g. pg_dump --format=custom --file=jiekun.dump "$DATABASE_URL" (see docs/operations.md).`)
      }
      await withStore({ existing: true }, async (store) => {
        const target = path.resolve(file)
        const result = await backupToFile(store, target, (line) => say(line))
        say(`backup written: ${result.file} (${formatBytes(result.bytes)}, ${result.seconds.toFixed(1)} s); it opens, and holds:`)
        say(countsTable(result.rows))
      })
    }),
  )

program
  .command('restore')
  .description('embedded store only: restore a backup into DATA_DIR (the server must be stopped)')
  .argument('<file>', 'a file written by `backup`')
  .option('--force', 'replace the store DATA_DIR holds (it is kept, renamed to pgdata.before-restore-<time>)')
  .action(
    run(async (file: string, opts: { force?: boolean }) => {
      if (config.databaseUrl) {
        throw new CliError(`The store is ${describeStore()}: restore a pg_dump with pg_restore (see docs/operations.md).`)
      }
      say(`store: ${describeStore()}`)
      const result = await restoreFromFile({ dataDir: config.dataDir, file: path.resolve(file), force: opts.force ?? false, report: (line) => say(line) })
      say(`restored into ${result.restoredInto}:`)
      say(countsTable(result.rows))
      say(auditLine(result.audit))
      if (!result.audit.ok) say('The backup itself holds a broken chain: it was restored as it is; investigate before relying on its audit trail.')
      if (result.previousKeptAs) say(`the replaced store is kept in ${result.previousKeptAs}; delete it once you are satisfied`)
      say('Start the server as usual.')
    }),
  )

program
  .command('copy-to-postgres')
  .description('copy the embedded store in DATA_DIR into an empty PostgreSQL database, then verify both sides match')
  .option('--target <url>', 'the empty PostgreSQL database (default: DATABASE_URL); a password can come from PGPASSWORD instead of the URL')
  .action(
    run(async (opts: { target?: string }) => {
      const targetUrl = opts.target ?? config.databaseUrl
      if (!targetUrl) throw new CliError('Give the target database: --target postgres://user@host:5432/jiekun (or set DATABASE_URL).')
      if (!embeddedStoreExists()) throw new CliError(`There is no embedded store in ${config.dataDir} (DATA_DIR) to copy.`)
      say(`source: the embedded store in ${config.dataDir}`)
      const source = await openDatabase({ databaseUrl: null, dataDir: config.dataDir })
      try {
        const result = await copyToPostgres(source, targetUrl, { report: (line) => say(line) })
        say()
        say(
          textTable(
            ['table', 'source rows', 'target rows', 'checksum (md5)', 'check'],
            result.tables.map((t) => [
              t.table,
              t.source.rows.toString(),
              t.target.rows.toString(),
              t.ok ? t.source.checksum : `${t.source.checksum} ≠ ${t.target.checksum}`,
              t.ok ? 'OK' : 'MISMATCH',
            ]),
          ),
        )
        say()
        say(`target ${auditLine(result.audit)}`)
        if (!result.ok) throw new CliError('The copy does not match the source (see above). Do not switch to it; drop the target database and copy again.')
        say(`Done: ${result.copiedRows} rows copied in ${result.copySeconds.toFixed(1)} s, and they match.`)
        say(`Next: start the server with DATABASE_URL set to the target (${result.target}).`)
        say(`${config.dataDir} is left as it was; keep it until the system has run well on PostgreSQL.`)
      } finally {
        await source.close()
      }
    }),
  )

program
  .command('verify-audit')
  .description('re-compute every audit hash chain; exit 1 and name the first broken link if one does not hold')
  .action(
    run(async () =>
      withStore({ existing: true }, async (store) => {
        // Only the audit tables matter here: a store awaiting a later migration can (and should) be checked before upgrading.
        const tables = await listPublicTables(store.db)
        if (!tables.includes('audit_log') || !tables.includes('audit_head')) {
          throw new CliError('The store has no audit tables yet (a new, unmigrated store): run `npm run cli -- migrate` first.')
        }
        let lastShown = performance.now()
        const result = await verifyChains(store.db, {
          onProgress: (checked) => {
            if (performance.now() - lastShown > 2000) {
              say(`  … ${checked} entries checked`)
              lastShown = performance.now()
            }
          },
        })
        say(auditLine(result))
        if (!result.ok) process.exitCode = 1
      }),
    ),
  )

program
  .command('create-user')
  .description('create a user (the first administrator of a production store, for one); password from stdin, JIEKUN_NEW_PASSWORD or a prompt')
  .requiredOption('--username <name>', '3–64 letters, digits, dot, dash or underscore')
  .requiredOption('--display-name <name>', 'the name people see')
  .option('--org <id or name>', 'the organisation (its id, or its exact name)')
  .option('--create-national-org <name>', 'on an empty store: create this national root organisation (type ministry) and put the user there')
  .requiredOption('--roles <codes>', 'comma-separated role codes, e.g. admin or case_worker,approver')
  .option('--password-stdin', 'read the password from standard input')
  .action(
    run(async (opts: { username: string; displayName: string; org?: string; createNationalOrg?: string; roles: string; passwordStdin?: boolean }) => {
      if ((opts.org === undefined) === (opts.createNationalOrg === undefined)) {
        throw new CliError('Give exactly one of --org <id or name> and --create-national-org <name>.')
      }
      const password = await readNewPassword({ fromStdin: opts.passwordStdin ?? false, env: process.env })
      await withStore({ existing: false }, async (store) => {
        const applied = await migrate(store.db)
        if (applied.length > 0) say(`applied migrations: ${applied.join(', ')}`)
        const created = await createUserFromCli(store.db, {
          username: opts.username,
          displayName: opts.displayName,
          org: opts.org ?? null,
          createNationalOrg: opts.createNationalOrg ?? null,
          roles: opts.roles.split(','),
          password,
        })
        if (created.createdOrg) say(`created the national organisation ${created.orgName} (${created.orgId})`)
        say(`created user ${created.username} (${created.userId}) in ${created.orgName} with roles ${created.roles.join(', ')}; recorded in the audit log`)
      })
    }),
  )

await program.parseAsync(process.argv)
