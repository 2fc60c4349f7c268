import { describe, expect, it } from 'vitest'
import { addMonthsToMonth, lastDayOf, type LoanTerms, overdueInstalments, parseFen, repaidSoFar, repaymentSchedule } from './loans.ts'

const terms = (t: Partial<LoanTerms> = {}): LoanTerms => ({
  principalFen: 10_000_000n, // 100 000 yuan
  termMonths: 12,
  startMonth: '2026-03',
  annualRateBp: 435,
  subsidyBp: 10_000,
  method: 'equal_principal',
  ...t,
})

describe('months', () => {
  it('adds months across years and gives the last day, leap years included', () => {
    expect(addMonthsToMonth('2026-11', 3)).toBe('2027-02')
    expect(addMonthsToMonth('2026-01', -1)).toBe('2025-12')
    expect(addMonthsToMonth('2026-12', 12)).toBe('2027-12')
    expect(lastDayOf('2028-02')).toBe('2028-02-29')
    expect(lastDayOf('2027-02')).toBe('2027-02-28')
    expect(lastDayOf('2026-04')).toBe('2026-04-30')
    expect(lastDayOf('2026-12')).toBe('2026-12-31')
  })
})

describe('repaymentSchedule, equal principal (等额本金)', () => {
  it('repays floor(P/n) each month and hands the remainder to the last instalment', () => {
    const s = repaymentSchedule(terms({ principalFen: 1_000_001n, termMonths: 3, annualRateBp: 0 }))
    expect(s.instalments.map((i) => i.principalFen)).toEqual([333_333n, 333_333n, 333_335n])
    expect(s.totalPrincipalFen).toBe(1_000_001n)
    expect(s.instalments.at(-1)!.balanceAfterFen).toBe(0n)
    expect(s.totalInterestFen).toBe(0n)
  })

  it('charges interest on the declining balance, cumulatively rounded down', () => {
    // 120 000 fen at 1200 bp (1 % a month), 3 months: exact interest 1200 + 800 + 400
    const s = repaymentSchedule(terms({ principalFen: 120_000n, termMonths: 3, annualRateBp: 1200, subsidyBp: 0 }))
    expect(s.instalments.map((i) => [i.principalFen, i.interestFen, i.balanceAfterFen])).toEqual([
      [40_000n, 1200n, 80_000n],
      [40_000n, 800n, 40_000n],
      [40_000n, 400n, 0n],
    ])
    expect(s.totalDueFen).toBe(122_400n)
  })

  it('spreads fractional fen so no instalment is off by a whole fen and the total is floor(exact)', () => {
    // 1000 fen at 435 bp over 7 months: exact month interest = balance × 435 / 120000
    const t = terms({ principalFen: 1000n, termMonths: 7, annualRateBp: 435, subsidyBp: 0 })
    const s = repaymentSchedule(t)
    let balance = 1000n
    let exactNumerator = 0n
    for (const i of s.instalments) {
      const exact = balance * 435n // over 120000
      exactNumerator += exact
      // |interest × 120000 − exact| < 120000
      const diff = i.interestFen * 120_000n - exact
      expect(diff > -120_000n && diff < 120_000n).toBe(true)
      balance -= i.principalFen
    }
    expect(s.totalInterestFen).toBe(exactNumerator / 120_000n)
  })

  it('keeps every sum exact over many shapes', () => {
    for (const principalFen of [1n, 7n, 99_999n, 10_000_001n, 30_000_000n])
      for (const termMonths of [1, 2, 11, 36, 360])
        for (const annualRateBp of [0, 1, 385, 435, 1999])
          for (const subsidyBp of [0, 3333, 5000, 10_000])
            for (const method of ['equal_principal', 'bullet'] as const) {
              const s = repaymentSchedule(terms({ principalFen, termMonths, annualRateBp, subsidyBp, method }))
              expect(s.instalments).toHaveLength(termMonths)
              expect(s.totalPrincipalFen).toBe(principalFen)
              expect(s.instalments.reduce((a, i) => a + i.principalFen, 0n)).toBe(principalFen)
              expect(s.totalSubsidyFen).toBe((s.totalInterestFen * BigInt(subsidyBp)) / 10_000n)
              expect(s.totalDueFen).toBe(s.totalPrincipalFen + s.totalInterestFen - s.totalSubsidyFen)
              // one check per schedule (half a million expect() calls took seconds)
              const odd = s.instalments.filter(
                (i) => i.principalFen < 0n || i.interestFen < 0n || i.subsidyFen < 0n || i.subsidyFen > i.interestFen || i.dueFen !== i.principalFen + i.interestFen - i.subsidyFen,
              )
              expect(odd).toEqual([])
              expect(s.instalments.at(-1)!.balanceAfterFen).toBe(0n)
            }
  })

  it('falls due on the last day of each month after the start month', () => {
    const s = repaymentSchedule(terms({ startMonth: '2026-11', termMonths: 4 }))
    expect(s.instalments.map((i) => i.dueOn)).toEqual(['2026-12-31', '2027-01-31', '2027-02-28', '2027-03-31'])
  })
})

