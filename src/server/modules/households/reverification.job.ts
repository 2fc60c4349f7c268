import { chinaDate } from '../../platform/china-date.ts'
import type { Permission } from '../access/permissions.ts'
import type { Principal } from '../../platform/principal.ts'
import * as audit from '../audit/audit.service.ts'
import { JobCancelled, type JobHandler } from '../jobs/jobs.service.ts'
import { recordEvent } from './history.ts'
import { reclassifyHousehold } from './households.service.ts'
import * as repo from './reverification.repository.ts'
import type { ReverificationOutcome } from './reverification.tables.ts'
import { visitOverdue } from './visits.ts'

// The yearly re-verification (复核, domain.md §3; issue 3 §7) as a durable job. It walks every
// household on file (verified or reverifying) in the run's scope in id order, in chunks; each
// chunk's writes — status changes, history, reclassification, work-list items, the run's counts,
// one audit entry — commit together with the job's checkpoint (jobs.service.ts `ctx.step`), so a
// killed process resumes after the last committed chunk and repeats nothing.

/**
 * The outcomes, most pressing first: an item's outcome is the first of its findings' outcomes in
 * this order. Proposing an exit outranks stale facts (the figures on file already lift the household
 * out of hardship), stale facts outrank an overdue visit (a visit is how the facts get updated).
 */
export const OUTCOME_ORDER: readonly ReverificationOutcome[] = ['propose_exit', 'facts_outdated', 'visit_overdue', 'still_eligible']

/** One finding of a re-verification; money as strings of fen. */
export type Finding =
  | { code: 'eligible'; hardshipType: string; perCapitaMonthlyFen: string | null }
  /** above the relative-hardship line of the standard in force: propose exit */
  | { code: 'above_line'; perCapitaMonthlyFen: string | null; relativeLineFen: string | null; dibaoLineFen: string | null; standardId: string | null }
  /** no local standard in force for the county: the type cannot be judged, the facts must be looked at */
  | { code: 'no_standard' }
  /** the file's facts were last changed before 1 January of the run's year */
  | { code: 'facts_stale'; updatedOn: string; yearStart: string }
  /** no yearly income and no member income on file */
  | { code: 'facts_missing' }
  /** no visit for six months (visits.ts) */
  | { code: 'visit_overdue'; lastVisitOn: string | null; since: string }

const outcomeOf: Record<Finding['code'], ReverificationOutcome> = {
  eligible: 'still_eligible',
  above_line: 'propose_exit',
  no_standard: 'facts_outdated',
  facts_stale: 'facts_outdated',
  facts_missing: 'facts_outdated',
  visit_overdue: 'visit_overdue',
}

/** The facts a re-verification looks at, after the household was re-classified. */
export interface AssessInput {
  year: number
  today: string
  hardshipType: string | null
  perCapitaMonthlyFen: bigint | null
  standardId: string | null
  dibaoLineFen: bigint | null
  relativeMultipleBp: number | null
  /** when the file's facts last changed (before this run touched it) */
  updatedAt: Date
  yearlyIncomeFen: bigint
  memberIncomeFen: bigint
  lastVisitOn: string | null
  /** the day the household came on file (verified_at, in China); falls back to the day its facts last changed */
  since: string
}

/** Every finding, and the outcome: the most pressing one (OUTCOME_ORDER). Pure. */
export function assess(x: AssessInput): { outcome: ReverificationOutcome; reasons: Finding[] } {
  const reasons: Finding[] = []
  if (x.standardId === null) reasons.push({ code: 'no_standard' })
  else if (x.hardshipType === null) {
    const relative = x.dibaoLineFen === null || x.relativeMultipleBp === null ? null : (x.dibaoLineFen * BigInt(x.relativeMultipleBp)) / 10_000n
    reasons.push({
      code: 'above_line',
      perCapitaMonthlyFen: x.perCapitaMonthlyFen?.toString() ?? null,
      relativeLineFen: relative?.toString() ?? null,
      dibaoLineFen: x.dibaoLineFen?.toString() ?? null,
      standardId: x.standardId,
    })
  } else reasons.push({ code: 'eligible', hardshipType: x.hardshipType, perCapitaMonthlyFen: x.perCapitaMonthlyFen?.toString() ?? null })

  const yearStart = `${x.year}-01-01`
  const updatedOn = chinaDate(x.updatedAt)
  if (updatedOn < yearStart) reasons.push({ code: 'facts_stale', updatedOn, yearStart })
  if (x.yearlyIncomeFen === 0n && x.memberIncomeFen === 0n) reasons.push({ code: 'facts_missing' })
  if (visitOverdue(x.lastVisitOn, x.since, x.today)) reasons.push({ code: 'visit_overdue', lastVisitOn: x.lastVisitOn, since: x.since })

  const present = new Set(reasons.map((r) => outcomeOf[r.code]))
  const outcome = OUTCOME_ORDER.find((o) => present.has(o)) ?? 'still_eligible'
  return { outcome, reasons }
}

export interface ReverifyParams {
  runId: string
  /** households per chunk (one transaction each) */
  chunkSize?: number
}

export type OutcomeCounts = Record<ReverificationOutcome, number>
export interface RunCounts extends OutcomeCounts {
  total: number
  done: number
}

export interface ReverifyCheckpoint {
  afterId: string | null
  counts: RunCounts
}

/** Households per chunk: 50 (about 0.25 s on PGlite) is the longest a request waits behind a chunk. */
export const REVERIFY_CHUNK = 50

export const emptyCounts = (total = 0): RunCounts => ({ total, done: 0, still_eligible: 0, propose_exit: 0, facts_outdated: 0, visit_overdue: 0 })

