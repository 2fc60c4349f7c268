import type { Database, Kysely } from './db/database.ts'
import { verifyAuditJob } from './modules/audit/audit.service.ts'
import { JobRunner, type RunnerOptions } from './modules/jobs/jobs.service.ts'
import { reclassifyJob } from './modules/standards/reclassify.job.ts'
import { reverifyJob } from './modules/households/reverification.job.ts'
import { householdImportJobs } from './modules/households/import/import.jobs.ts'
import { generateJobWith, scanJobWith } from './modules/payments/generate.job.ts'
import { exportJob, resultsJob } from './modules/payments/bank.jobs.ts'
import { defaultImportsDir } from './modules/households/import/import.service.ts'
import type { EngineKind } from './db/engine.ts'
import { requestsInFlight } from './platform/in-flight.ts'
import type { PiiCipher } from './platform/pii-crypto.ts'

/**
 * How the server runs jobs on each engine (main.ts; the bench and the browser tests run them the same).
 * PGlite serves one query at a time on this thread: jobs give way to the requests in flight between
 * chunks and size their chunks to about 80 ms (at most 5,000 rows), so a request waits about that
 * long at most. PostgreSQL blocks nobody: chunks of 50,000 and the supervision scan in one transaction;
 * jobs wait for the requests in flight there too, briefly, as a request's queries need the thread.
 */
export function jobOptionsFor(kind: EngineKind): Pick<RunnerOptions, 'giveWayTo' | 'chunkBudgetMs'> & { bulkChunk: number; scanRange: number | null } {
  return { giveWayTo: requestsInFlight, ...(kind === 'pglite' ? { chunkBudgetMs: 80, bulkChunk: 5_000, scanRange: 5_000 } : { bulkChunk: 50_000, scanRange: null }) }
}

/** Every kind of durable job the server runs, by module. Add a module's handlers here. */
export function createJobRunner(
  db: Kysely<Database>,
  options: RunnerOptions & {
    piiCipher?: PiiCipher
    importsDir?: string
    /** rows per chunk of bulk generation: small on PGlite (one query at a time), large on PostgreSQL */
    bulkChunk?: number
    /** lines per range of the supervision scan (default bulkChunk); null: the whole cycle at once (PostgreSQL) */
    scanRange?: number | null
  } = {},
): JobRunner {
  const runner = new JobRunner(db, options).register(verifyAuditJob).register(reclassifyJob).register(reverifyJob).register(generateJobWith(options.bulkChunk)).register(scanJobWith(options.scanRange === undefined ? options.bulkChunk : options.scanRange))
  for (const handler of householdImportJobs(options)) runner.register(handler)
  const importsDir = options.importsDir ?? defaultImportsDir()
  runner.register(exportJob({ importsDir, piiCipher: options.piiCipher })).register(resultsJob({ importsDir }))
  return runner
}
