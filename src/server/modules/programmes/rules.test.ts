import { describe, expect, it } from 'vitest'
import { applyCap, checkEligibility, computeBenefit, type EligibilityRule, periodOf, type ProgrammeFacts, shareOf, validateFormula, validateRule } from './rules.ts'

const facts = (over: Partial<ProgrammeFacts> = {}): ProgrammeFacts => ({
  status: 'verified',
  hardshipType: 'deep',
  targetGroups: [1, 3],
  batches: ['assistance', 'medical'],
  perCapitaMonthlyFen: 60_000n,
  members: [
    { id: 'm1', schoolStage: null, health: 'serious_illness', workStatus: 'laid_off' },
    { id: 'm2', schoolStage: 'senior', health: 'healthy', workStatus: 'student' },
    { id: 'm3', schoolStage: 'college', health: 'healthy', workStatus: 'student' },
  ],
  ...over,
})

describe('checkEligibility', () => {
  const rule: EligibilityRule = {
    allOf: [
      { kind: 'status', anyOf: ['verified', 'reverifying'] },
      { kind: 'memberSchoolStage', anyOf: ['senior', 'vocational', 'college'] },
    ],
  }

  it('admits a household meeting every condition, with the figures seen', () => {
    const r = checkEligibility(rule, facts())
    expect(r.eligible).toBe(true)
    expect(r.lines).toEqual([
      { condition: rule.allOf[0], passed: true, figures: { status: 'verified' } },
      { condition: rule.allOf[1], passed: true, figures: { seen: [null, 'senior', 'college'], matching: 2 } },
    ])
  })

  it('refuses naming every condition that failed, not only the first', () => {
    const r = checkEligibility(rule, facts({ status: 'submitted', members: [{ schoolStage: 'primary', health: 'healthy', workStatus: 'student' }] }))
    expect(r.eligible).toBe(false)
    expect(r.lines.map((l) => l.passed)).toEqual([false, false])
    expect(r.lines[1]!.figures).toEqual({ seen: ['primary'], matching: 0 })
  })

  it('an empty rule admits everyone', () => {
    expect(checkEligibility({ allOf: [] }, facts()).eligible).toBe(true)
  })

  it('checks each kind', () => {
    const f = facts()
    const one = (c: EligibilityRule['allOf'][number]) => checkEligibility({ allOf: [c] }, f).eligible
    expect(one({ kind: 'hardshipType', anyOf: ['deep'] })).toBe(true)
    expect(one({ kind: 'hardshipType', anyOf: ['relative', 'accident'] })).toBe(false)
    expect(checkEligibility({ allOf: [{ kind: 'hardshipType', anyOf: ['deep'] }] }, facts({ hardshipType: null })).eligible).toBe(false)
    expect(one({ kind: 'targetGroup', anyOf: [3] })).toBe(true)
    expect(one({ kind: 'targetGroup', anyOf: [2, 5] })).toBe(false)
    expect(one({ kind: 'batch', anyOf: ['medical'] })).toBe(true)
    expect(one({ kind: 'batch', anyOf: ['employment'] })).toBe(false)
    expect(one({ kind: 'memberHealth', anyOf: ['serious_illness'] })).toBe(true)
    expect(one({ kind: 'memberHealth', anyOf: ['disability_1'] })).toBe(false)
    expect(one({ kind: 'memberWorkStatus', anyOf: ['laid_off', 'unemployed'] })).toBe(true)
    expect(one({ kind: 'memberWorkStatus', anyOf: ['retired'] })).toBe(false)
  })

  it('per capita below a limit is strict and fails when unclassified', () => {
    const c = { kind: 'perCapitaBelowFen', value: '60001' } as const
    const r = checkEligibility({ allOf: [c] }, facts())
    expect(r.eligible).toBe(true)
    expect(r.lines[0]!.figures).toEqual({ perCapitaMonthlyFen: '60000', limitFen: '60001' })
    expect(checkEligibility({ allOf: [{ kind: 'perCapitaBelowFen', value: '60000' }] }, facts()).eligible).toBe(false)
    expect(checkEligibility({ allOf: [c] }, facts({ perCapitaMonthlyFen: null })).eligible).toBe(false)
  })
})

