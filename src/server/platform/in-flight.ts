import type { FastifyInstance } from 'fastify'

/**
 * The API requests this process is answering right now. Durable jobs on PGlite (one query at a time
 * for everybody) give way to them between chunks: a request that arrives during a chunk waits for
 * that chunk at most, and then the job holds back until no request is left, so a request of several
 * queries never waits a chunk per query. With nobody waiting the job runs at full speed.
 */
export class RequestsInFlight {
  private count = 0
  private waiters: (() => void)[] = []

  get size(): number {
    return this.count
  }

  begin(): void {
    this.count++
  }

  end(): void {
    this.count = Math.max(0, this.count - 1)
    if (this.count === 0) for (const wake of this.waiters.splice(0)) wake()
  }

  /** Resolves when no request is in flight, or after `maxMs` (a job is never starved for long). */
  idle(maxMs: number): Promise<void> {
    if (this.count === 0) return Promise.resolve()
    return new Promise((resolve) => {
      const timer = setTimeout(done, maxMs)
      function done() {
        clearTimeout(timer)
        resolve()
      }
      this.waiters.push(done)
    })
  }
}

/** The process's one tracker: the server's requests and its job runner meet here. */
export const requestsInFlight = new RequestsInFlight()

const counted = Symbol('counted in flight')

/** Counts each /api/ request from its start to its answer (or its abort). */
export function trackRequestsInFlight(app: FastifyInstance, tracker: RequestsInFlight = requestsInFlight): void {
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return
    ;(req as unknown as Record<symbol, boolean>)[counted] = true
    tracker.begin()
  })
  const finish = async (req: object) => {
    const r = req as Record<symbol, boolean>
    if (!r[counted]) return
    r[counted] = false
    tracker.end()
  }
  app.addHook('onResponse', finish)
  app.addHook('onRequestAbort', finish)
}
