import path from 'node:path'
import pino from 'pino'
import { buildApp } from './app.ts'
import { createJobRunner, jobOptionsFor } from './jobs.ts'
import { prepareDatabase } from './bootstrap.ts'
import { loadConfig } from './config.ts'
import type { DatabaseHandle } from './db/engine.ts'
import { DataDirLockedError } from './db/lock.ts'
import { purgeExpiredSessions } from './modules/access/auth.service.ts'
import { closeEndedPostings } from './modules/postings/postings.service.ts'
import { applyStandardsNowInForce } from './modules/standards/standards.service.ts'
import { createPiiCipher, loadOrCreatePiiKey } from './platform/pii-crypto.ts'

const config = loadConfig()
const log = pino({ level: config.logLevel })

const piiKey = loadOrCreatePiiKey({ env: process.env, dataDir: config.dataDir, production: config.production, databaseUrl: config.databaseUrl })
const piiCipher = createPiiCipher(piiKey.key)

let database: DatabaseHandle
try {
  database = await prepareDatabase(config, log, { piiCipher })
} catch (err) {
  if (err instanceof DataDirLockedError) {
    log.fatal(err.message)
    process.exit(2)
  }
  throw err
}
log.info({ engine: database.kind, where: database.where }, 'database ready')

if (piiKey.source === 'created') log.warn({ file: piiKey.file }, 'created the key that protects ID and phone numbers: back it up apart from the data (docs/operations.md)')
const app = await buildApp({
  database,
  logger: log,
  webDir: config.webDir,
  secureCookies: process.env.JIEKUN_SECURE_COOKIES === '1',
  piiCipher,
  attachmentsDir: path.join(config.dataDir, 'attachments'),
  importsDir: path.join(config.dataDir, 'imports'),
})
await app.listen({ port: config.port, host: config.host })
const jobs = createJobRunner(database.db, {
  log,
  piiCipher,
  ...jobOptionsFor(database.kind),
  importsDir: path.join(config.dataDir, 'imports'),
})
jobs.start()

// Hourly upkeep: expired sessions go; standards that came into force re-classify their households;
// postings whose period has ended close, and what they posted takes effect (one posting per transaction).
const closePostings = () =>
  closeEndedPostings(database.db)
    .then((n) => n > 0 && log.info({ postings: n }, 'ended postings closed'))
    .catch((err: unknown) => log.warn({ err }, 'closing ended postings failed'))
void closePostings()
const applyStandards = () =>
  applyStandardsNowInForce(database.db)
    .then((jobs) => jobs.length > 0 && log.info({ jobs: jobs.map((j) => j.id) }, 'standards now in force: re-classification queued'))
    .catch((err: unknown) => log.warn({ err }, 'applying standards now in force failed'))
void applyStandards()
const purge = setInterval(() => {
  purgeExpiredSessions(database.db).catch((err: unknown) => log.warn({ err }, 'session purge failed'))
  void applyStandards()
  void closePostings()
}, 60 * 60 * 1000)
purge.unref()

let stopping = false
async function stop(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  log.info({ signal }, 'shutting down')
  clearInterval(purge)
  await jobs.stop()
  await app.close()
  await database.close()
  process.exit(0)
}
process.on('SIGINT', () => void stop('SIGINT'))
process.on('SIGTERM', () => void stop('SIGTERM'))
