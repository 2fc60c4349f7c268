import { describe, expect, it } from 'vitest'
import { ageOn, type ClassificationFacts, type ClassificationMember, classify, floorDiv, isWorkingAge, type StandardFigures } from './classification.ts'

const ON = '2026-06-15'

/** 低保 720 yuan, minimum wage 2200 yuan, deep < 1 ×, relative < 2 ×, accident > 80 %. */
const standard: StandardFigures = {
  id: 'std-1',
  regionCode: '410000',
  effectiveFrom: '2026-01-01',
  dibaoLineFen: 72_000n,
  minWageFen: 220_000n,
  deepMultipleBp: 10_000,
  relativeMultipleBp: 20_000,
  accidentRatioBp: 8_000,
}

const member = (over: Partial<ClassificationMember> = {}): ClassificationMember => ({
  birthDate: '1980-03-01',
  health: 'healthy',
  workStatus: 'employed',
  monthlyIncomeFen: 0n,
  schoolStage: null,
  medicalInsurance: 'employee',
  ...over,
})

/** A household that is in no hardship and fires no rule: two employed adults, a high income. */
const facts = (over: Partial<ClassificationFacts> = {}): ClassificationFacts => ({
  members: [member(), member({ birthDate: '1982-07-09' })],
  yearlyIncomeFen: 10_000_000n,
  yearlyRigidSpendingFen: 0n,
  yearlyHardshipSpendingFen: 0n,
  inDibao: false,
  migrantWorker: false,
  restructuring: null,
  socialInsurance: 'full',
  primaryCause: null,
  secondaryCauses: [],
  ...over,
})

const rules = (c: ReturnType<typeof classify>) => c.reason.lines.map((l) => l.rule)
const line = (c: ReturnType<typeof classify>, rule: string) => c.reason.lines.find((l) => l.rule === rule)

/** Yearly income for n members whose per-capita monthly figure is exactly `perCapita` fen. */
const yearlyFor = (perCapita: bigint, n: bigint) => perCapita * 12n * n

describe('ageOn and working age', () => {
  it('counts whole years, the birthday itself included', () => {
    expect(ageOn('2010-06-15', '2026-06-15')).toBe(16)
    expect(ageOn('2010-06-16', '2026-06-15')).toBe(15)
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17)
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18)
  })
  it('is 16 ≤ age < 60', () => {
    expect(isWorkingAge({ birthDate: '2010-06-16' }, ON)).toBe(false)
    expect(isWorkingAge({ birthDate: '2010-06-15' }, ON)).toBe(true)
    expect(isWorkingAge({ birthDate: '1966-06-16' }, ON)).toBe(true)
    expect(isWorkingAge({ birthDate: '1966-06-15' }, ON)).toBe(false)
  })
})

describe('floorDiv', () => {
  it('rounds toward negative infinity', () => {
    expect(floorDiv(7n, 2n)).toBe(3n)
    expect(floorDiv(-7n, 2n)).toBe(-4n)
    expect(floorDiv(-8n, 2n)).toBe(-4n)
    expect(floorDiv(7n, -2n)).toBe(-4n)
    expect(floorDiv(0n, 5n)).toBe(0n)
  })
})

describe('classify without a standard or members', () => {
  it('computes nothing without a standard and says so', () => {
    const c = classify(facts({ inDibao: true, primaryCause: 'serious_illness', members: [member({ workStatus: 'laid_off' })] }), null, ON)
    expect(c).toMatchObject({ hardshipType: null, perCapitaMonthlyFen: null, targetGroups: [], batches: [] })
    expect(c.reason).toEqual({ standardId: null, on: ON, lines: [{ rule: 'zero-employment', figures: { members: 1, ableWorkingAge: 1, employed: 0 } }, { rule: 'no-standard', figures: {} }] })
    expect(c.zeroEmployment).toBe(true)
  })
  it('computes nothing for a household without members', () => {
    const c = classify(facts({ members: [] }), standard, ON)
    expect(c.hardshipType).toBeNull()
    expect(c.perCapitaMonthlyFen).toBeNull()
    expect(rules(c)).toEqual(['no-members'])
    expect(c.reason.standardId).toBe('std-1')
  })
})

