import { describe, expect, it } from 'vitest'
import { RequestsInFlight } from './in-flight.ts'

describe('requests in flight', () => {
  it('is idle at once with nobody in flight, and when the last one ends', async () => {
    const t = new RequestsInFlight()
    await t.idle(10_000)
    t.begin()
    t.begin()
    let idle = false
    const waiting = t.idle(10_000).then(() => (idle = true))
    t.end()
    await new Promise((r) => setImmediate(r))
    expect(idle).toBe(false)
    t.end()
    await waiting
    expect(idle).toBe(true)
    expect(t.size).toBe(0)
  })

  it('gives up waiting after maxMs, so a job is never starved', async () => {
    const t = new RequestsInFlight()
    t.begin()
    const started = performance.now()
    await t.idle(30)
    expect(performance.now() - started).toBeGreaterThanOrEqual(25)
    expect(t.size).toBe(1)
  })
})
