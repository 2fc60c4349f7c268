import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { login } from '../../src/server/modules/access/auth.service.ts'
import { verifyChains } from '../../src/server/modules/audit/audit.service.ts'
import { fileHousehold } from '../../src/server/modules/households/households.service.ts'
import { reverifyJob } from '../../src/server/modules/households/reverification.job.ts'
import { getRun, listItems, listRuns, resolveItem, startRun } from '../../src/server/modules/households/reverification.service.ts'
import { cancelJob, getJob, type JobHandler, JobRunner } from '../../src/server/modules/jobs/jobs.service.ts'
import { chinaDate } from '../../src/server/platform/china-date.ts'
import { residentIdCheckChar } from '../../src/server/platform/codes/resident-id.ts'
import { AppError } from '../../src/server/platform/errors.ts'
import { createPiiCipher } from '../../src/server/platform/pii-crypto.ts'
import type { Principal } from '../../src/server/platform/principal.ts'
import { addMonths } from '../../src/server/modules/households/visits.ts'
import { type TestDatabase, testDatabase } from '../support/db.ts'
import { TEST_PASSWORD } from '../support/engine.ts'

let database: TestDatabase
let worker: Principal // case_worker, county 410102
let worker2: Principal // case_worker2, county 410103
const cipher = createPiiCipher(Buffer.alloc(32, 7))
const today = chinaDate()
const year = Number(today.slice(0, 4))

async function signIn(username: string): Promise<Principal> {
  return (await login(database.db, username, TEST_PASSWORD, { ip: null, userAgent: null, requestId: `test-${username}` })).principal
}

let serial = 0
/** A valid ID number, different for every call: born 1980, county 410102. */
function nextId(): string {
  const first17 = `41010219800101${String(100 + serial++).padStart(3, '0')}`
  return first17 + residentIdCheckChar(first17)
}

/** Files a household of two (the head employed) and puts it on file with the given figures. */
async function onFile(p: Principal, regionCode: string, f: { yearlyIncomeFen: bigint; verifiedOn: string; lastVisitOn: string | null }): Promise<string> {
  const h = await fileHousehold(database.db, p, cipher, {
    regionCode,
    orgId: p.orgId!,
    address: '郑州市建设路 1 号',
    members: [
      { name: '王五', relation: 'head', idNumber: nextId(), health: 'healthy', workStatus: 'employed', monthlyIncomeFen: 50_000n },
      { name: '王六', relation: 'child', idNumber: nextId(), health: 'healthy', workStatus: 'student', monthlyIncomeFen: 0n },
    ],
  })
  await sql`UPDATE household SET status = 'verified', verified_at = ${`${f.verifiedOn}T10:00:00+08:00`}::timestamptz,
              last_visit_on = ${f.lastVisitOn}::date, yearly_income_fen = ${f.yearlyIncomeFen}
            WHERE id = ${h.id}::uuid`.execute(database.db)
  return h.id
}

/** Runs every queued job to its end. */
async function drain(runner = new JobRunner(database.db).register(reverifyJob)): Promise<void> {
  while (await runner.runOnce()) {
    // next job
  }
}

async function itemsOf(p: Principal, runId: string) {
  const all: Awaited<ReturnType<typeof listItems>>['items'] = []
  let cursor: string | undefined
  do {
    const page = await listItems(database.db, p, runId, { cursor, limit: 3 })
    all.push(...page.items)
    cursor = page.nextCursor ?? undefined
  } while (cursor)
  return all
}

