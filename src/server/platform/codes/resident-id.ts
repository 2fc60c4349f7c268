import { text, type Text } from '../errors.ts'
import { compactInput } from './input.ts'
import { chinaDate } from '../china-date.ts'

/**
 * Resident ID numbers (居民身份证号码), GB 11643-1999 and domain.md §2.
 *
 * The first six digits are the place of first registration, not today's address, and a
 * code retired since is still a valid first registration: whether it names a known region
 * is the caller's question, against the region table, not this file's.
 */
export type ResidentIdResult =
  | {
      ok: true
      /** 18 characters, a final x upper-cased: the form stored, indexed and compared. */
      id: string
      birthDate: string
      sex: 'male' | 'female'
      regionCode: string
      /** True when a 15-digit number was given and turned into its 18-digit form. */
      converted: boolean
    }
  | { ok: false; problem: Text }

export const residentIdProblems = {
  format: text(
    'A resident ID number has 18 characters (17 digits and a final digit or X), or 15 digits for an old-style number',
    '身份证号码应为18位（17位数字加末位数字或X），或15位旧式号码',
  ),
  impossibleDate: text(
    'The birth date in the ID number (digits 7 to 14) is not a real date',
    '身份证号码中的出生日期（第7至14位）不是有效日期',
  ),
  before1900: text('The birth date in the ID number is before 1900', '身份证号码中的出生日期早于1900年'),
  futureDate: text('The birth date in the ID number is later than today', '身份证号码中的出生日期晚于今天'),
  // Deliberately silent about which character would be right: naming it would turn the
  // check into a generator of valid-looking numbers for whoever mistyped or made one up.
  checkCharacter: text(
    'The check character (the last one) does not match the rest of the ID number; check it for a typing error',
    '身份证号码校验位不符，请核对是否输错',
  ),
} as const satisfies Record<string, Text>

// GB 11643-1999 check code, ISO 7064 MOD 11-2: weight i is 2^(17-i) mod 11.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const
const CHECK_CHARS = '10X98765432'

/** The check character of the first 17 digits (for a number the caller builds, e.g. demo data). */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('residentIdCheckChar takes exactly 17 digits')
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!
  return CHECK_CHARS[sum % 11]!
}

/**
 * Reads an untrusted resident ID number. Spaces anywhere and full-width digits or Ｘ are
 * accepted (see input.ts), as is a lower-case x. A 15-digit number — issued before the
 * 1999 standard, always to people born in the 1900s — becomes the 18-digit number the
 * holder's new card carries: '19' before the two-digit year, then the check character.
 *
 * `today` is the current instant; the birth date is compared with the calendar date in
 * China (UTC+8) — a child born just after midnight Beijing time is not "in the future".
 */
export function parseResidentId(input: unknown, today: Date = new Date()): ResidentIdResult {
  const compact = compactInput(input)
  if (compact === null) return { ok: false, problem: residentIdProblems.format }
  const raw = compact.toUpperCase()

  let id: string
  let converted: boolean
  if (/^\d{17}[\dX]$/.test(raw)) {
    id = raw
    converted = false
  } else if (/^\d{15}$/.test(raw)) {
    const first17 = `${raw.slice(0, 6)}19${raw.slice(6)}`
    id = first17 + residentIdCheckChar(first17)
    converted = true
  } else {
    return { ok: false, problem: residentIdProblems.format }
  }

  const year = Number(id.slice(6, 10))
  const month = Number(id.slice(10, 12))
  const day = Number(id.slice(12, 14))
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return { ok: false, problem: residentIdProblems.impossibleDate }
  }
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`
  // The standard's own example (440524188001010014) is born in 1880; no one living is,
  // and a year 18xx in a form today is a typing error.
  if (year < 1900) return { ok: false, problem: residentIdProblems.before1900 }
  if (birthDate > chinaDate(today)) return { ok: false, problem: residentIdProblems.futureDate }

  if (!converted && residentIdCheckChar(id.slice(0, 17)) !== id[17]) {
    return { ok: false, problem: residentIdProblems.checkCharacter }
  }

  return {
    ok: true,
    id,
    birthDate,
    // GB 11643-1999: odd sequence codes (digit 17) are given to men, even ones to women.
    sex: Number(id[16]) % 2 === 1 ? 'male' : 'female',
    regionCode: id.slice(0, 6),
    converted,
  }
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

