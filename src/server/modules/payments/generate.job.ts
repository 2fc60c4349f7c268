import { sql } from 'kysely'
import type { Principal } from '../../platform/principal.ts'
import { regionPrefixOf } from '../../platform/scope.ts'
import * as audit from '../audit/audit.service.ts'
import { enqueue, type JobHandler } from '../jobs/jobs.service.ts'
import type { BenefitFormula, EligibilityRule } from '../programmes/rules.ts'
import { fundMayPay } from '../funds/funds.service.ts'
import { amountSql, eligibilitySql } from './cycle-sql.ts'
import * as repo from './payments.repository.ts'

// Generation of a cycle's lines as a durable job (issue 5 §3, §5). Households basis: the region's
// households are walked in id order in chunks; each chunk is one INSERT … SELECT of the eligible ones,
// committed with the job's checkpoint (the last id and line number), so a killed process resumes after
// the last committed chunk, and the unique index on (programme, period, household) makes any repeat add
// nothing. Then failed lines of earlier cycles are carried in. Entitlements basis: one statement.
// Last, the cycle's totals are written from its lines and it becomes a draft.

export interface GenerateParams {
  cycleId: string
  /** households per chunk at most (the runner may take fewer to keep a chunk to its time budget) */
  chunkSize?: number
}

interface Checkpoint {
  phase: 'households' | 'carried' | 'entitlements' | 'totals'
  afterId: string | null
  lineNo: number
  done: number
  total: number
}

export const GENERATE_CHUNK = 5000

const system = (jobId: string): Principal => ({ userId: null, username: 'system', displayName: 'system', orgId: null, scope: { regionPrefix: '', industry: null }, roles: [], permissions: new Set(), requestId: `job:${jobId}` })


/**
 * The generation job; `defaultChunk` households per chunk at most unless the job names its own. On
 * PGlite (one query at a time, requests wait behind it) the runner sizes chunks below that to its time
 * budget (JobContext.chunkSize); on PostgreSQL a larger chunk spends less on per-chunk work and blocks
 * nobody.
 */
export function generateJobWith(defaultChunk = GENERATE_CHUNK): JobHandler<GenerateParams, Checkpoint, { lines: number }> {
  return { ...generateJob, run: (ctx) => generateJob.run({ ...ctx, params: { ...ctx.params, chunkSize: ctx.params.chunkSize ?? defaultChunk } }) }
}

export const generateJob: JobHandler<GenerateParams, Checkpoint, { lines: number }> = {
  kind: 'payments.generate',
  async run(ctx) {
    const c = await repo.findCycle(ctx.db, ctx.params.cycleId)
    if (!c) throw new Error(`payment cycle ${ctx.params.cycleId} not found`)
    const programme = await ctx.db.selectFrom('programme').select(['eligibility', 'formula', 'cap_per_household_year_fen']).where('id', '=', c.programme_id).executeTakeFirstOrThrow()
    const prefix = regionPrefixOf(c.region_code)
    const key = { provinceCode: c.province_code, cycleId: c.id, programmeId: c.programme_id, period: c.period, regionPrefix: prefix, orgId: c.org_id }
    const chunk = ctx.params.chunkSize ?? GENERATE_CHUNK
    let cp: Checkpoint =
      ctx.checkpoint ??
      (c.basis === 'households'
        ? { phase: 'households', afterId: null, lineNo: await repo.maxLineNo(ctx.db, c.province_code, c.id), done: 0, total: await repo.countHouseholds(ctx.db, c.province_code, prefix) }
        : { phase: 'entitlements', afterId: null, lineNo: await repo.maxLineNo(ctx.db, c.province_code, c.id), done: 0, total: 1 })

    if (cp.phase === 'households') {
      const rule = eligibilitySql(programme.eligibility as EligibilityRule)
      const amount = amountSql(programme.formula as BenefitFormula)
      // Each chunk walks the next households and writes their lines in one statement; a chunk that
      // walks fewer than it may has reached the end of the region.
      for (let more = true; more; ) {
        const limit = ctx.chunkSize(chunk)
        await ctx.step(async (trx) => {
          const r = await repo.insertHouseholdLines(trx, key, cp.afterId, limit, rule, amount, cp.lineNo)
          more = r.walked === limit
          if (r.walked > 0) cp = { ...cp, afterId: r.lastId, lineNo: r.lastLineNo, done: cp.done + r.walked }
          return { checkpoint: cp, done: cp.done, total: Math.max(cp.total, cp.done) }
        })
      }
      await ctx.step(async (trx) => {
        const r = await repo.insertCarriedLines(trx, key, cp.lineNo)
        cp = { ...cp, phase: 'totals', lineNo: r.lastLineNo }
        return { checkpoint: cp, done: cp.done, total: cp.done }
      })
    }
    if (cp.phase === 'entitlements') {
      await ctx.step(async (trx) => {
        const r = await repo.insertEntitlementLines(trx, key, cp.lineNo)
        cp = { ...cp, phase: 'totals', lineNo: r.lastLineNo, done: 1 }
        return { checkpoint: cp, done: 1, total: 1 }
      })
    }
    let lines = 0
    await ctx.step(async (trx) => {
      const locked = await repo.lockCycle(trx, c.province_code, c.id)
      const t = await repo.lineTotals(trx, c.province_code, c.id)
      lines = t.count
      if (locked && locked.status === 'generating') {
        await repo.updateCycle(trx, locked, { status: 'draft', line_count: t.count, total_fen: t.totalFen })
        await audit.record(trx, {
          actor: { id: null, name: 'system' },
          action: 'payment.cycle_generated',
          entityType: 'payment_cycle',
          entityId: c.id,
          regionCode: c.region_code,
          after: { lines: t.count, totalFen: t.totalFen.toString(), jobId: ctx.id },
          requestId: system(ctx.id).requestId,
        })
      }
      return { checkpoint: cp, done: cp.done, total: cp.done }
    })
    // The supervision scan runs as its own job: the cycle is usable as soon as its lines are (the scan
    // runs again at submission, so a scan lost to a crash here is made up for there).
    await enqueue(ctx.db, system(ctx.id), { kind: SCAN_JOB, regionCode: c.region_code, params: { cycleId: c.id } })
    return { lines }
  },
}

