import { describe, expect, it } from 'vitest'
import { parseResidentId, residentIdCheckChar, residentIdProblems } from './resident-id.ts'

// A fixed "today" (noon in Beijing) so the future-date rule does not drift with the calendar.
const TODAY = new Date('2026-05-01T04:00:00Z')
const parse = (input: unknown) => parseResidentId(input, TODAY)
const withCheck = (first17: string) => first17 + residentIdCheckChar(first17)

describe('resident ID numbers (GB 11643-1999)', () => {
  it("accepts the standard's own example, with the check character X", () => {
    // 1·7 + 1·9 + 0·10 + 1·5 + 0·8 + 5·4 + 1·2 + 9·1 + 4·6 + 9·3 + 1·7 + 2·9 + 3·10 + 1·5 + 0·8 + 0·4 + 2·2
    //   = 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2; '10X98765432'[2] = 'X'.
    expect(parse('11010519491231002X')).toEqual({
      ok: true,
      id: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: 'female', // digit 17 is 2
      regionCode: '110105',
      converted: false,
    })
  })

  it('accepts the number domain.md uses, a man born on 1 January 1990', () => {
    // 4·7 + 1·9 + 0 + 1·5 + 0 + 2·4 + 1·2 + 9·1 + 9·6 + 0 + 0 + 1·9 + 0 + 1·5 + 1·8 + 2·4 + 3·2
    //   = 28+9+5+8+2+9+54+9+5+8+8+6 = 151; 151 mod 11 = 8; '10X98765432'[8] = '4'.
    expect(parse('410102199001011234')).toMatchObject({ ok: true, birthDate: '1990-01-01', sex: 'male', regionCode: '410102' })
  })

  it('agrees with the hand computations above', () => {
    expect(residentIdCheckChar('11010519491231002')).toBe('X')
    expect(residentIdCheckChar('41010219900101123')).toBe('4')
    expect(residentIdCheckChar('44052418800101001')).toBe('4')
    expect(() => residentIdCheckChar('4101021990010112')).toThrow()
  })

  it('accepts a lower-case x, spaces anywhere and full-width characters, and returns the canonical form', () => {
    for (const typed of ['11010519491231002x', ' 110105 19491231 002X ', '１１０１０５１９４９１２３１００２ｘ', '\t11010519491231002X\n']) {
      expect(parse(typed)).toMatchObject({ ok: true, id: '11010519491231002X' })
    }
  })

  it('converts a 15-digit number: 19 before the year, then the check character', () => {
    // 110105 491231 002 → 110105 19491231 002 + X: the standard's example in its old form.
    expect(parse('110105491231002')).toEqual({
      ok: true,
      id: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: 'female',
      regionCode: '110105',
      converted: true,
    })
    expect(parse('410102900101123')).toMatchObject({ ok: true, id: '410102199001011234', sex: 'male', converted: true })
    expect(parse('110105490231002')).toEqual({ ok: false, problem: residentIdProblems.impossibleDate })
  })

  it('refuses the wrong length or characters', () => {
    const malformed: unknown[] = [
      '',
      '   ',
      '1101051949123100', // 16
      '11010519491231002', // 17: the check character is missing
      '11010519491231002X1', // 19
      '1101051949123100XX',
      '11010519491X31002X', // X only at the end
      '11010519491231002Y',
      '11010519491231002-',
      '１１０１０５１９４９１２３１００２①', // circled digits are not digits
      11010519491231002, // a JSON number has already lost digits
      null,
      undefined,
      { id: '11010519491231002X' },
    ]
    for (const input of malformed) expect(parse(input)).toEqual({ ok: false, problem: residentIdProblems.format })
  })

  it('refuses a birth date that is not on the calendar, leap years included', () => {
    for (const date of ['19901301', '19900001', '19900100', '19900132', '19900431', '19900230', '19000229', '20230229']) {
      expect(parse(withCheck(`410102${date}123`))).toEqual({ ok: false, problem: residentIdProblems.impossibleDate })
    }
    // 2000 is a leap year (divisible by 400), 2024 an ordinary one (by 4); 1900 is not (by 100).
    for (const date of ['20000229', '20240229', '19900131', '19901231', '19000101']) {
      expect(parse(withCheck(`410102${date}123`))).toMatchObject({ ok: true })
    }
  })

  it('refuses a birth date before 1900, even with a correct check character', () => {
    // The standard's second example: 4·7+4·9+0+5·5+2·8+4·4+1·2+8·1+8·6+0+0+1·9+0+1·5+0+0+1·2 = 195;
    // 195 mod 11 = 8 → '4'. The number is well formed; the person would be 146.
    expect(parse('440524188001010014')).toEqual({ ok: false, problem: residentIdProblems.before1900 })
  })

  it('refuses a birth date after today, counting today in Beijing time', () => {
    expect(parse(withCheck('41010220260501123'))).toMatchObject({ ok: true, birthDate: '2026-05-01' })
    expect(parse(withCheck('41010220260502123'))).toEqual({ ok: false, problem: residentIdProblems.futureDate })
    // 16:30 UTC on 1 May is 00:30 on 2 May in Beijing: a child born that day is not in the future.
    expect(parseResidentId(withCheck('41010220260502123'), new Date('2026-05-01T16:30:00Z'))).toMatchObject({ ok: true })
    expect(parseResidentId(withCheck('41010220260502123'), new Date('2026-05-01T15:59:59Z'))).toMatchObject({ ok: false })
  })

  it('refuses a wrong check character without saying what it should be', () => {
    for (const last of '012356789X') {
      expect(parse(`41010219900101123${last}`)).toEqual({ ok: false, problem: residentIdProblems.checkCharacter })
    }
    expect(JSON.stringify(residentIdProblems.checkCharacter)).not.toMatch(/[0-9]/)
  })

  it('catches every single mistyped digit and every swap of neighbours (what MOD 11-2 guarantees)', () => {
    const good = '410102199001011234'
    for (let i = 0; i < 17; i++) {
      for (const d of '0123456789') {
        if (d === good[i]) continue
        expect(parse(good.slice(0, i) + d + good.slice(i + 1)).ok, `digit ${i + 1} → ${d}`).toBe(false)
      }
      const swapped = good.slice(0, i) + good[i + 1] + good[i] + good.slice(i + 2)
      if (swapped !== good) expect(parse(swapped).ok, `swap ${i + 1}/${i + 2}`).toBe(false)
    }
  })

  it('does not judge the region code: retired and unknown codes are the caller’s question', () => {
    expect(parse(withCheck('99999919900101123'))).toMatchObject({ ok: true, regionCode: '999999' })
  })
})
