import { systemPrincipal } from '../../platform/principal.ts'
import { reclassifyHousehold } from '../households/households.service.ts'
import { JobCancelled, type JobHandler } from '../jobs/jobs.service.ts'
import { reclassifiedStatuses } from './standards.service.ts'
import * as repo from './standards.repository.ts'

export interface ReclassifyParams {
  /** the region prefix whose households are re-classified ('41', '4101', '410102') */
  regionPrefix: string
  /** the standard whose creation started the job (for the record) */
  standardId: string | null
}

export interface ReclassifyCheckpoint {
  after: { provinceCode: string; id: string } | null
  done: number
  total: number
}

/** Households per chunk, one transaction each: 50 (about 0.25 s on PGlite) is the longest a request waits behind a chunk. */
export const RECLASSIFY_CHUNK = 50

/**
 * Re-applies the standards in force today to every household of a region subtree that is not
 * closed (draft, submitted, verified, reverifying), after a standard changed. Keyset over
 * (province_code, id); each chunk's re-classifications commit with the checkpoint, so a resumed
 * job never repeats a committed chunk. Acts as the system (audit actor 'system').
 */
export const reclassifyJob: JobHandler<ReclassifyParams, ReclassifyCheckpoint, { reclassified: number }> = {
  kind: 'households.reclassify',
  async run(ctx) {
    const prefix = ctx.params.regionPrefix
    const p = systemPrincipal(`job:${ctx.id}`)
    let cp: ReclassifyCheckpoint = ctx.checkpoint ?? { after: null, done: 0, total: await repo.countHouseholds(ctx.db, prefix, reclassifiedStatuses) }
    for (;;) {
      if (await ctx.cancelRequested()) throw new JobCancelled()
      let finished = false
      await ctx.step(async (trx) => {
        const rows = await repo.householdsAfter(trx, prefix, reclassifiedStatuses, cp.after, RECLASSIFY_CHUNK)
        for (const r of rows) await reclassifyHousehold(trx, p, { provinceCode: r.province_code, id: r.id })
        const last = rows[rows.length - 1]
        finished = rows.length < RECLASSIFY_CHUNK
        const done = cp.done + rows.length
        const next: ReclassifyCheckpoint = { after: last ? { provinceCode: last.province_code, id: last.id } : cp.after, done, total: Math.max(cp.total, done) }
        cp = next
        return { checkpoint: next, done, total: next.total }
      })
      if (finished) return { reclassified: cp.done }
    }
  },
}