describe('computeBenefit', () => {
  const byType = { kind: 'fixedByHardshipType', amounts: { deep: '50000', relative: '30000' } } as const

  it('fixed by hardship type; a type without an amount gets nothing', () => {
    expect(computeBenefit(byType, facts()).amountFen).toBe(50_000n)
    expect(computeBenefit(byType, facts({ hardshipType: 'relative' })).amountFen).toBe(30_000n)
    const none = computeBenefit(byType, facts({ hardshipType: 'accident' }))
    expect(none.amountFen).toBe(0n)
    expect(none.lines).toEqual([{ step: 'byHardshipType', figures: { hardshipType: 'accident', amountFen: null } }])
    expect(computeBenefit(byType, facts({ hardshipType: null })).amountFen).toBe(0n)
  })

  it('by school stage, per student, optionally only the members named', () => {
    const f = { kind: 'bySchoolStage', amounts: { senior: '200000', college: '500000' } } as const
    const all = computeBenefit(f, facts())
    expect(all.amountFen).toBe(700_000n)
    expect(all.lines.at(-1)).toEqual({ step: 'total', figures: { students: 2, amountFen: '700000' } })
    expect(computeBenefit(f, facts(), { memberIds: ['m3'] }).amountFen).toBe(500_000n)
    expect(computeBenefit(f, facts(), { memberIds: ['m1'] }).amountFen).toBe(0n)
  })

  it('share of cost rounds down to a fen and is capped', () => {
    const f = { kind: 'shareOfCost', shareBp: 5000, capFen: '2000000' } as const
    expect(computeBenefit(f, facts(), { outOfPocketFen: 12_345n }).amountFen).toBe(6_172n) // 6172.5 → 6172
    const big = computeBenefit(f, facts(), { outOfPocketFen: 10_000_000n })
    expect(big.amountFen).toBe(2_000_000n)
    expect(big.lines[1]!.figures).toMatchObject({ capped: true })
    expect(computeBenefit(f, facts()).amountFen).toBe(0n)
    expect(shareOf(3n, 3333)).toBe(0n)
    expect(shareOf(10_000n, 3333)).toBe(3333n)
  })

  it('fixed', () => {
    expect(computeBenefit({ kind: 'fixed', amountFen: '200000' }, facts()).amountFen).toBe(200_000n)
  })

  it('loan: principal capped, interest subsidy over the term rounded down', () => {
    const f = { kind: 'loan', maxPrincipalFen: '10000000', interestSubsidyBp: 345, termMonths: 24 } as const
    const r = computeBenefit(f, facts(), { requestedFen: 5_000_000n })
    expect(r.amountFen).toBe(5_000_000n)
    // 50 000 yuan × 3.45 % × 2 years = 3450 yuan
    expect(r.interestSubsidyFen).toBe(345_000n)
    const capped = computeBenefit(f, facts(), { requestedFen: 20_000_000n })
    expect(capped.amountFen).toBe(10_000_000n)
    expect(capped.lines[0]!.figures).toMatchObject({ capped: true })
    // 1 fen × 345 × 7 / 120000 → 0
    expect(computeBenefit({ ...f, termMonths: 7 }, facts(), { requestedFen: 1n }).interestSubsidyFen).toBe(0n)
    expect(computeBenefit(f, facts()).amountFen).toBe(0n)
  })
})

describe('applyCap', () => {
  it('grants up to what the yearly cap leaves', () => {
    expect(applyCap(200_000n, 0n, 600_000n)).toEqual({
      amountFen: 200_000n,
      capped: false,
      figures: { requestedFen: '200000', alreadyGrantedFen: '0', capFen: '600000', remainingFen: '600000' },
    })
    expect(applyCap(200_000n, 500_000n, 600_000n)).toMatchObject({ amountFen: 100_000n, capped: true })
    expect(applyCap(200_000n, 700_000n, 600_000n)).toMatchObject({ amountFen: 0n, capped: true, figures: { remainingFen: '0' } })
    expect(applyCap(200_000n, 400_000n, 600_000n)).toMatchObject({ amountFen: 200_000n, capped: false })
    expect(applyCap(200_000n, 9_999_999n, null)).toMatchObject({ amountFen: 200_000n, capped: false, figures: { capFen: null } })
  })
})

describe('periodOf', () => {
  it('gives the key of each frequency', () => {
    expect(periodOf('monthly', '2026-11-23')).toBe('2026-11')
    expect(periodOf('quarterly', '2026-11-23')).toBe('2026Q4')
    expect(periodOf('quarterly', '2026-01-01')).toBe('2026Q1')
    expect(periodOf('quarterly', '2026-03-31')).toBe('2026Q1')
    expect(periodOf('quarterly', '2026-04-01')).toBe('2026Q2')
    expect(periodOf('yearly', '2026-11-23')).toBe('2026')
    expect(periodOf('academic_year', '2026-09-01')).toBe('2026/2027')
    expect(periodOf('academic_year', '2026-08-31')).toBe('2025/2026')
    expect(periodOf('one_off', '2026-11-23')).toBe('2026-11-23')
    expect(() => periodOf('monthly', '2026-13-01')).toThrow(RangeError)
    expect(() => periodOf('monthly', 'nope')).toThrow(RangeError)
  })
})