describe('repaymentSchedule, bullet (到期一次还本)', () => {
  it('pays interest monthly on the whole principal and the principal at the end', () => {
    // 100 000 yuan at 4.35 %: 10 000 000 × 435 / 120 000 = 36 250 fen a month exactly
    const s = repaymentSchedule(terms({ method: 'bullet', subsidyBp: 0 }))
    expect(s.instalments.slice(0, 11).every((i) => i.principalFen === 0n && i.interestFen === 36_250n)).toBe(true)
    expect(s.instalments[11]).toMatchObject({ principalFen: 10_000_000n, interestFen: 36_250n, balanceAfterFen: 0n })
    expect(s.totalInterestFen).toBe(435_000n)
  })

  it('distributes a fractional monthly interest cumulatively (0.5 fen a month → 0,1,0,1)', () => {
    // 1000 fen at 60 bp: 1000 × 60 / 120000 = 0.5 fen a month
    const s = repaymentSchedule(terms({ principalFen: 1000n, termMonths: 4, annualRateBp: 60, method: 'bullet', subsidyBp: 0 }))
    expect(s.instalments.map((i) => i.interestFen)).toEqual([0n, 1n, 0n, 1n])
    expect(s.totalInterestFen).toBe(2n)
  })
})

describe('interest subsidy (贴息)', () => {
  it('pays the whole interest at 10 000 bp, so the borrower repays only principal', () => {
    const s = repaymentSchedule(terms())
    expect(s.totalSubsidyFen).toBe(s.totalInterestFen)
    expect(s.totalDueFen).toBe(10_000_000n)
  })

  it('splits a half share cumulatively, Σ subsidy = floor(Σ interest / 2)', () => {
    // interest 1 fen a month over 3 months, half subsidised: 0, 1, 0 → Σ 1 = floor(3/2)
    const s = repaymentSchedule(terms({ principalFen: 10_000n, termMonths: 3, annualRateBp: 12, method: 'bullet', subsidyBp: 5000 }))
    expect(s.instalments.map((i) => i.interestFen)).toEqual([1n, 1n, 1n])
    expect(s.instalments.map((i) => i.subsidyFen)).toEqual([0n, 1n, 0n])
    expect(s.totalSubsidyFen).toBe(1n)
  })
})

describe('invalid terms', () => {
  it('throws on terms the service must have refused', () => {
    expect(() => repaymentSchedule(terms({ principalFen: 0n }))).toThrow(RangeError)
    expect(() => repaymentSchedule(terms({ termMonths: 0 }))).toThrow(RangeError)
    expect(() => repaymentSchedule(terms({ termMonths: 1.5 }))).toThrow(RangeError)
    expect(() => repaymentSchedule(terms({ startMonth: '2026-13' }))).toThrow(RangeError)
    expect(() => repaymentSchedule(terms({ annualRateBp: -1 }))).toThrow(RangeError)
    expect(() => repaymentSchedule(terms({ subsidyBp: 10_001 }))).toThrow(RangeError)
    expect(() => repaymentSchedule(terms({ method: 'annuity' as never }))).toThrow(RangeError)
  })
})

describe('overdueInstalments', () => {
  // 3 × 40 000 principal + 1200/800/400 interest, no subsidy; due 2026-04-30, 05-31, 06-30
  const s = repaymentSchedule(terms({ principalFen: 120_000n, termMonths: 3, annualRateBp: 1200, subsidyBp: 0 }))

  it('is empty before the first due date and on the due date itself', () => {
    expect(overdueInstalments(s, [], '2026-04-30')).toEqual([])
  })

  it('lists unpaid instalments past due, with what part is covered', () => {
    expect(overdueInstalments(s, [], '2026-06-01')).toEqual([
      { seq: 1, dueOn: '2026-04-30', dueFen: 41_200n, paidFen: 0n, outstandingFen: 41_200n },
      { seq: 2, dueOn: '2026-05-31', dueFen: 40_800n, paidFen: 0n, outstandingFen: 40_800n },
    ])
    const partly = overdueInstalments(s, [{ paidOn: '2026-04-20', amountFen: 50_000n }], '2026-06-01')
    expect(partly).toEqual([{ seq: 2, dueOn: '2026-05-31', dueFen: 40_800n, paidFen: 8_800n, outstandingFen: 32_000n }])
  })

  it('lets a later repayment clear the arrears first and ignores repayments dated after today', () => {
    expect(overdueInstalments(s, [{ paidOn: '2026-06-10', amountFen: 82_000n }], '2026-06-15')).toEqual([])
    expect(overdueInstalments(s, [{ paidOn: '2026-06-20', amountFen: 82_000n }], '2026-06-15')).toHaveLength(2)
  })

  it('reports nothing once everything is repaid', () => {
    expect(overdueInstalments(s, [{ paidOn: '2026-04-01', amountFen: s.totalDueFen }], '2030-01-01')).toEqual([])
    expect(repaidSoFar(s, [{ paidOn: '2026-04-01', amountFen: 100_000n }])).toEqual({ repaidFen: 100_000n, remainingFen: 22_400n })
  })
})

describe('parseFen', () => {
  it('takes positive whole fen up to the maximum', () => {
    expect(parseFen('12345', 100_000n)).toBe(12_345n)
    expect(parseFen(' 7 ', 100n)).toBe(7n)
    expect(parseFen('0', 100n)).toBeNull()
    expect(parseFen('1.5', 100n)).toBeNull()
    expect(parseFen('-3', 100n)).toBeNull()
    expect(parseFen('101', 100n)).toBeNull()
    expect(parseFen(12, 100n)).toBeNull()
  })
})
