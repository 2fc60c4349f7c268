import type { Database, Kysely } from './db/database.ts'
import { verifyAuditJob } from './modules/audit/audit.service.ts'
import { JobRunner, type RunnerOptions } from './modules/jobs/jobs.service.ts'

/** Every kind of durable job the server runs, by module. Add a module's handlers here. */
export function createJobRunner(db: Kysely<Database>, options: RunnerOptions = {}): JobRunner {
  return new JobRunner(db, options).register(verifyAuditJob)
}
