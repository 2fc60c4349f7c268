import { describe, expect, it } from 'vitest'
import { maskBankCard, maskName, maskPhone, maskResidentId } from './masking.ts'

describe('masking personal data (domain.md §11)', () => {
  it('shows an ID number as its first four and last four characters', () => {
    expect(maskResidentId('410102199001011234')).toBe('4101**********1234')
    expect(maskResidentId('11010519491231002X')).toBe('1101**********002X')
    expect(maskResidentId('110105491231002')).toBe('1101*******1002')
    expect(maskResidentId('12345678')).toBe('********')
    expect(maskResidentId('')).toBe('')
  })

  it('shows a mobile number as 3 + 4, and a landline as its area code and last four', () => {
    expect(maskPhone('13812345678')).toBe('138****5678')
    expect(maskPhone('0371-67891234')).toBe('0371-****1234')
    expect(maskPhone('0396-2345678')).toBe('0396-***5678')
    expect(maskPhone('010-52345678-801')).toBe('010-****5678')
    expect(maskPhone('+86 138 1234 5678')).toBe('138****5678')
  })

  it('masks a phone value it does not recognise more, not less', () => {
    expect(maskPhone('99912345678')).toBe('*******5678')
    expect(maskPhone('1234567')).toBe('*******')
  })

  it('shows a bank card as its last four digits', () => {
    expect(maskBankCard('6250941006528599')).toBe('************8599')
    expect(maskBankCard('6250 9410 0652 8599')).toBe('************8599')
    expect(maskBankCard('8599')).toBe('****')
  })

  it('masks Chinese names as §11 shows: one kept, two keep the first, longer keep first and last', () => {
    expect(maskName('张')).toBe('张')
    expect(maskName('张三')).toBe('张*')
    expect(maskName('张三丰')).toBe('张*丰')
    expect(maskName('欧阳娜娜')).toBe('欧**娜')
    expect(maskName(' 司马相如 ')).toBe('司**如')
  })

  it('counts a rare character outside the BMP as one character', () => {
    expect(maskName('𠮷三')).toBe('𠮷*')
    expect(maskName('张𠮷丰')).toBe('张*丰')
  })

  it('keeps the middle dot of transliterated names', () => {
    expect(maskName('买买提·艾力')).toBe('买**·*力')
    expect(maskName('阿依古丽·买买提')).toBe('阿***·**提')
  })

  it('masks a name in Latin letters word by word, keeping each initial', () => {
    expect(maskName('Li Wei')).toBe('L* W**')
    expect(maskName('Maria Garcia-Lopez')).toBe('M**** G*****-L****')
    expect(maskName('A')).toBe('A')
  })

  it('returns an empty string for an empty name', () => {
    expect(maskName('   ')).toBe('')
  })
})
