import { randomUUID } from 'node:crypto'
import type { Database, Kysely, Transaction } from '../../db/database.ts'
import { decodeCursor, page } from '../../platform/cursor.ts'
import { AppError, notFound } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import { actorOf, type Principal } from '../../platform/principal.ts'
import { scopeCovers } from '../../platform/scope.ts'
import * as audit from '../audit/audit.service.ts'
import * as repo from './jobs.repository.ts'
import type { JobStatus } from './jobs.tables.ts'

/** What a job's handler may do while it runs. */
export interface JobContext<Params, Checkpoint> {
  readonly id: string
  readonly params: Params
  /** Where the last committed chunk left off; null on a first start. */
  readonly checkpoint: Checkpoint | null
  readonly db: Kysely<Database>
  /**
   * Runs one chunk. Its writes, the new checkpoint and the progress commit in one
   * transaction, and only while this runner still holds the job: a resumed job never
   * repeats a committed chunk, and a runner that lost the job commits nothing more.
   */
  step(work: (trx: Transaction<Database>) => Promise<{ checkpoint: Checkpoint; done: number | bigint; total?: number | bigint }>): Promise<void>
  /** Progress for work that writes nothing (a read-only check). */
  progress(done: number | bigint, total?: number | bigint): Promise<void>
  /** True once someone asked to cancel; the handler should stop at a chunk boundary. */
  cancelRequested(): Promise<boolean>
  /**
   * How many rows the next step should take: `preferred`, or fewer when the runner keeps each step to
   * a time budget (PGlite: every request waits behind the step in progress). The runner learns the
   * job's time per row from the steps so far (a step's rows are the growth of its `done`).
   */
  chunkSize(preferred: number): number
  /**
   * For long work between steps that holds no transaction (writing a file): gives way to requests
   * once the job has held the thread for its time budget (50 ms without one). Cheap to call per row.
   */
  breathe(): Promise<void>
}

export interface JobHandler<Params = unknown, Checkpoint = unknown, Result = unknown> {
  kind: string
  run(ctx: JobContext<Params, Checkpoint>): Promise<Result>
}

export class JobLeaseLost extends Error {
  constructor(readonly jobId: string) {
    super(`job ${jobId} was taken over by another runner`)
    this.name = 'JobLeaseLost'
  }
}

export class JobCancelled extends Error {
  constructor() {
    super('cancelled')
    this.name = 'JobCancelled'
  }
}

export interface JobView {
  id: string
  kind: string
  status: JobStatus
  progressDone: number
  progressTotal: number | null
  /** 0–100, null while the total is unknown */
  percent: number | null
  result: unknown
  error: string | null
  cancelRequested: boolean
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
}

export function toView(r: repo.JobRecord): JobView {
  const total = r.progress_total === null ? null : Number(r.progress_total)
  const done = Number(r.progress_done)
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    progressDone: done,
    progressTotal: total,
    percent: r.status === 'succeeded' ? 100 : total ? Math.min(100, Math.floor((done * 100) / total)) : null,
    result: r.result,
    error: r.error,
    cancelRequested: r.cancel_requested,
    createdAt: r.created_at.toISOString(),
    startedAt: r.started_at?.toISOString() ?? null,
    finishedAt: r.finished_at?.toISOString() ?? null,
  }
}

/**
 * Queues a job over `regionCode`'s data (null: national). The caller's service has already
 * checked the permission for this kind of work; the region must lie in the caller's scope.
 */
export async function enqueue(
  db: Kysely<Database>,
  p: Principal,
  job: { kind: string; regionCode: string | null; params: unknown; total?: number | null },
): Promise<JobView> {
  const id = await db.transaction().execute((trx) => enqueueIn(trx, p, job))
  return getJob(db, p, id)
}

/** Queues a job inside the caller's transaction: it exists exactly when the caller's writes commit. Answers its id. */
export async function enqueueIn(
  trx: Transaction<Database>,
  p: Principal,
  job: { kind: string; regionCode: string | null; params: unknown; total?: number | null },
): Promise<string> {
  if (!scopeCovers(p.scope, job.regionCode)) throw new AppError('FORBIDDEN')
  const id = await repo.insert(trx, {
    kind: job.kind,
    regionCode: job.regionCode,
    createdBy: p.userId,
    params: job.params,
    total: job.total === undefined || job.total === null ? null : BigInt(job.total),
  })
  await audit.record(trx, {
    actor: actorOf(p),
    action: 'job.enqueue',
    entityType: 'job',
    entityId: id,
    regionCode: job.regionCode,
    after: { kind: job.kind, params: job.params },
    requestId: p.requestId,
  })
  return id
}

