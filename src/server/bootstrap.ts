import type { Logger } from 'pino'
import type { Config } from './config.ts'
import { type DatabaseHandle, openDatabase } from './db/engine.ts'
import { migrateToLatest } from './db/migrator.ts'
import { ensureBuiltInRoles } from './modules/access/roles.service.ts'
import type { PiiCipher } from './platform/pii-crypto.ts'
import { isEmpty, seedDemo } from './seed/demo.ts'
import { seedDemoHouseholds } from './seed/households.ts'
import { seedDemoPostings } from './seed/postings.ts'
import { seedDemoFunds } from './seed/funds.ts'

/**
 * Opens the store, brings its schema up to date and adds reference data; seeds the
 * demo province on an empty store when asked. Shared by the server and the CLI.
 */
export async function prepareDatabase(
  config: Config,
  log: Pick<Logger, 'info'> & Partial<Pick<Logger, 'warn'>>,
  options: { seed?: boolean; piiCipher?: PiiCipher } = {},
): Promise<DatabaseHandle> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    onIdleError: (err) => log.warn?.({ err }, 'database dropped an idle connection; it will be replaced'),
  })
  try {
    const applied = await migrateToLatest(database.db)
    if (applied.length > 0) log.info({ applied }, 'migrations applied')
    await ensureBuiltInRoles(database.db)
    if ((options.seed ?? config.seedDemo) && (await isEmpty(database.db))) {
      if (config.production) {
        log.info('empty store in production: demo data is not seeded; create the first user with `npm run cli -- create-user`')
      } else {
        const summary = await seedDemo(database.db, { password: config.demoPassword })
        log.info(summary, 'demo data seeded')
        // Household files need the key that seals ID numbers; the CLI seeds without them.
        if (options.piiCipher) {
          log.info(await seedDemoHouseholds(database.db, options.piiCipher), 'demo households seeded')
          log.info(await seedDemoPostings(database.db, options.piiCipher), 'demo applications and postings seeded')
          log.info(await seedDemoFunds(database.db), 'demo funds seeded')
        }
      }
    }
    return database
  } catch (err) {
    await database.close()
    throw err
  }
}
