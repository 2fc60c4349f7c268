import { describe, expect, it } from 'vitest'
import { creditCodeCheckChar, creditCodeProblems, parseCreditCode } from './credit-code.ts'

// Values: 0–9 are themselves, then A10 B11 C12 D13 E14 F15 G16 H17 J18 K19 L20 M21 N22 P23 Q24
// R25 T26 U27 W28 X29 Y30. Weights: 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28.
// Check = 31 − (Σ value·weight mod 31), 31 → 0. Each sum below was worked by hand.
const PUBLISHED = [
  // 9·1 + 1·3 + 3·9 + 5·27 + 0 + 1·26 + 0 + 0 + M21·20 + 0 + 0 + 0 + 1·8 + 0 + 0 + Y30·30 + 4·28
  //   = 9+3+27+135+26+420+8+900+112 = 1640; 1640 mod 31 = 28; 31 − 28 = 3 → '3'.
  '91350100M000100Y43',
  // 9·1 + 1·3 + 1·9 + 1·27 + 0·(19+26+16+17) + 6·20 + 0 + 0 + 0 + 3·8 + 7·24 + 3·10 + 4·30 + 1·28
  //   = 9+3+9+27+120+24+168+30+120+28 = 538; 538 mod 31 = 11; 31 − 11 = 20 → 'L'.
  '91110000600037341L',
  // The code published for Shenzhen Tencent Computer Systems Co., Ltd.:
  // 9 + 3 + 36 + 108 + 0 + 78 + 0 + 0 + 7·20 + 0 + 8·25 + 4·13 + 6·8 + 1·24 + 1·10 + 3·30 + 6·28
  //   = 9+3+36+108+78+140+200+52+48+24+10+90+168 = 966; 966 mod 31 = 5; 31 − 5 = 26 → 'T'.
  '91440300708461136T',
  // The code published for Huawei Technologies Co., Ltd.:
  // 9 + 3 + 36 + 108 + 0 + 78 + 0 + 0 + 1·20 + 9·29 + 2·25 + 2·13 + 0 + 3·24 + 8·10 + 2·30 + 1·28
  //   = 9+3+36+108+78+20+261+50+26+72+80+60+28 = 831; 831 mod 31 = 25; 31 − 25 = 6 → '6'.
  '914403001922038216',
]

describe('unified social credit codes (GB 32100-2015)', () => {
  it('accepts real codes whose check was worked by hand', () => {
    for (const code of PUBLISHED) expect(parseCreditCode(code)).toEqual({ ok: true, code })
    expect(PUBLISHED.map((c) => creditCodeCheckChar(c.slice(0, 17)))).toEqual(['3', 'L', 'T', '6'])
  })

  it('maps a remainder of 0 to the check character 0, not to 31', () => {
    // Seventeen zeros sum to 0, and 31 − 0 = 31, which the standard writes as 0.
    // 'Y1' then fifteen zeros: 30·1 + 1·3 = 33 ≡ 2 → 29 → 'X'.
    expect(creditCodeCheckChar('00000000000000000')).toBe('0')
    expect(parseCreditCode('000000000000000000')).toEqual({ ok: true, code: '000000000000000000' })
    expect(creditCodeCheckChar('Y1000000000000000')).toBe('X')
  })

  it('accepts lower case, spaces and full-width characters, and returns the upper-case code', () => {
    for (const typed of ['91350100m000100y43', ' 9135 0100 M000 100Y 43 ', '９１３５０１００Ｍ０００１００Ｙ４３']) {
      expect(parseCreditCode(typed)).toEqual({ ok: true, code: '91350100M000100Y43' })
    }
  })

  it('refuses the wrong length and characters the code never uses (I, O, S, V, Z)', () => {
    const malformed: unknown[] = [
      '',
      '91350100M000100Y4', // 17
      '91350100M000100Y433', // 19
      '91350100O000100Y43', // O for 0
      '91350100I000100Y43',
      '91350100S000100Y43',
      '91350100V000100Y43',
      '91350100Z000100Y43',
      '91350100M000100Y4-',
      913501000001001,
      null,
    ]
    for (const input of malformed) expect(parseCreditCode(input)).toEqual({ ok: false, problem: creditCodeProblems.format })
  })

  it('refuses a wrong check character', () => {
    for (const last of '0123456789ABCDEFGHJKLMNPQRTUWXY'.replace('3', '')) {
      expect(parseCreditCode(`91350100M000100Y4${last}`)).toEqual({ ok: false, problem: creditCodeProblems.checkCharacter })
    }
  })

  it('catches every single mistyped character and every swap of neighbours', () => {
    // 31 is prime and no weight is 0 mod 31, so any one changed character changes the sum;
    // neighbouring weights differ by a factor 3, so a swap changes it by 2·w·(a − b) ≢ 0.
    const good = '91440300708461136T'
    for (let i = 0; i < 17; i++) {
      for (const c of '0123456789ABCDEFGHJKLMNPQRTUWXY') {
        if (c === good[i]) continue
        expect(parseCreditCode(good.slice(0, i) + c + good.slice(i + 1)).ok, `character ${i + 1} → ${c}`).toBe(false)
      }
      const swapped = good.slice(0, i) + good[i + 1] + good[i] + good.slice(i + 2)
      if (swapped !== good) expect(parseCreditCode(swapped).ok, `swap ${i + 1}/${i + 2}`).toBe(false)
    }
  })
})
