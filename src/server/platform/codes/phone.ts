import { text, type Text } from '../errors.ts'
import { trimmedInput } from './input.ts'

/**
 * Mainland China telephone numbers of household members and contacts. The normalised form
 * is what is encrypted and blind-indexed (pii-crypto.ts), so the same line written two ways
 * must normalise to the same string:
 *
 * - mobile: the 11 digits, `13812345678` (a +86 / 0086 / 86 prefix is dropped);
 * - landline: area code with its trunk 0, a dash, the 7–8 digit local number, and the
 *   extension after a second dash when there is one: `0371-67891234`, `010-12345678-801`.
 */
export type PhoneResult = { ok: true; normalised: string; kind: 'mobile' | 'landline' } | { ok: false; problem: Text }

export const phoneProblems = {
  format: text(
    'Enter an 11-digit mobile number, or a landline number with its area code, e.g. 0371-67891234',
    '请输入11位手机号码，或带区号的固定电话号码，如 0371-67891234',
  ),
  mobile: text('A mobile number has 11 digits and starts with 13 to 19', '手机号码应为11位数字，以13至19开头'),
  areaCodeMissing: text(
    'Add the area code to the landline number, e.g. 0371-67891234',
    '固定电话号码请加上区号，如 0371-67891234',
  ),
} as const satisfies Record<string, Text>

// Mobile numbers: 11 digits, the second 3–9 (the 1x prefixes below 13 are service codes).
const MOBILE = /^1[3-9]\d{9}$/
// Trunk 0 and the area code: 010 and 020–029 have two digits after the 0, every other
// area code (03xx–09xx) three. No other shape is assigned, which is what lets a number
// written without a dash be split.
const AREA_CODE = /^0(?:10|2\d|[3-9]\d\d)$/
const AREA_CODE_PREFIX = /^0(?:10|2\d|[3-9]\d\d)/
// Local numbers start 2–9: a leading 0 is the trunk prefix, a leading 1 a service number (110, 12345).
const LOCAL = /^[2-9]\d{6,7}$/
// 转, 分机 and "ext" as written on Chinese business cards and forms.
const EXTENSION = /^(.*?)(?:转|分机|ext\.?|x|#)(\d{1,6})$/i

/**
 * Reads an untrusted phone number. Spaces, dashes between digit groups, full-width
 * characters (input.ts), an area code in brackets `(0371)` and a country code +86 are
 * accepted; local numbers without an area code are refused, since the same local number
 * exists in every city.
 */
export function parsePhone(input: unknown): PhoneResult {
  const trimmed = trimmedInput(input)
  if (trimmed === null) return { ok: false, problem: phoneProblems.format }
  let s = trimmed.replace(/ /g, '')

  let extension: string | undefined
  const written = EXTENSION.exec(s)
  if (written) {
    s = written[1]!.replace(/-$/, '')
    extension = written[2]
  }
  s = s.replace(/^\((0\d{2,3})\)-?/, '$1-')

  // Country code: +86 or 0086 always; a bare 86 only before a mobile number, where it
  // cannot be mistaken for the start of anything else. Written internationally, a
  // landline drops its trunk 0 (+86 371 6789 1234, +86 10 …), which is put back.
  const international = /^(?:\+|00)86-?(.*)$/.exec(s)
  if (international) {
    s = international[1]!
    if (/^(?:10|[2-9])/.test(s)) s = `0${s}`
  } else if (/^86-?1[3-9]\d-?\d{4}-?\d{4}$/.test(s)) {
    s = s.replace(/^86-?/, '')
  }

  const digits = s.replace(/-/g, '')
  if (!/^\d+$/.test(digits)) return { ok: false, problem: phoneProblems.format }

  if (digits.startsWith('1')) {
    if (extension !== undefined) return { ok: false, problem: phoneProblems.format }
    return MOBILE.test(digits) ? { ok: true, normalised: digits, kind: 'mobile' } : { ok: false, problem: phoneProblems.mobile }
  }

  const landline = splitLandline(s)
  if (landline) {
    // An extension may also follow the number after a dash: 0371-67891234-801.
    if (landline.extension !== undefined && extension !== undefined) return { ok: false, problem: phoneProblems.format }
    const ext = landline.extension ?? extension
    return { ok: true, normalised: `${landline.area}-${landline.local}${ext === undefined ? '' : `-${ext}`}`, kind: 'landline' }
  }
  if (LOCAL.test(digits)) return { ok: false, problem: phoneProblems.areaCodeMissing }
  return { ok: false, problem: phoneProblems.format }
}

function splitLandline(s: string): { area: string; local: string; extension?: string } | null {
  const parts = s.split('-')
  if (parts.length === 1) {
    // Written without a dash: the area code's shape says where it ends.
    const area = AREA_CODE_PREFIX.exec(s)?.[0]
    if (area === undefined) return null
    const local = s.slice(area.length)
    return LOCAL.test(local) ? { area, local } : null
  }
  const [area, ...rest] = parts as [string, ...string[]]
  if (!AREA_CODE.test(area)) return null
  // 0371-67891234, 0371-67891234-801, or the local number itself in two groups: 0371-6789-1234.
  if (rest.length === 1 && LOCAL.test(rest[0]!)) return { area, local: rest[0]! }
  if (rest.length === 2 && LOCAL.test(rest[0]!) && /^\d{1,6}$/.test(rest[1]!)) return { area, local: rest[0]!, extension: rest[1]! }
  if (rest.length === 2 && LOCAL.test(rest.join(''))) return { area, local: rest.join('') }
  return null
}