describe('validateRule', () => {
  it('accepts and normalises a good rule', () => {
    expect(validateRule({ allOf: [{ kind: 'targetGroup', anyOf: [1, 5] }, { kind: 'perCapitaBelowFen', value: '0080000' }] })).toEqual({
      ok: true,
      value: { allOf: [{ kind: 'targetGroup', anyOf: [1, 5] }, { kind: 'perCapitaBelowFen', value: '80000' }] },
    })
  })

  it('names each problem by its path', () => {
    const r = validateRule({
      allOf: [
        { kind: 'hardshipType', anyOf: ['deep', 'poor'] },
        { kind: 'magic' },
        { kind: 'targetGroup', anyOf: [] },
        { kind: 'perCapitaBelowFen', value: 12 },
        { kind: 'batch', anyOf: ['medical'], extra: 1 },
        'x',
        { kind: 'status', anyOf: ['verified', 'verified'] },
      ],
    })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.errors.map((e) => e.field)).toEqual([
      'eligibility.allOf[0].anyOf',
      'eligibility.allOf[1].kind',
      'eligibility.allOf[2].anyOf',
      'eligibility.allOf[3].value',
      'eligibility.allOf[4].extra',
      'eligibility.allOf[5]',
      'eligibility.allOf[6].anyOf',
    ])
    expect(JSON.stringify(r.errors[0]!.message)).toContain('deep')
  })

  it('refuses what is not a rule', () => {
    expect(validateRule(null)).toMatchObject({ ok: false, errors: [{ field: 'eligibility' }] })
    expect(validateRule({ allOf: 'x' })).toMatchObject({ ok: false, errors: [{ field: 'eligibility.allOf' }] })
    expect(validateRule({ allOf: Array.from({ length: 21 }, () => ({ kind: 'status', anyOf: ['verified'] })) })).toMatchObject({ ok: false })
  })
})

describe('validateFormula', () => {
  it('accepts each kind', () => {
    for (const f of [
      { kind: 'fixed', amountFen: '200000' },
      { kind: 'fixedByHardshipType', amounts: { deep: '50000', relative: '30000', accident: '40000' } },
      { kind: 'bySchoolStage', amounts: { senior: '200000' } },
      { kind: 'shareOfCost', shareBp: 5000, capFen: '2000000' },
      { kind: 'loan', maxPrincipalFen: '10000000', interestSubsidyBp: 345, termMonths: 24 },
      { kind: 'loan', maxPrincipalFen: '10000000', interestSubsidyBp: 0, termMonths: 24 },
    ]) {
      expect(validateFormula(f), JSON.stringify(f)).toEqual({ ok: true, value: f })
    }
  })

  it('names each problem by its path', () => {
    const fields = (doc: unknown) => {
      const r = validateFormula(doc)
      return r.ok ? [] : r.errors.map((e) => e.field)
    }
    expect(fields({ kind: 'what' })).toEqual(['formula.kind'])
    expect(fields('x')).toEqual(['formula'])
    expect(fields({ kind: 'fixed', amountFen: 200 })).toEqual(['formula.amountFen'])
    expect(fields({ kind: 'fixed', amountFen: '0' })).toEqual(['formula.amountFen'])
    expect(fields({ kind: 'fixed', amountFen: '100000001' })).toEqual(['formula.amountFen'])
    expect(fields({ kind: 'fixedByHardshipType', amounts: { deep: '-1', rich: '5' } })).toEqual(['formula.amounts.deep', 'formula.amounts.rich'])
    expect(fields({ kind: 'bySchoolStage', amounts: {} })).toEqual(['formula.amounts'])
    expect(fields({ kind: 'shareOfCost', shareBp: 10_001, capFen: 'x' })).toEqual(['formula.shareBp', 'formula.capFen'])
    expect(fields({ kind: 'loan', maxPrincipalFen: '1', interestSubsidyBp: 1.5, termMonths: 0, rate: 1 })).toEqual(['formula.rate', 'formula.interestSubsidyBp', 'formula.termMonths'])
  })
})