describe('per-capita figure', () => {
  it('is (income − rigid spending) ÷ 12 ÷ members, rounded down', () => {
    // (1 000 000 − 100 001) / 36 = 24 999.97… → 24 999
    const c = classify(facts({ members: [member(), member(), member()], yearlyIncomeFen: 1_000_000n, yearlyRigidSpendingFen: 100_001n }), standard, ON)
    expect(c.perCapitaMonthlyFen).toBe(24_999n)
    expect(line(c, 'per-capita')!.figures).toEqual({ countedYearlyIncomeFen: '1000000', yearlyRigidSpendingFen: '100001', members: 3, perCapitaMonthlyFen: '24999' })
  })
  it('may be negative, and rounds toward negative infinity', () => {
    const c = classify(facts({ members: [member()], yearlyIncomeFen: 0n, yearlyRigidSpendingFen: 13n }), standard, ON)
    expect(c.perCapitaMonthlyFen).toBe(-2n)
    expect(c.hardshipType).toBe('deep')
  })
  it('counts a jobless, able-bodied member of working age at the minimum wage', () => {
    const c = classify(
      facts({ members: [member({ workStatus: 'unemployed', monthlyIncomeFen: 20_000n }), member({ workStatus: 'employed', monthlyIncomeFen: 300_000n })], yearlyIncomeFen: 3_840_000n }),
      standard,
      ON,
    )
    // top-up (220 000 − 20 000) × 12 = 2 400 000; (3 840 000 + 2 400 000) / 24 = 260 000
    expect(c.perCapitaMonthlyFen).toBe(260_000n)
    expect(line(c, 'income.min-wage')!.figures).toEqual({
      joblessAbleMembers: 1,
      minWageFen: '220000',
      yearlyTopUpFen: '2400000',
      declaredYearlyIncomeFen: '3840000',
      countedYearlyIncomeFen: '6240000',
    })
  })
  it('adds nothing for a jobless member already earning the minimum wage or more', () => {
    const c = classify(facts({ members: [member({ workStatus: 'laid_off', monthlyIncomeFen: 250_000n })], yearlyIncomeFen: 12_000n }), standard, ON)
    expect(c.perCapitaMonthlyFen).toBe(1_000n)
    expect(line(c, 'income.min-wage')!.figures.yearlyTopUpFen).toBe('0')
  })
  it('does not count at the minimum wage the young, the old, the seriously ill, the disabled, students or retirees', () => {
    const c = classify(
      facts({
        members: [
          member({ workStatus: 'unemployed', birthDate: '2010-06-16' }),
          member({ workStatus: 'unemployed', birthDate: '1966-06-15' }),
          member({ workStatus: 'unemployed', health: 'serious_illness' }),
          member({ workStatus: 'laid_off', health: 'disability_3' }),
          member({ workStatus: 'student' }),
          member({ workStatus: 'retired' }),
        ],
        yearlyIncomeFen: 0n,
      }),
      standard,
      ON,
    )
    expect(c.perCapitaMonthlyFen).toBe(0n)
    expect(line(c, 'income.min-wage')).toBeUndefined()
  })
  it('counts a chronically ill jobless member as able-bodied', () => {
    const c = classify(facts({ members: [member({ workStatus: 'laid_off', health: 'chronic_illness' })], yearlyIncomeFen: 0n }), standard, ON)
    expect(c.perCapitaMonthlyFen).toBe(220_000n)
  })
})

