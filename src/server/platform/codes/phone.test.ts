import { describe, expect, it } from 'vitest'
import { parsePhone, phoneProblems } from './phone.ts'

const mobile = (normalised: string) => ({ ok: true, normalised, kind: 'mobile' })
const landline = (normalised: string) => ({ ok: true, normalised, kind: 'landline' })

describe('mainland phone numbers', () => {
  it('normalise a mobile number however it is written to its 11 digits', () => {
    const written = [
      '13812345678',
      ' 138 1234 5678 ',
      '138-1234-5678',
      '+86 138 1234 5678',
      '+8613812345678',
      '0086 13812345678',
      '86 13812345678',
      '８６－１３８１２３４５６７８',
      '１３８１２３４５６７８',
    ]
    for (const input of written) expect(parsePhone(input), input).toEqual(mobile('13812345678'))
    for (const input of ['13012345678', '19912345678', '16612345678']) expect(parsePhone(input)).toEqual(mobile(input))
  })

  it('refuses a mobile number of the wrong length or with a 10–12 prefix, saying what a mobile number is', () => {
    for (const input of ['1381234567', '138123456789', '12812345678', '11012345678', '10086', '+86 1381234567']) {
      expect(parsePhone(input), input).toEqual({ ok: false, problem: phoneProblems.mobile })
    }
  })

  it('normalise a landline to area code, dash, local number', () => {
    const cases: [string, string][] = [
      ['0371-67891234', '0371-67891234'],
      ['037167891234', '0371-67891234'],
      ['0371 6789 1234', '0371-67891234'],
      ['(0371)67891234', '0371-67891234'],
      ['（０３７１）６７８９１２３４', '0371-67891234'],
      ['0371-6789-1234', '0371-67891234'],
      ['+86 371 6789 1234', '0371-67891234'],
      ['0086-371-67891234', '0371-67891234'],
      ['0396-2345678', '0396-2345678'], // seven digits in a smaller city
      ['03962345678', '0396-2345678'],
      ['010-52345678', '010-52345678'],
      ['01052345678', '010-52345678'],
      ['+86 10 5234 5678', '010-52345678'],
      ['021-62345678', '021-62345678'],
      ['02162345678', '021-62345678'],
      ['0755-86013388', '0755-86013388'],
    ]
    for (const [input, normalised] of cases) expect(parsePhone(input), input).toEqual(landline(normalised))
  })

  it('keep an extension after a second dash, however it was written', () => {
    for (const input of ['0371-67891234-801', '0371-67891234转801', '0371-67891234 转 801', '0371 67891234 ext. 801', '037167891234x801', '0371-67891234#801', '0371-67891234分机801']) {
      expect(parsePhone(input), input).toEqual(landline('0371-67891234-801'))
    }
    expect(parsePhone('13812345678转801')).toEqual({ ok: false, problem: phoneProblems.format })
    expect(parsePhone('0371-67891234-801转802')).toEqual({ ok: false, problem: phoneProblems.format })
  })

  it('ask for the area code when only a local number is given', () => {
    for (const input of ['67891234', '6789-1234', '2345678']) expect(parsePhone(input), input).toEqual({ ok: false, problem: phoneProblems.areaCodeMissing })
  })

  it('refuse area codes and local numbers that are never assigned', () => {
    const refused = [
      '0123-67891234', // 01x is only 010
      '0100-67891234',
      '037-67891234',
      '0371-07891234', // a local number does not start with 0 …
      '0371-17891234', // … or 1 (service numbers)
      '0371-678912', // six digits
      '0371-678912345', // nine
      '400-810-0000', // a service number, not a person's line
      '',
      'phone',
      '13812345678a',
      13812345678,
      null,
    ]
    for (const input of refused) expect(parsePhone(input), String(input)).toEqual({ ok: false, problem: phoneProblems.format })
  })
})
