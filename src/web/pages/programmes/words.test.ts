import { describe, expect, it } from 'vitest'
import { makeTranslate } from '../../i18n/context'
import en from '../../i18n/en'
import zhCN from '../../i18n/zh-CN'
import { eligibilityInWords, formulaInWords, type Words, yuanText } from './words'

const words = (messages: typeof zhCN): Words => {
  const t = makeTranslate(messages)
  return { t, code: (prefix, c) => (prefix === 'group' ? t('prog.group', { n: c }) : t(`${prefix}${c}` as never)) }
}

describe('programme catalogue in words', () => {
  it('yuan without needless decimals', () => {
    expect(yuanText('50000')).toBe('500')
    expect(yuanText('12345')).toBe('123.45')
    expect(yuanText('10000000')).toBe('100,000')
    expect(yuanText('5')).toBe('0.05')
  })

  it('says the benefit in Chinese and English', () => {
    const living = { frequency: 'monthly', formula: { kind: 'fixedByHardshipType', amounts: { deep: '50000', relative: '30000' } } } as const
    expect(formulaInWords(living, words(zhCN))).toBe('深度困难 500 元/月，相对困难 300 元/月')
    expect(formulaInWords(living, words(en as typeof zhCN))).toBe('deep hardship 500 yuan a month, relative hardship 300 yuan a month')
    const golden = { frequency: 'academic_year', formula: { kind: 'bySchoolStage', amounts: { college: '500000', senior: '200000' } } } as const
    expect(formulaInWords(golden, words(zhCN))).toBe('普通高中 2,000 元/学年，大学 5,000 元/学年（每名学生）')
    expect(formulaInWords({ frequency: 'one_off', formula: { kind: 'shareOfCost', shareBp: 5000, capFen: '2000000' } }, words(zhCN))).toBe('自付费用的 50%，单次最高 20,000 元')
    expect(formulaInWords({ frequency: 'one_off', formula: { kind: 'loan', maxPrincipalFen: '10000000', interestSubsidyBp: 345, termMonths: 24 } }, words(zhCN))).toBe(
      '贷款最高 100,000 元，期限 24 个月，贴息年利率 3.45%',
    )
  })

  it('says the eligibility rule, one line per condition', () => {
    const rule = {
      eligibility: {
        allOf: [
          { kind: 'hardshipType', anyOf: ['deep', 'relative'] },
          { kind: 'targetGroup', anyOf: [1, 5] },
          { kind: 'perCapitaBelowFen', value: '80000' },
        ],
      },
    } as const
    const w = words(zhCN)
    const code = (prefix: string, c: string | number) => (prefix === 'prog.type.' || prefix === 'group' ? w.code(prefix, c) : String(c))
    expect(eligibilityInWords(rule as never, { ...w, code })).toEqual(['困难类型为深度困难或相对困难', '属于类别1或类别5', '家庭月人均收入低于 800 元'])
  })
})
