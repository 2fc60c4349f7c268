import { describe, expect, it } from 'vitest'
import { addMonths, isIsoDate, nextDay, overdueCutoff, visitOverdue } from './visits.ts'

describe('addMonths', () => {
  it('keeps the day when the target month has it', () => {
    expect(addMonths('2026-01-15', 6)).toBe('2026-07-15')
    expect(addMonths('2026-09-30', 6)).toBe('2027-03-30')
    expect(addMonths('2026-12-01', 1)).toBe('2027-01-01')
  })

  it('clamps to the end of a shorter month, leap years included', () => {
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28')
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29')
    expect(addMonths('2026-03-31', 6)).toBe('2026-09-30')
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28')
  })

  it('goes backwards across years', () => {
    expect(addMonths('2027-03-01', -6)).toBe('2026-09-01')
    expect(addMonths('2026-02-15', -14)).toBe('2024-12-15')
  })

  it('refuses what is not a calendar day', () => {
    expect(() => addMonths('2026-02-30', 1)).toThrow(RangeError)
    expect(() => addMonths('20260101', 1)).toThrow(RangeError)
  })
})

describe('isIsoDate', () => {
  it('accepts real days only', () => {
    expect(isIsoDate('2028-02-29')).toBe(true)
    expect(isIsoDate('2027-02-29')).toBe(false)
    expect(isIsoDate('2026-13-01')).toBe(false)
    expect(isIsoDate('2026-1-01')).toBe(false)
    expect(isIsoDate(20260101)).toBe(false)
  })
})

describe('visitOverdue', () => {
  it('is not overdue on the six-month day, overdue the day after', () => {
    expect(visitOverdue('2026-01-15', '2025-01-01', '2026-07-15')).toBe(false)
    expect(visitOverdue('2026-01-15', '2025-01-01', '2026-07-16')).toBe(true)
  })

  it('clamps at month ends: last visited 31 August, due by 28 February', () => {
    expect(visitOverdue('2026-08-31', '2026-01-01', '2027-02-28')).toBe(false)
    expect(visitOverdue('2026-08-31', '2026-01-01', '2027-03-01')).toBe(true)
    // a leap year gives the extra day
    expect(visitOverdue('2027-08-31', '2027-01-01', '2028-02-29')).toBe(false)
    expect(visitOverdue('2027-08-31', '2027-01-01', '2028-03-01')).toBe(true)
  })

  it('counts from the day on file when never visited', () => {
    expect(visitOverdue(null, '2026-05-20', '2026-11-20')).toBe(false)
    expect(visitOverdue(null, '2026-05-20', '2026-11-21')).toBe(true)
  })

  it('uses the last visit, not the day on file, once visited', () => {
    expect(visitOverdue('2026-10-01', '2020-01-01', '2026-11-23')).toBe(false)
  })
})

describe('overdueCutoff', () => {
  it('names the first reference day that is not overdue', () => {
    expect(overdueCutoff('2027-03-01')).toBe('2026-09-01')
    expect(overdueCutoff('2027-02-28')).toBe('2026-08-28')
    // 2025-09-30 + 6 months is 2026-03-30, before 2026-03-31: overdue, so the cutoff is 1 October
    expect(overdueCutoff('2026-03-31')).toBe('2025-10-01')
    expect(overdueCutoff('2026-08-31')).toBe('2026-03-01')
  })

  it('agrees with visitOverdue for every reference day, every day of four years', () => {
    let today = '2026-01-01'
    let disagreements = 0
    while (today < '2030-01-01') {
      const cutoff = overdueCutoff(today)
      // reference days from eight months back up to today
      let ref = addMonths(today, -8)
      while (ref <= today) {
        if (visitOverdue(ref, ref, today) !== ref < cutoff) disagreements++
        ref = nextDay(ref)
      }
      today = nextDay(today)
    }
    expect(disagreements).toBe(0)
  })
})
