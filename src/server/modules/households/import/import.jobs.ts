import type { PiiCipher } from '../../../platform/pii-crypto.ts'
import type { JobHandler } from '../../jobs/jobs.service.ts'
import { COMMIT_JOB, defaultImportsDir, type ImportDeps, runCommit, runValidation, VALIDATE_JOB } from './import.service.ts'

/**
 * The two durable jobs of an import. They need the deployment's PII key (to seal and index ID
 * numbers) and the folder the uploads live in; without a key they fail with a clear reason.
 */
export function householdImportJobs(options: { piiCipher?: PiiCipher; importsDir?: string }): JobHandler[] {
  const deps = (): ImportDeps => {
    if (!options.piiCipher) throw new Error('household import jobs need the PII key: createJobRunner(db, { piiCipher, importsDir })')
    return { cipher: options.piiCipher, importsDir: options.importsDir ?? defaultImportsDir() }
  }
  const validate: JobHandler<{ importId: string }, unknown, unknown> = { kind: VALIDATE_JOB, run: (ctx) => runValidation(ctx, deps()) }
  const commit: JobHandler<{ importId: string }, never, unknown> = { kind: COMMIT_JOB, run: (ctx) => runCommit(ctx, deps()) }
  return [validate, commit] as JobHandler[]
}
