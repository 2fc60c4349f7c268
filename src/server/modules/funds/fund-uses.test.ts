import { describe, expect, it } from 'vitest'
import { demoProgrammes } from '../../seed/programmes.ts'
import { programmeKinds } from '../programmes/programmes.service.ts'
import { fundMayPay, fundTypes, fundTypeUses } from './funds.service.ts'

describe('what each fund type may pay', () => {
  it('lets the hardship fund pay any programme, and the others only their own kinds', () => {
    for (const kind of programmeKinds) expect(fundMayPay('hardship_fund', kind)).toBe(true)
    expect(fundMayPay('education_aid_fund', 'education_aid')).toBe(true)
    expect(fundMayPay('education_aid_fund', 'living_subsidy')).toBe(false)
    expect(fundMayPay('mutual_aid_fund', 'medical_aid')).toBe(true)
    expect(fundMayPay('mutual_aid_fund', 'temporary_aid')).toBe(false)
    expect(fundMayPay('training_fund', 'graduate_employment')).toBe(true)
    expect(fundMayPay('not_a_fund', 'living_subsidy')).toBe(false)
  })

  it('names a use for every fund type, and only programme kinds that exist', () => {
    expect(Object.keys(fundTypeUses).sort()).toEqual([...fundTypes].sort())
    for (const uses of Object.values(fundTypeUses)) if (uses !== 'any') for (const kind of uses) expect(programmeKinds).toContain(kind)
  })

  it('lets every seeded programme be paid from its own fund', () => {
    for (const p of demoProgrammes) expect([p.code, fundMayPay(p.fundType, p.kind)]).toEqual([p.code, true])
  })
})
