import { describe, expect, it } from 'vitest'
import { hasKey, makeTranslate } from '../../i18n/context'
import en from '../../i18n/en'
import zhCN from '../../i18n/zh-CN'
import { type Flag, flagDetails } from './FlagsShared'

const flag = (kind: Flag['kind'], details: unknown) => ({ kind, details }) as Flag

describe('supervision flags in words', () => {
  const zh = makeTranslate(zhCN)
  const t = makeTranslate(en)

  it('says the amounts above the cap in yuan, from string fen', () => {
    const f = flag('over_cap', { paidThisYearFen: '120000', capFen: '100000', year: '2026' })
    expect(flagDetails(f, zh, hasKey)).toBe('2026 年已发 1,200.00 元，上限 1,000.00 元')
    expect(flagDetails(f, t, hasKey)).toBe('Paid ¥1,200.00 in 2026; cap ¥1,000.00')
  })

  it('names the other file, the shared account and the ended household', () => {
    expect(flagDetails(flag('person_twice', { otherFileNo: '410102-2026-000012', otherHouseholdId: 'x', otherCycleId: 'y' }), zh, hasKey)).toBe('与档案 410102-2026-000012 同一人')
    expect(flagDetails(flag('shared_account', { households: 3 }), zh, hasKey)).toBe('3 户共用同一账户')
    expect(flagDetails(flag('ended_household', { status: 'exited', endedAt: '2026-11-20T02:00:00+00:00', endReason: null }), zh, hasKey)).toBe('该户已脱困（2026-11-20）')
    expect(flagDetails(flag('ended_household', { status: 'removed', endedAt: '2026-11-20T02:00:00+00:00', endReason: 'deceased' }), zh, hasKey)).toBe('该户已退出（2026-11-20），原因：死亡')
    expect(flagDetails(flag('ended_household', { status: 'exited', endedAt: '2026-11-20', endReason: 'unknown_code' }), t, hasKey)).toBe('Household exited (2026-11-20); reason: unknown_code')
  })

  it('says why a line is outside the fund\'s scope, each reason in words', () => {
    const f = flag('outside_scope', { reasons: ['fund_use', 'region', 'ineligible'], fundType: 'education_aid_fund', programmeKind: 'living_subsidy', householdRegion: '410103', householdRegionName: '二七区' })
    expect(flagDetails(f, zh, hasKey)).toBe('金秋助学资金不能用于此类项目（生活补贴）；该户（二七区）不在发放单位辖区内；该户现已不符合项目条件')
    expect(flagDetails(flag('outside_scope', { reasons: ['ineligible'] }), t, hasKey)).toBe("The household no longer meets the programme's conditions")
  })
})