/** Anyone whose scope covers the job's region may watch it. */
export async function getJob(db: Kysely<Database>, p: Principal, id: string): Promise<JobView> {
  if (!isUuid(id)) throw notFound()
  const found = await repo.findInScope(db, p.scope, id)
  if (!found) throw notFound()
  return toView(found)
}

export async function listJobs(db: Kysely<Database>, p: Principal, f: { cursor?: string; limit?: number }): Promise<{ items: JobView[]; nextCursor: string | null }> {
  const limit = f.limit ?? 20
  const key = decodeCursor(f.cursor, ['instant', 'uuid'])
  const rows = await repo.listInScope(db, p.scope, { after: key ? { createdAt: new Date(key[0]!), id: key[1]! } : undefined, limit: limit + 1 })
  const result = page(rows, limit, (r) => [r.created_at.toISOString(), r.id])
  return { items: result.items.map(toView), nextCursor: result.nextCursor }
}

/** Asks a job to stop: at once when it has not started, at its next chunk boundary when it runs. */
export async function cancelJob(db: Kysely<Database>, p: Principal, id: string): Promise<JobView> {
  const job = await getJob(db, p, id)
  if (job.status === 'queued' || job.status === 'running') {
    await db.transaction().execute(async (trx) => {
      await repo.requestCancel(trx, id)
      const row = await repo.findInScope(trx, p.scope, id)
      await audit.record(trx, { actor: actorOf(p), action: 'job.cancel', entityType: 'job', entityId: id, regionCode: row?.region_code ?? null, requestId: p.requestId })
    })
  }
  return getJob(db, p, id)
}

/** How long work in JavaScript holds the thread before `breathe` lets requests in, without a budget. */
const BREATHE_MS = 50
/** How long a job waits at most for the requests in flight after a step that held the thread (PGlite). */
const STEP_WAIT_MS = 1_000
/**
 * How long a job waits at most for the requests in flight without a budget (PostgreSQL), after a step
 * or a breath. A request of several queries needs the thread back after each; given one turn per 50 ms
 * it waited 50 ms a query (look-ups during a bank export p95 ~300 ms). Bounded so that a server always
 * busy still leaves a job most of its time.
 */
const BREATHE_WAIT_MS = 100

export interface RunnerOptions {
  /** How long a running job may go without a heartbeat before another runner takes it over. */
  staleMs?: number
  heartbeatMs?: number
  pollMs?: number
  /**
   * The requests this process is answering (main.ts passes the server's tracker, platform/in-flight.ts).
   * When the job gives way (after each step, and when it breathes) it waits until none is left: at
   * most 1 s with a budget (PGlite), 100 ms without. It runs at full speed when nobody is waiting.
   */
  giveWayTo?: { idle(maxMs: number): Promise<void> }
  /**
   * The time a step may hold the thread and the one connection (PGlite), in ms: steps are sized by
   * `chunkSize` to take about this long, so a request arriving meanwhile waits at most about this
   * much. Unset: steps take the sizes the handlers prefer (PostgreSQL blocks nobody).
   */
  chunkBudgetMs?: number
  log?: { error(obj: object, msg: string): void; info(obj: object, msg: string): void }
}

/**
 * Runs queued jobs one at a time in this process (PGlite serves one query at a time, so
 * handlers work in short chunks and requests keep flowing between them). Several
 * processes on one PostgreSQL database share the queue safely: claims skip locked rows
 * and every commit is fenced by the lease.
 */