export const SCAN_JOB = 'payments.scan'

export interface ScanParams {
  cycleId: string
  /** lines per range (one transaction each); the runner's setting unless named */
  chunkSize?: number
}

/**
 * The supervision scan of one cycle (payments.repository.ts scanCycle) as a durable job: the lines in
 * ranges of line numbers, each range one transaction committed with the checkpoint, so on PGlite
 * requests get in between ranges and a killed scan resumes where it stopped (the flags' unique key
 * makes a repeated range add nothing). `defaultRange` null scans the whole cycle in one transaction:
 * on PostgreSQL, where a long transaction blocks nobody, whole-cycle joins (hashed) cost a fraction
 * of the same checks range by range. Queued after generation and again at submission; the cycle's
 * approval waits for it (payments.service.ts).
 */
export function scanJobWith(defaultRange: number | null = GENERATE_CHUNK): JobHandler<ScanParams, { afterLineNo: number }, Record<string, number>> {
  return {
    kind: SCAN_JOB,
    async run(ctx) {
      const c = await repo.findCycle(ctx.db, ctx.params.cycleId)
      if (!c) throw new Error(`payment cycle ${ctx.params.cycleId} not found`)
      const programme = await ctx.db.selectFrom('programme').select(['kind', 'eligibility', 'cap_per_household_year_fen']).where('id', '=', c.programme_id).executeTakeFirstOrThrow()
      const options = {
        capFen: programme.cap_per_household_year_fen === null ? null : BigInt(programme.cap_per_household_year_fen),
        rule: c.basis === 'households' ? eligibilitySql(programme.eligibility as EligibilityRule) : null,
        fundMayPay: fundMayPay(c.fund_type, programme.kind),
        regionPrefix: regionPrefixOf(c.region_code),
      }
      const last = await repo.maxLineNo(ctx.db, c.province_code, c.id)
      const chunk = ctx.params.chunkSize ?? defaultRange ?? Math.max(last, 1)
      // A cycle has just written up to a million lines: without fresh statistics the planner takes the
      // table for empty and the scan's joins for tiny (minutes instead of seconds at a million lines).
      if (!ctx.checkpoint) await sql`ANALYZE payment_line`.execute(ctx.db)
      const found: Record<string, number> = {}
      let after = ctx.checkpoint?.afterLineNo ?? 0
      while (after < last) {
        const to = Math.min(after + ctx.chunkSize(chunk), last)
        await ctx.step(async (trx) => {
          const n = await repo.scanCycle(trx, c, { ...options, range: { afterLineNo: after, lastLineNo: to } })
          for (const [kind, count] of Object.entries(n)) found[kind] = (found[kind] ?? 0) + count
          after = to
          return { checkpoint: { afterLineNo: to }, done: to, total: last }
        })
      }
      return found
    },
  }
}