/** The region code whose audit chain and readers an entry about a scope belongs to: '41' → '410000', '' → null. */
export function regionOfPrefix(prefix: string): string | null {
  return prefix === '' ? null : prefix.padEnd(6, '0')
}

/**
 * The job acts for the person who started the run, within the run's scope: their name goes into
 * the files' history and the audit log. It only reads and writes what the re-verification needs.
 */
async function actingPrincipal(ctx: { db: Parameters<typeof repo.userName>[0]; id: string }, run: repo.RunRecord): Promise<Principal> {
  const user = await repo.userName(ctx.db, run.created_by)
  return {
    userId: run.created_by,
    username: user?.username ?? 'system',
    displayName: user?.display_name ?? 'system',
    orgId: user?.org_id ?? null,
    scope: { regionPrefix: run.region_prefix, industry: run.industry },
    roles: [],
    permissions: new Set<Permission>(['household.read', 'household.write']),
    requestId: `job:${ctx.id}`,
  }
}

export const reverifyJob: JobHandler<ReverifyParams, ReverifyCheckpoint, RunCounts> = {
  kind: 'households.reverify',
  async run(ctx) {
    const run = await repo.findRun(ctx.db, ctx.params.runId)
    if (!run) throw new Error(`re-verification run ${ctx.params.runId} not found`)
    const chunkSize = ctx.params.chunkSize ?? REVERIFY_CHUNK
    const scope = { regionPrefix: run.region_prefix, industry: run.industry }
    const p = await actingPrincipal(ctx, run)
    // Count first, so progress is done / total from the first chunk on.
    let cp: ReverifyCheckpoint = ctx.checkpoint ?? { afterId: null, counts: emptyCounts(await repo.countCovered(ctx.db, scope)) }

    for (;;) {
      if (await ctx.cancelRequested()) {
        await ctx.step(async (trx) => {
          await repo.finishRun(trx, run.id, 'cancelled', cp.counts)
          return { checkpoint: cp, done: cp.counts.done, total: cp.counts.total }
        })
        throw new JobCancelled()
      }
      let finished = false
      await ctx.step(async (trx) => {
        const today = chinaDate()
        const rows = await repo.nextChunk(trx, scope, cp.afterId, chunkSize)
        const counts: RunCounts = { ...cp.counts }
        const items: Parameters<typeof repo.insertItems>[1][number][] = []
        const touched = new Map<string, { households: number; markedReverifying: number; outcomes: Partial<OutcomeCounts> }>()
        for (const h of rows) {
          if (await repo.markReverifying(trx, h.province_code, h.id)) {
            await recordEvent(trx, p, {
              provinceCode: h.province_code,
              householdId: h.id,
              episode: h.episode,
              action: 'household.reverify',
              before: { status: 'verified' },
              after: { status: 'reverifying' },
              note: `${run.year}`,
            })
            const t = touched.get(h.province_code) ?? { households: 0, markedReverifying: 0, outcomes: {} }
            t.markedReverifying++
            touched.set(h.province_code, t)
          }
          await reclassifyHousehold(trx, p, { provinceCode: h.province_code, id: h.id }, today)
        }
        // What the reclassification stored, read back per province in one query each.
        const byProvince = new Map<string, string[]>()
        for (const h of rows) byProvince.set(h.province_code, [...(byProvince.get(h.province_code) ?? []), h.id])
        const stored = new Map<string, repo.StoredClassification>()
        for (const [province, ids] of byProvince) for (const s of await repo.storedClassifications(trx, province, ids)) stored.set(s.id, s)

        for (const h of rows) {
          const s = stored.get(h.id)!
          const { outcome, reasons } = assess({
            year: run.year,
            today,
            hardshipType: s.hardship_type,
            perCapitaMonthlyFen: s.per_capita_monthly_fen,
            standardId: s.standard_id,
            dibaoLineFen: s.dibao_line_fen,
            relativeMultipleBp: s.relative_multiple_bp,
            updatedAt: h.updated_at,
            yearlyIncomeFen: h.yearly_income_fen,
            memberIncomeFen: BigInt(h.member_income_fen),
            lastVisitOn: h.last_visit_on,
            since: chinaDate(h.verified_at ?? h.updated_at),
          })
          items.push({ provinceCode: h.province_code, runId: run.id, householdId: h.id, outcome, reasons })
          counts[outcome]++
          const t = touched.get(h.province_code) ?? { households: 0, markedReverifying: 0, outcomes: {} }
          t.households++
          t.outcomes[outcome] = (t.outcomes[outcome] ?? 0) + 1
          touched.set(h.province_code, t)
        }
        await repo.insertItems(trx, items)
        counts.done += rows.length
        counts.total = Math.max(counts.total, counts.done)

        // One audit entry per chunk (and province: each province has its own chain), not one per
        // household: the households' own history carries the per-file change.
        for (const [province, t] of touched) {
          await audit.record(trx, {
            actor: { id: p.userId, name: p.username },
            action: 'reverification.chunk',
            entityType: 'reverification_run',
            entityId: run.id,
            regionCode: run.region_prefix === '' ? `${province}0000` : regionOfPrefix(run.region_prefix),
            after: { year: run.year, households: t.households, markedReverifying: t.markedReverifying, outcomes: t.outcomes },
            requestId: p.requestId,
          })
        }

        finished = rows.length < chunkSize
        const last = rows[rows.length - 1]
        const next: ReverifyCheckpoint = { afterId: last ? last.id : cp.afterId, counts }
        if (finished) await repo.finishRun(trx, run.id, 'succeeded', counts)
        else await repo.saveCounts(trx, run.id, counts)
        cp = next
        return { checkpoint: next, done: counts.done, total: counts.total }
      })
      if (finished) return cp.counts
    }
  },
}