describe('hardship type', () => {
  const one = [member()]
  it('is deep strictly below the 低保 line, relative strictly below twice it, otherwise none', () => {
    expect(classify(facts({ members: one, yearlyIncomeFen: yearlyFor(71_999n, 1n) }), standard, ON).hardshipType).toBe('deep')
    expect(classify(facts({ members: one, yearlyIncomeFen: yearlyFor(72_000n, 1n) }), standard, ON).hardshipType).toBe('relative')
    expect(classify(facts({ members: one, yearlyIncomeFen: yearlyFor(143_999n, 1n) }), standard, ON).hardshipType).toBe('relative')
    const none = classify(facts({ members: one, yearlyIncomeFen: yearlyFor(144_000n, 1n) }), standard, ON)
    expect(none.hardshipType).toBeNull()
    expect(line(none, 'type.none')!.figures).toEqual({ perCapitaMonthlyFen: '144000', dibaoLineFen: '72000', multipleBp: 20_000, thresholdFen: '144000' })
  })
  it('uses the configured multiples, exactly, even when the threshold is not a whole fen', () => {
    const odd: StandardFigures = { ...standard, dibaoLineFen: 72_001n, deepMultipleBp: 15_000, relativeMultipleBp: 25_000 }
    // 1.5 × 72 001 = 108 001.5: 108 001 is below it
    const deep = classify(facts({ members: one, yearlyIncomeFen: yearlyFor(108_001n, 1n) }), odd, ON)
    expect(deep.hardshipType).toBe('deep')
    expect(line(deep, 'type.deep')!.figures).toEqual({ perCapitaMonthlyFen: '108001', dibaoLineFen: '72001', multipleBp: 15_000, thresholdFen: '108001' })
    expect(classify(facts({ members: one, yearlyIncomeFen: yearlyFor(108_002n, 1n) }), odd, ON).hardshipType).toBe('relative')
    // 2.5 × 72 001 = 180 002.5
    expect(classify(facts({ members: one, yearlyIncomeFen: yearlyFor(180_002n, 1n) }), odd, ON).hardshipType).toBe('relative')
    expect(classify(facts({ members: one, yearlyIncomeFen: yearlyFor(180_003n, 1n) }), odd, ON).hardshipType).toBeNull()
  })
  it('is accident-caused when the hardship spending exceeds 80 % of the declared income, before the line tests', () => {
    const at = classify(facts({ yearlyIncomeFen: 1_000_000n, yearlyHardshipSpendingFen: 800_000n }), standard, ON)
    expect(at.hardshipType).not.toBe('accident')
    const above = classify(facts({ yearlyIncomeFen: 1_000_000n, yearlyHardshipSpendingFen: 800_001n }), standard, ON)
    expect(above.hardshipType).toBe('accident')
    expect(line(above, 'type.accident')!.figures).toEqual({ yearlyHardshipSpendingFen: '800001', yearlyIncomeFen: '1000000', accidentRatioBp: 8_000 })
    // below the 低保 line too, but accident wins
    const both = classify(facts({ yearlyIncomeFen: 12_000n, yearlyHardshipSpendingFen: 100_000n }), standard, ON)
    expect(both.hardshipType).toBe('accident')
  })
  it('is accident-caused with no income at all only when there is hardship spending', () => {
    expect(classify(facts({ yearlyIncomeFen: 0n, yearlyHardshipSpendingFen: 1n }), standard, ON).hardshipType).toBe('accident')
    expect(classify(facts({ yearlyIncomeFen: 0n, yearlyHardshipSpendingFen: 0n }), standard, ON).hardshipType).toBe('deep')
  })
  it('compares the spending against declared income, not the minimum-wage-counted one', () => {
    // declared 100 000, counted 100 000 + 2 640 000; spending 90 000 > 80 % of declared
    const c = classify(facts({ members: [member({ workStatus: 'unemployed' })], yearlyIncomeFen: 100_000n, yearlyHardshipSpendingFen: 90_000n }), standard, ON)
    expect(c.hardshipType).toBe('accident')
  })
})

describe('zero-employment household', () => {
  it('is one where nobody is employed and someone able-bodied is of working age', () => {
    expect(classify(facts({ members: [member({ workStatus: 'laid_off' }), member({ workStatus: 'retired', birthDate: '1950-01-01' })] }), standard, ON).zeroEmployment).toBe(true)
    expect(classify(facts({ members: [member({ workStatus: 'laid_off' }), member({ workStatus: 'employed' })] }), standard, ON).zeroEmployment).toBe(false)
    // nobody employed, but nobody able-bodied of working age
    expect(classify(facts({ members: [member({ workStatus: 'unable_to_work', health: 'disability_1' }), member({ workStatus: 'retired', birthDate: '1950-01-01' })] }), standard, ON).zeroEmployment).toBe(false)
  })
})