export class JobRunner {
  private readonly handlers = new Map<string, JobHandler<never, never>>()
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private stopped = false

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: RunnerOptions = {},
  ) {}

  register<P, C, R>(handler: JobHandler<P, C, R>): this {
    this.handlers.set(handler.kind, handler as unknown as JobHandler<never, never>)
    return this
  }

  start(): void {
    this.stopped = false
    const tick = async () => {
      if (this.stopped) return
      try {
        while (!this.stopped && (await this.runOnce())) {
          // keep draining the queue
        }
      } catch (err) {
        this.options.log?.error({ err }, 'job runner failed to poll')
      }
      if (!this.stopped) this.timer = setTimeout(() => void (this.running = tick()), this.options.pollMs ?? 1000)
    }
    this.running = tick()
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    await this.running
  }

  /** Claims and runs one job; false when the queue was empty. */
  async runOnce(): Promise<boolean> {
    const now = new Date()
    await repo.requeueStale(this.db, new Date(now.getTime() - (this.options.staleMs ?? 60_000)))
    const lease = randomUUID()
    const job = await repo.claimNext(this.db, [...this.handlers.keys()], lease, now)
    if (!job) return false
    await this.execute(job, lease)
    return true
  }

  private async execute(job: repo.JobRecord, lease: string): Promise<void> {
    const giveWayTo = this.options.giveWayTo
    const budget = this.options.chunkBudgetMs
    const handler = this.handlers.get(job.kind)!
    const db = this.db
    let lost = false
    let done = job.progress_done
    const beat = setInterval(() => {
      void repo
        .saveProgress(db, job.id, lease, { done, now: new Date() })
        .then((held) => {
          if (!held) lost = true
        })
        .catch(() => undefined)
    }, this.options.heartbeatMs ?? 5_000)
    beat.unref()
    // Time the job has held the thread since it last gave way, and its cost per row so far.
    let since = performance.now()
    let msPerRow: number | null = null
    let doneBefore = job.progress_done
    // PGlite runs queries on this thread and settles them as microtasks, so a job's chain of awaits
    // never lets the event loop reach waiting requests. A timer turn runs the timers that came due (a
    // request's), a check turn follows the poll phase (sockets read), and `giveWayTo` then lets the
    // requests in flight finish before the job goes on.
    // With a budget the steps hold the thread (PGlite) and the wait is long; without one (PostgreSQL)
    // a request's queries still need the thread between them, and the wait is short.
    const waitMs = budget ? STEP_WAIT_MS : BREATHE_WAIT_MS
    const giveWay = async () => {
      await new Promise<void>((resolve) => setTimeout(resolve, 0))
      await new Promise<void>((resolve) => setImmediate(resolve))
      if (giveWayTo) await giveWayTo.idle(waitMs)
      since = performance.now()
    }
    const ctx: JobContext<never, never> = {
      id: job.id,
      params: job.params as never,
      checkpoint: (job.checkpoint ?? null) as never,
      db,
      async step(work) {
        if (lost) throw new JobLeaseLost(job.id)
        await db.transaction().execute(async (trx) => {
          const r = await work(trx)
          done = BigInt(r.done)
          const held = await repo.saveProgress(trx, job.id, lease, {
            done,
            total: r.total === undefined ? undefined : BigInt(r.total),
            checkpoint: r.checkpoint,
            now: new Date(),
          })
          // Rolls the chunk back: whoever holds the job now will do it.
          if (!held) throw new JobLeaseLost(job.id)
        })
        const rows = Number(done - doneBefore)
        doneBefore = done
        if (rows > 0) {
          const rate = (performance.now() - since) / rows
          msPerRow = msPerRow === null ? rate : (msPerRow + rate) / 2
        }
        await giveWay() // the requests that waited go first
      },
      chunkSize(preferred) {
        if (!budget) return preferred
        // Before the first measure a tenth of the preferred size; then as many rows as fit the budget,
        // but not below a hundredth (there the per-step work would dominate).
        const fit = msPerRow === null ? preferred / 10 : budget / msPerRow
        return Math.min(preferred, Math.max(Math.ceil(preferred / 100), Math.floor(fit)))
      },
      async breathe() {
        // The event loop is this process's on either engine: work in JavaScript (a million-row
        // spreadsheet) holds requests back on PostgreSQL too, so it breathes without a budget as well.
        if (performance.now() - since >= (budget ?? BREATHE_MS)) await giveWay()
      },
      async progress(value, total) {
        done = BigInt(value)
        const held = await repo.saveProgress(db, job.id, lease, { done, total: total === undefined ? undefined : BigInt(total), now: new Date() })
        if (!held) throw new JobLeaseLost(job.id)
      },
      cancelRequested: () => repo.isCancelRequested(db, job.id),
    }
    try {
      const result = await handler.run(ctx)
      await repo.finish(db, job.id, lease, { status: 'succeeded', result, now: new Date() })
    } catch (err) {
      if (err instanceof JobLeaseLost) {
        this.options.log?.info({ jobId: job.id }, 'job taken over by another runner')
      } else if (err instanceof JobCancelled) {
        await repo.finish(db, job.id, lease, { status: 'cancelled', now: new Date() })
      } else {
        this.options.log?.error({ err, jobId: job.id, kind: job.kind }, 'job failed')
        // People watching see what failed in their terms; the log has the stack.
        await repo.finish(db, job.id, lease, { status: 'failed', error: err instanceof Error ? err.message : String(err), now: new Date() })
      }
    } finally {
      clearInterval(beat)
    }
  }
}
