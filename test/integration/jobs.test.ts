import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { record, systemActor, verifyChains } from '../../src/server/modules/audit/audit.service.ts'
import { enqueue, getJob, type JobHandler, JobRunner } from '../../src/server/modules/jobs/jobs.service.ts'
import { RequestsInFlight } from '../../src/server/platform/in-flight.ts'
import { systemPrincipal } from '../../src/server/platform/principal.ts'
import { type TestDatabase, testDatabase } from '../support/db.ts'

let database: TestDatabase
beforeAll(async () => {
  database = await testDatabase()
})
afterAll(async () => database?.drop())

const system = systemPrincipal('test')

/** Writes one audit entry per item, ten items a chunk: a stand-in for an import. */
function fillHandler(options: { hangAfterChunks?: number; release?: Promise<void> } = {}): JobHandler<{ n: number; tag: string }, { next: number }, { written: number }> {
  return {
    kind: 'test.fill',
    async run(ctx) {
      let next = ctx.checkpoint?.next ?? 0
      let chunks = 0
      while (next < ctx.params.n) {
        if (options.hangAfterChunks !== undefined && chunks === options.hangAfterChunks) await options.release
        const from = next
        await ctx.step(async (trx) => {
          const to = Math.min(from + 10, ctx.params.n)
          for (let i = from; i < to; i++) {
            await record(trx, { actor: systemActor, action: 'test.fill', entityType: 'item', entityId: `${ctx.params.tag}-${i}`, regionCode: '410102' })
          }
          return { checkpoint: { next: to }, done: to, total: ctx.params.n }
        })
        next = Math.min(from + 10, ctx.params.n)
        chunks++
      }
      return { written: ctx.params.n }
    },
  }
}

async function entriesOf(tag: string): Promise<string[]> {
  const rows = await database.db.selectFrom('audit_log').select('entity_id').where('action', '=', 'test.fill').where('entity_id', 'like', `${tag}-%`).execute()
  return rows.map((r) => r.entity_id).sort()
}

