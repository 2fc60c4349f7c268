import { describe, expect, it } from 'vitest'
import { bankCardProblems, luhnValid, parseBankCard } from './bank-card.ts'

describe('bank card numbers (Luhn)', () => {
  it('accepts published test card numbers, worked by hand', () => {
    // UnionPay test card 6250 9410 0652 8599. From the right, doubled (odd places from 0):
    // 9→18→9, 8→16→7, 5→10→1, 0→0, 1→2, 9→18→9, 5→10→1, 6→12→3 = 32; kept: 9+5+2+6+0+4+0+2 = 28; 60 ≡ 0.
    expect(parseBankCard('6250941006528599')).toEqual({ ok: true, number: '6250941006528599' })
    // 4111 1111 1111 1111: doubled are the 4 (→ 8) and seven 1s (→ 14); kept are eight 1s (8); 30 ≡ 0.
    expect(parseBankCard('4111111111111111')).toEqual({ ok: true, number: '4111111111111111' })
    // The textbook example 79927398713 (11 digits: valid Luhn, too short for a card).
    expect(luhnValid('79927398713')).toBe(true)
    expect(parseBankCard('79927398713')).toEqual({ ok: false, problem: bankCardProblems.format })
  })

  it('accepts spaces and full-width digits, and returns digits only', () => {
    for (const typed of ['6250 9410 0652 8599', ' 6250941006528599\n', '６２５０ ９４１０ ０６５２ ８５９９']) {
      expect(parseBankCard(typed)).toEqual({ ok: true, number: '6250941006528599' })
    }
  })

  it('accepts 12 and 19 digits and refuses 11 and 20', () => {
    // 12 zeros and 19 zeros sum to 0; the length is what is tested here.
    expect(parseBankCard('000000000000')).toMatchObject({ ok: true })
    expect(parseBankCard('0000000000000000000')).toMatchObject({ ok: true })
    expect(parseBankCard('00000000000')).toEqual({ ok: false, problem: bankCardProblems.format })
    expect(parseBankCard('00000000000000000000')).toEqual({ ok: false, problem: bankCardProblems.format })
  })

  it('refuses other characters and non-strings', () => {
    for (const input of ['6250-9410-0652-8599', '625094100652859X', '', 6250941006528599, null]) {
      expect(parseBankCard(input)).toEqual({ ok: false, problem: bankCardProblems.format })
    }
  })

  it('refuses a number with one digit mistyped', () => {
    const good = '6250941006528599'
    for (let i = 0; i < good.length; i++) {
      for (const d of '0123456789') {
        if (d === good[i]) continue
        expect(parseBankCard(good.slice(0, i) + d + good.slice(i + 1)), `digit ${i + 1} → ${d}`).toEqual({
          ok: false,
          problem: bankCardProblems.checkDigit,
        })
      }
    }
  })
})
