import { describe, expect, it } from 'vitest'
import { assess, type AssessInput, OUTCOME_ORDER, regionOfPrefix } from './reverification.job.ts'

const base: AssessInput = {
  year: 2026,
  today: '2026-11-23',
  hardshipType: 'deep',
  perCapitaMonthlyFen: 25_000n,
  standardId: 's1',
  dibaoLineFen: 80_000n,
  relativeMultipleBp: 20_000,
  updatedAt: new Date('2026-03-01T00:00:00Z'),
  yearlyIncomeFen: 600_000n,
  memberIncomeFen: 50_000n,
  lastVisitOn: '2026-10-01',
  since: '2026-02-01',
}

describe('re-verification findings', () => {
  it('still eligible with nothing else found', () => {
    expect(assess(base)).toEqual({ outcome: 'still_eligible', reasons: [{ code: 'eligible', hardshipType: 'deep', perCapitaMonthlyFen: '25000' }] })
  })

  it('proposes exit above the line, naming the per-capita figure and the relative line', () => {
    const r = assess({ ...base, hardshipType: null, perCapitaMonthlyFen: 500_000n, relativeMultipleBp: 15_000 })
    expect(r.outcome).toBe('propose_exit')
    expect(r.reasons[0]).toEqual({ code: 'above_line', perCapitaMonthlyFen: '500000', relativeLineFen: '120000', dibaoLineFen: '80000', standardId: 's1' })
  })

  it('keeps every finding and picks the most pressing: exit > facts > visit', () => {
    const all = assess({ ...base, hardshipType: null, updatedAt: new Date('2025-12-31T15:59:59Z'), lastVisitOn: '2026-04-01' })
    expect(all.outcome).toBe('propose_exit')
    expect(all.reasons.map((r) => r.code)).toEqual(['above_line', 'facts_stale', 'visit_overdue'])
    const factsAndVisit = assess({ ...base, updatedAt: new Date('2025-06-01T00:00:00Z'), lastVisitOn: null, since: '2025-01-01' })
    expect(factsAndVisit.outcome).toBe('facts_outdated')
    expect(assess({ ...base, lastVisitOn: '2026-05-22' }).outcome).toBe('visit_overdue')
    expect(OUTCOME_ORDER).toEqual(['propose_exit', 'facts_outdated', 'visit_overdue', 'still_eligible'])
  })

  it('reads the year boundary in China time, and missing income as facts to update', () => {
    // 2025-12-31 16:00 UTC is 1 January 2026 in China: not stale for 2026.
    expect(assess({ ...base, updatedAt: new Date('2025-12-31T16:00:00Z') }).outcome).toBe('still_eligible')
    expect(assess({ ...base, updatedAt: new Date('2025-12-31T15:59:59Z') }).reasons[1]).toEqual({ code: 'facts_stale', updatedOn: '2025-12-31', yearStart: '2026-01-01' })
    expect(assess({ ...base, yearlyIncomeFen: 0n, memberIncomeFen: 0n }).reasons.map((r) => r.code)).toEqual(['eligible', 'facts_missing'])
    expect(assess({ ...base, standardId: null, hardshipType: null }).outcome).toBe('facts_outdated')
  })

  it('maps a scope prefix to the region code its audit entries belong to', () => {
    expect([regionOfPrefix(''), regionOfPrefix('41'), regionOfPrefix('4101'), regionOfPrefix('410102')]).toEqual([null, '410000', '410100', '410102'])
  })
})