describe('durable jobs', () => {
  it('run to the end with their progress and result', async () => {
    const job = await enqueue(database.db, system, { kind: 'test.fill', regionCode: '410102', params: { n: 35, tag: 'plain' } })
    expect(job).toMatchObject({ status: 'queued', progressDone: 0, percent: null })
    const runner = new JobRunner(database.db).register(fillHandler())
    expect(await runner.runOnce()).toBe(true)
    expect(await getJob(database.db, system, job.id)).toMatchObject({ status: 'succeeded', progressDone: 35, progressTotal: 35, percent: 100, result: { written: 35 } })
    expect(await entriesOf('plain')).toHaveLength(35)
    expect(await runner.runOnce()).toBe(false)
  })

  it('resume from the last committed chunk after their runner dies, repeating nothing', async () => {
    const job = await enqueue(database.db, system, { kind: 'test.fill', regionCode: '410102', params: { n: 45, tag: 'crash' } })
    let release!: () => void
    const released = new Promise<void>((r) => (release = r))
    // Runner A commits two chunks, then hangs as a dead process would: no heartbeat, no progress.
    const a = new JobRunner(database.db, { heartbeatMs: 3_600_000 }).register(fillHandler({ hangAfterChunks: 2, release: released }))
    const aRun = a.runOnce()
    await expect.poll(async () => (await getJob(database.db, system, job.id)).progressDone, { timeout: 20_000 }).toBe(20)

    // Runner B sees the job's heartbeat gone stale and takes it over from the checkpoint.
    const b = new JobRunner(database.db, { staleMs: 0 }).register(fillHandler())
    expect(await b.runOnce()).toBe(true)
    expect(await getJob(database.db, system, job.id)).toMatchObject({ status: 'succeeded', progressDone: 45 })

    // A wakes up and tries its next chunk: its lease is gone, so the chunk rolls back.
    release()
    await aRun
    const ids = await entriesOf('crash')
    expect(ids).toHaveLength(45)
    expect(new Set(ids).size).toBe(45)
    expect((await verifyChains(database.db, { provinceCode: '41' })).ok).toBe(true)
  })

  it('record a failure with its reason, and cancel a queued job at once', async () => {
    const failing: JobHandler = { kind: 'test.fail', run: async () => Promise.reject(new Error('row 7, column 身份证号: check character does not match')) }
    const job = await enqueue(database.db, system, { kind: 'test.fail', regionCode: null, params: {} })
    await new JobRunner(database.db).register(failing).runOnce()
    expect(await getJob(database.db, system, job.id)).toMatchObject({ status: 'failed', error: 'row 7, column 身份证号: check character does not match' })

    const queued = await enqueue(database.db, system, { kind: 'test.fill', regionCode: '410102', params: { n: 5, tag: 'cancel' } })
    const { cancelJob } = await import('../../src/server/modules/jobs/jobs.service.ts')
    expect(await cancelJob(database.db, system, queued.id)).toMatchObject({ status: 'cancelled', cancelRequested: true })
    expect(await new JobRunner(database.db).register(fillHandler()).runOnce()).toBe(false)
  })

  it('size their steps to the runner’s time budget, and let a timer that came due run before the next step', async () => {
    // Each step holds the thread 0.1 ms a row (busy, as PGlite does), so 1,000 rows take 100 ms; the budget is 20 ms.
    const hold = (ms: number) => {
      const until = performance.now() + ms
      while (performance.now() < until) {
        // busy
      }
    }
    const sizes: number[] = []
    const missed: number[] = []
    let timerFired = true
    const sized: JobHandler<{ n: number }, { next: number }> = {
      kind: 'test.sized',
      async run(ctx) {
        let next = ctx.checkpoint?.next ?? 0
        while (next < ctx.params.n) {
          const size = ctx.chunkSize(1000)
          sizes.push(size)
          await ctx.step(async () => {
            // A request's timer set before the last step held the thread must have run by now.
            if (!timerFired) missed.push(sizes.length)
            timerFired = false
            setTimeout(() => (timerFired = true), 0)
            hold(size / 10)
            next = Math.min(next + size, ctx.params.n)
            return { checkpoint: { next }, done: next, total: ctx.params.n }
          })
        }
        return {}
      },
    }
    await enqueue(database.db, system, { kind: 'test.sized', regionCode: null, params: { n: 6000 } })
    await new JobRunner(database.db, { chunkBudgetMs: 20 }).register(sized).runOnce()
    expect(sizes[0]).toBe(100) // a tenth of the preferred size before the first measure
    expect(Math.max(...sizes.slice(2))).toBeLessThan(400) // then what fits 20 ms, not the 1,000 preferred
    expect(Math.min(...sizes.slice(2))).toBeGreaterThanOrEqual(10) // never below a hundredth
    expect(missed).toEqual([])

    sizes.length = 0
    await enqueue(database.db, system, { kind: 'test.sized', regionCode: null, params: { n: 3000 } })
    await new JobRunner(database.db).register(sized).runOnce()
    expect(sizes).toEqual([1000, 1000, 1000]) // no budget: the preferred size
  })

  it('let a request of several round trips finish when they breathe, without a budget (as on PostgreSQL)', async () => {
    // The job is work in JavaScript (a spreadsheet) that breathes; the request needs the thread back
    // six times, for its queries' answers. Given a single turn per breath it would wait a breath
    // (50 ms) for each; waiting for the requests in flight, it waits for one breath at most.
    const requests = new RequestsInFlight()
    let tookMs = 0
    const spreadsheet: JobHandler<Record<string, never>, never> = {
      kind: 'test.spreadsheet',
      async run(ctx) {
        const request = new Promise<void>((resolve) =>
          setTimeout(async () => {
            const start = performance.now()
            requests.begin()
            for (let trip = 0; trip < 6; trip++) await new Promise((r) => setTimeout(r, 2)) // a query's answer, 2 ms away
            requests.end()
            tookMs = performance.now() - start
            resolve()
          }, 10),
        )
        const until = performance.now() + 600
        while (performance.now() < until) {
          const slice = performance.now() + 2
          while (performance.now() < slice) {
            // busy, as writing rows is
          }
          await ctx.breathe()
        }
        await request
        return {}
      },
    }
    await enqueue(database.db, system, { kind: 'test.spreadsheet', regionCode: null, params: {} })
    await new JobRunner(database.db, { giveWayTo: requests }).register(spreadsheet).runOnce()
    expect(tookMs).toBeGreaterThan(0)
    expect(tookMs).toBeLessThan(150) // a breath a query would be 300 ms
  })
})
