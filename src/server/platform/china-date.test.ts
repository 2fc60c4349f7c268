import { describe, expect, it } from 'vitest'
import { chinaDate } from './china-date.ts'

describe('chinaDate', () => {
  it('turns the day at 16:00 UTC, midnight in Beijing', () => {
    expect(chinaDate(new Date('2026-12-31T15:59:59Z'))).toBe('2026-12-31')
    expect(chinaDate(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01')
  })
})
