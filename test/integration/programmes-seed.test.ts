import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkEligibility, computeBenefit, validateFormula, validateRule } from '../../src/server/modules/programmes/rules.ts'
import { demoProgrammes, seedProgrammes } from '../../src/server/seed/programmes.ts'
import { type TestDatabase, testDatabase } from '../support/db.ts'

let database: TestDatabase
beforeAll(async () => {
  database = await testDatabase()
})
afterAll(async () => database?.drop())

describe('seedProgrammes', () => {
  it('stores the catalogue of domain.md §5 once, valid, national, audited', async () => {
    const codes = demoProgrammes.map((p) => p.code)
    const before = await database.db.selectFrom('programme').select('code').where('code', 'in', codes).execute()
    const first = await seedProgrammes(database.db)
    expect(first.programmes + before.length).toBe(demoProgrammes.length)
    expect(await seedProgrammes(database.db)).toEqual({ programmes: 0 })

    const rows = await database.db.selectFrom('programme').selectAll().where('code', 'in', codes).orderBy('code').execute()
    expect(rows).toHaveLength(9)
    expect(new Set(rows.map((r) => r.kind))).toEqual(
      new Set(['living_subsidy', 'festival_relief', 'education_aid', 'medical_aid', 'temporary_aid', 'entrepreneurship', 'skills_training', 'graduate_employment']),
    )
    for (const r of rows) {
      expect(validateRule(r.eligibility), r.code).toMatchObject({ ok: true })
      expect(validateFormula(r.formula), r.code).toMatchObject({ ok: true })
      expect(r.region_prefix).toBe('')
      expect(r.policy_basis).toMatch(/〔2016〕7号|1996/)
    }
    const audited = await database.db.selectFrom('audit_log').select('entity_id').where('action', '=', 'programme.create').execute()
    expect(audited.length).toBeGreaterThanOrEqual(first.programmes)

    // 金秋助学 as stored: a verified household with a college student and a senior-school student gets 5000 + 2000 yuan
    const golden = rows.find((r) => r.code === 'golden_autumn_education')!
    expect(golden.frequency).toBe('academic_year')
    const rule = validateRule(golden.eligibility)
    const formula = validateFormula(golden.formula)
    if (!rule.ok || !formula.ok) throw new Error('invalid')
    const facts = {
      status: 'verified',
      hardshipType: 'relative',
      targetGroups: [2],
      batches: ['assistance'],
      perCapitaMonthlyFen: 100_000n,
      members: [
        { schoolStage: null, health: 'healthy', workStatus: 'laid_off' },
        { schoolStage: 'college', health: 'healthy', workStatus: 'student' },
        { schoolStage: 'senior', health: 'healthy', workStatus: 'student' },
      ],
    }
    expect(checkEligibility(rule.value, facts).eligible).toBe(true)
    expect(checkEligibility(rule.value, { ...facts, status: 'submitted' }).eligible).toBe(false)
    expect(computeBenefit(formula.value, facts).amountFen).toBe(700_000n)

    const monthly = rows.find((r) => r.code === 'living_subsidy_monthly')!
    expect(monthly.formula).toEqual({ kind: 'fixedByHardshipType', amounts: { deep: '50000', relative: '30000', accident: '40000' } })
    expect(monthly.cap_per_household_year_fen).toBe(600_000n)
  })
})