describe('target groups', () => {
  it('1: in 低保 with a jobless able-bodied member of working age', () => {
    const c = classify(facts({ inDibao: true, members: [member({ workStatus: 'laid_off' })] }), standard, ON)
    expect(c.targetGroups).toContain(1)
    expect(line(c, 'group.1')!.figures).toEqual({ inDibao: true, joblessAbleMembers: 1 })
    expect(classify(facts({ inDibao: true }), standard, ON).targetGroups).not.toContain(1)
    expect(classify(facts({ members: [member({ workStatus: 'laid_off' })] }), standard, ON).targetGroups).not.toContain(1)
  })
  it('2: below the 低保 line and not in 低保', () => {
    const poor = { members: [member()], yearlyIncomeFen: yearlyFor(50_000n, 1n) }
    const c = classify(facts(poor), standard, ON)
    expect(c.targetGroups).toEqual([2])
    expect(line(c, 'group.2')!.figures).toMatchObject({ inDibao: false, perCapitaMonthlyFen: '50000', thresholdFen: '72000' })
    expect(classify(facts({ ...poor, inDibao: true }), standard, ON).targetGroups).not.toContain(2)
    expect(classify(facts({ members: [member()], yearlyIncomeFen: yearlyFor(72_000n, 1n) }), standard, ON).targetGroups).not.toContain(2)
  })
  it('3: accident type, or a sudden cause, primary or secondary', () => {
    expect(classify(facts({ yearlyIncomeFen: 100n, yearlyHardshipSpendingFen: 1_000n }), standard, ON).targetGroups).toContain(3)
    for (const cause of ['serious_illness', 'natural_disaster', 'accident'] as const) {
      expect(classify(facts({ primaryCause: cause }), standard, ON).targetGroups).toEqual([3])
      expect(classify(facts({ primaryCause: 'other', secondaryCauses: ['schooling', cause] }), standard, ON).targetGroups).toEqual([3])
    }
    expect(line(classify(facts({ primaryCause: 'accident', secondaryCauses: ['serious_illness'] }), standard, ON), 'group.3')!.figures).toEqual({
      accidentType: false,
      causes: 'accident,serious_illness',
    })
    expect(classify(facts({ primaryCause: 'schooling' }), standard, ON).targetGroups).toEqual([])
  })
  it('4: migrant workers in hardship only', () => {
    expect(classify(facts({ migrantWorker: true, members: [member()], yearlyIncomeFen: yearlyFor(100_000n, 1n) }), standard, ON).targetGroups).toEqual([4])
    expect(classify(facts({ migrantWorker: true }), standard, ON).targetGroups).toEqual([])
  })
  it('5: restructuring, or laid off as a cause', () => {
    expect(classify(facts({ restructuring: 'bankruptcy' }), standard, ON).targetGroups).toEqual([5])
    expect(classify(facts({ secondaryCauses: ['laid_off'] }), standard, ON).targetGroups).toEqual([5])
    expect(line(classify(facts({ restructuring: 'merger' }), standard, ON), 'group.5')!.figures).toEqual({ restructuring: 'merger', causeLaidOff: false })
  })
  it('come out ascending, several at once', () => {
    const c = classify(
      facts({
        // the laid-off member counts at the minimum wage: 2 640 000 / 12 / 4 = 55 000 per head, deep
        members: [member({ workStatus: 'laid_off' }), ...[1940, 1942, 1944].map((y) => member({ workStatus: 'retired', birthDate: `${y}-01-01` }))],
        yearlyIncomeFen: 0n,
        inDibao: true,
        migrantWorker: true,
        restructuring: 'capacity_reduction',
        primaryCause: 'serious_illness',
      }),
      standard,
      ON,
    )
    expect(c.targetGroups).toEqual([1, 3, 4, 5])
  })
})