const statusOf = async (id: string) => (await database.db.selectFrom('household').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status

let eligible: string
let aboveLine: string
let notVisited: string
let otherCounty: string

beforeAll(async () => {
  database = await testDatabase()
  worker = await signIn('case_worker')
  worker2 = await signIn('case_worker2')
  // 低保 800 yuan a month per person; relative hardship below 2 × = 1,600 yuan (default multiples).
  await sql`INSERT INTO local_standard (region_code, effective_from, dibao_line_fen, min_wage_fen)
            VALUES ('410100', ${addMonths(today, -24)}::date, 80000, 200000)`.execute(database.db)
  const recent = addMonths(today, -2)
  // 6,000 yuan a year for two: 250 yuan a month each, below the 低保 line.
  eligible = await onFile(worker, '410102', { yearlyIncomeFen: 600_000n, verifiedOn: recent, lastVisitOn: addMonths(today, -1) })
  // 120,000 yuan a year for two: 5,000 yuan a month each, above the relative line.
  aboveLine = await onFile(worker, '410102', { yearlyIncomeFen: 12_000_000n, verifiedOn: recent, lastVisitOn: addMonths(today, -1) })
  // eligible, but last visited seven months ago
  notVisited = await onFile(worker, '410102', { yearlyIncomeFen: 600_000n, verifiedOn: addMonths(today, -8), lastVisitOn: addMonths(today, -7) })
  otherCounty = await onFile(worker2, '410103', { yearlyIncomeFen: 600_000n, verifiedOn: recent, lastVisitOn: addMonths(today, -1) })
})
afterAll(async () => database?.drop())

describe('yearly re-verification', () => {
  let runId: string

  it('walks every household on file in scope, resuming after a crash without repeating a chunk', async () => {
    const onFileIn410102 = Number(
      (
        await sql<{ n: string }>`SELECT count(*)::text AS n FROM household WHERE region_code LIKE '410102%' AND status IN ('verified', 'reverifying')`.execute(
          database.db,
        )
      ).rows[0]!.n,
    )
    // Chunks small enough that the walk takes at least four of them.
    const chunkSize = Math.max(1, Math.ceil(onFileIn410102 / 4))
    const run = await startRun(database.db, worker, { year, chunkSize })
    runId = run.id
    expect(run).toMatchObject({ year, regionPrefix: '410102', status: 'running' })
    expect(run.jobId).not.toBeNull()

    // Runner A commits two chunks, then hangs as a dead process would.
    let release!: () => void
    const released = new Promise<void>((r) => (release = r))
    const hanging: JobHandler = {
      kind: reverifyJob.kind,
      run(ctx) {
        let steps = 0
        const step: typeof ctx.step = async (work) => {
          if (steps++ === 2) await released
          return ctx.step(work)
        }
        return reverifyJob.run({ ...ctx, step } as Parameters<typeof reverifyJob.run>[0])
      },
    }
    const a = new JobRunner(database.db, { heartbeatMs: 3_600_000 }).register(hanging)
    const aRun = a.runOnce()
    await expect.poll(async () => (await getJob(database.db, worker, run.jobId!)).progressDone, { timeout: 20_000 }).toBe(2 * chunkSize)
    expect((await getJob(database.db, worker, run.jobId!)).progressTotal).toBe(onFileIn410102)

    // Runner B finds A's heartbeat stale and resumes from the checkpoint.
    const b = new JobRunner(database.db, { staleMs: 0 }).register(reverifyJob)
    expect(await b.runOnce()).toBe(true)
    release()
    await aRun
    expect(await getJob(database.db, worker, run.jobId!)).toMatchObject({ status: 'succeeded', progressDone: onFileIn410102 })

    // One item per household, one 'reverify' history event per household, one audit entry per chunk.
    const items = await itemsOf(worker, runId)
    expect(items).toHaveLength(onFileIn410102)
    expect(new Set(items.map((i) => i.householdId)).size).toBe(onFileIn410102)
    const events = await database.db
      .selectFrom('household_event')
      .select('household_id')
      .where('action', '=', 'household.reverify')
      .where('household_id', 'in', items.map((i) => i.householdId))
      .execute()
    expect(events).toHaveLength(onFileIn410102)
    const chunks = await database.db.selectFrom('audit_log').select('after').where('action', '=', 'reverification.chunk').where('entity_id', '=', runId).execute()
    expect(chunks).toHaveLength(Math.ceil(onFileIn410102 / chunkSize))
    expect((await verifyChains(database.db, { provinceCode: '41' })).ok).toBe(true)

    const detail = await getRun(database.db, worker, runId)
    expect(detail.status).toBe('succeeded')
    expect(detail.counts.total).toBe(onFileIn410102)
    expect(detail.outcomes.reduce((n, o) => n + o.total, 0)).toBe(onFileIn410102)
  })

  it('sorts each household by its most pressing finding, keeping every finding', async () => {
    const byId = new Map((await itemsOf(worker, runId)).map((i) => [i.householdId, i]))
    expect(byId.get(eligible)).toMatchObject({ outcome: 'still_eligible', resolution: null, householdStatus: 'reverifying' })
    expect(byId.get(eligible)!.reasons).toEqual([{ code: 'eligible', hardshipType: 'deep', perCapitaMonthlyFen: '25000' }])
    expect(byId.get(aboveLine)).toMatchObject({ outcome: 'propose_exit' })
    expect(byId.get(aboveLine)!.reasons[0]).toMatchObject({ code: 'above_line', perCapitaMonthlyFen: '500000', relativeLineFen: '160000' })
    expect(byId.get(notVisited)).toMatchObject({ outcome: 'visit_overdue' })
    expect(byId.get(notVisited)!.reasons.map((r) => r.code)).toEqual(['eligible', 'visit_overdue'])
    // Only the county's households: the neighbouring county's is not on this run.
    expect(byId.has(otherCounty)).toBe(false)
    expect(await statusOf(otherCounty)).toBe('verified')

    const exits = await listItems(database.db, worker, runId, { outcome: 'propose_exit' })
    expect(exits.items.map((i) => i.householdId)).toContain(aboveLine)
    expect(exits.items.every((i) => i.outcome === 'propose_exit')).toBe(true)
  })

  it("keeps a county user's run to their county, and answers others' runs as missing", async () => {
    const run2 = await startRun(database.db, worker2, { year })
    await drain()
    const items = await itemsOf(worker2, run2.id)
    expect(items.map((i) => i.householdId)).toContain(otherCounty)
    expect(items.every((i) => i.regionCode.startsWith('410103'))).toBe(true)

    for (const call of [
      () => getRun(database.db, worker2, runId),
      () => listItems(database.db, worker2, runId),
      () => resolveItem(database.db, worker2, runId, eligible, { resolution: 'confirmed' }),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: 'NOT_FOUND' })
    }
    expect((await listRuns(database.db, worker2)).items.map((r) => r.id)).not.toContain(runId)
    expect((await listRuns(database.db, worker)).items.map((r) => r.id)).toContain(runId)
  })

  it('resolves items: confirmed goes back on file, exit_started is recorded only, dismissed needs a note', async () => {
    const confirmed = await resolveItem(database.db, worker, runId, eligible, { resolution: 'confirmed' })
    expect(confirmed).toMatchObject({ resolution: 'confirmed', householdStatus: 'verified' })
    expect(await statusOf(eligible)).toBe('verified')
    const event = await database.db.selectFrom('household_event').select(['before', 'after']).where('household_id', '=', eligible).where('action', '=', 'reverification.confirmed').executeTakeFirstOrThrow()
    expect(event).toMatchObject({ before: { status: 'reverifying' }, after: { status: 'verified' } })

    await expect(resolveItem(database.db, worker, runId, eligible, { resolution: 'dismissed', note: 'x' })).rejects.toMatchObject({ code: 'CONFLICT' })

    const exit = await resolveItem(database.db, worker, runId, aboveLine, { resolution: 'exit_started', note: '收入已提高' })
    expect(exit).toMatchObject({ resolution: 'exit_started', householdStatus: 'reverifying', note: '收入已提高' })

    const err = await resolveItem(database.db, worker, runId, notVisited, { resolution: 'dismissed' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppError)
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'note' }] })
    await resolveItem(database.db, worker, runId, notVisited, { resolution: 'dismissed', note: '上月已电话回访' })
    expect(await statusOf(notVisited)).toBe('verified')

    const open = await listItems(database.db, worker, runId, { resolved: false })
    expect(open.items.map((i) => i.householdId)).not.toContain(eligible)
    const done = await listItems(database.db, worker, runId, { resolved: true })
    expect(done.items.map((i) => i.householdId).sort()).toEqual([eligible, aboveLine, notVisited].sort())
  })

  it('refuses a second start of a running year and scope, and lets a finished one run again', async () => {
    const first = await startRun(database.db, worker, { year: year - 1 })
    await expect(startRun(database.db, worker, { year: year - 1 })).rejects.toMatchObject({ code: 'CONFLICT' })
    await cancelJob(database.db, worker, first.jobId!)
    expect((await getRun(database.db, worker, first.id)).status).toBe('cancelled')
    const again = await startRun(database.db, worker, { year: year - 1 })
    expect(again.id).not.toBe(first.id)
    await drain()
    const done = await getRun(database.db, worker, again.id)
    expect(done.status).toBe('succeeded')
    // A run for last year finds every file changed this year up to date.
    const items = await itemsOf(worker, again.id)
    expect(items.find((i) => i.householdId === eligible)).toMatchObject({ outcome: 'still_eligible' })
    await expect(startRun(database.db, worker, { year: 1999 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
  })
})