describe('batches', () => {
  it('employment: group 1 or 5, or a jobless able-bodied member of working age', () => {
    expect(classify(facts({ restructuring: 'merger' }), standard, ON).batches).toEqual(['employment'])
    expect(classify(facts({ members: [member({ workStatus: 'unemployed', monthlyIncomeFen: 900_000n })] }), standard, ON).batches).toEqual(['employment'])
    expect(classify(facts({ members: [member({ workStatus: 'unemployed', birthDate: '1960-01-01' })] }), standard, ON).batches).toEqual([])
  })
  it('social insurance: group 2, partial or no social insurance, an insurance cause, or a member without medical insurance', () => {
    // group 2 (deep, so also the safety net)
    expect(classify(facts({ members: [member()], yearlyIncomeFen: 0n }), standard, ON).batches).toEqual(['social_insurance', 'assistance'])
    expect(classify(facts({ socialInsurance: 'partial' }), standard, ON).batches).toEqual(['social_insurance'])
    expect(classify(facts({ socialInsurance: 'none' }), standard, ON).batches).toEqual(['social_insurance'])
    expect(classify(facts({ socialInsurance: null }), standard, ON).batches).toEqual([])
    expect(classify(facts({ primaryCause: 'uninsured' }), standard, ON).batches).toEqual(['social_insurance'])
    expect(classify(facts({ secondaryCauses: ['benefits_missing'] }), standard, ON).batches).toEqual(['social_insurance'])
    const c = classify(facts({ members: [member(), member({ medicalInsurance: 'none' })] }), standard, ON)
    expect(c.batches).toEqual(['social_insurance'])
    expect(line(c, 'batch.social_insurance')!.figures).toEqual({ group2: false, socialInsurance: 'full', causes: '', membersWithoutMedicalInsurance: 1 })
  })
  it('medical: group 3, or a seriously ill or grade 1–2 disabled member', () => {
    expect(classify(facts({ primaryCause: 'natural_disaster' }), standard, ON).batches).toEqual(['medical'])
    expect(classify(facts({ members: [member(), member({ health: 'serious_illness' })] }), standard, ON).batches).toEqual(['medical'])
    expect(classify(facts({ members: [member(), member({ health: 'disability_2' })] }), standard, ON).batches).toEqual(['medical'])
    expect(classify(facts({ members: [member(), member({ health: 'disability_3' })] }), standard, ON).batches).toEqual([])
  })
  it('assistance: deep hardship, in 低保, a member unable to work, or a pupil in a household below the relative line', () => {
    expect(classify(facts({ members: [member()], yearlyIncomeFen: 0n }), standard, ON).batches).toContain('assistance')
    expect(classify(facts({ inDibao: true }), standard, ON).batches).toEqual(['assistance'])
    expect(classify(facts({ members: [member(), member({ workStatus: 'unable_to_work', health: 'disability_4' })] }), standard, ON).batches).toEqual(['assistance'])
    const pupil = member({ workStatus: 'student', birthDate: '2012-09-01', schoolStage: 'junior' })
    const relative = classify(facts({ members: [member(), pupil], yearlyIncomeFen: yearlyFor(100_000n, 2n) }), standard, ON)
    expect(relative.hardshipType).toBe('relative')
    expect(relative.batches).toEqual(['assistance'])
    expect(line(relative, 'batch.assistance')!.figures).toEqual({ deep: false, inDibao: false, studentsBelowRelativeLine: 1, membersUnableToWork: 0 })
    // not below the relative line: no 金秋助学
    expect(classify(facts({ members: [member(), pupil] }), standard, ON).batches).toEqual([])
    // preschool and postgraduate are not 金秋助学 stages
    for (const stage of ['preschool', 'postgraduate'] as const) {
      expect(classify(facts({ members: [member(), { ...pupil, schoolStage: stage }], yearlyIncomeFen: yearlyFor(100_000n, 2n) }), standard, ON).batches).toEqual([])
    }
  })
  it('come out in the order of the code list, with a reason line each', () => {
    const c = classify(
      facts({
        members: [member({ workStatus: 'laid_off', medicalInsurance: 'none' }), member({ health: 'serious_illness', workStatus: 'unable_to_work' })],
        yearlyIncomeFen: 0n,
        inDibao: true,
      }),
      standard,
      ON,
    )
    expect(c.batches).toEqual(['employment', 'social_insurance', 'medical', 'assistance'])
    expect(rules(c).filter((r) => r.startsWith('batch.'))).toEqual(['batch.employment', 'batch.social_insurance', 'batch.medical', 'batch.assistance'])
  })
})

describe('a household not in hardship', () => {
  it('still gets its groups and batches (they describe needs)', () => {
    const c = classify(facts({ restructuring: 'bankruptcy', members: [member({ health: 'serious_illness' }), member()] }), standard, ON)
    expect(c.hardshipType).toBeNull()
    expect(c.targetGroups).toEqual([5])
    expect(c.batches).toEqual(['employment', 'medical'])
  })
  it('has a reason that is JSON-safe: money as strings of fen', () => {
    const c = classify(facts({ members: [member({ workStatus: 'laid_off' })], yearlyIncomeFen: 0n, inDibao: true }), standard, ON)
    expect(() => JSON.stringify(c.reason)).not.toThrow()
    expect(JSON.parse(JSON.stringify(c.reason))).toEqual(c.reason)
    expect(c.reason.standardId).toBe('std-1')
    expect(c.reason.on).toBe(ON)
  })
})
