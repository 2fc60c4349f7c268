import { text, type Text } from '../errors.ts'
import { compactInput } from './input.ts'

/**
 * Unified social credit codes (统一社会信用代码), GB 32100-2015 and domain.md §2: the
 * 18-character code on every enterprise's business licence, by which key enterprises
 * (domain.md §8) and employers are identified.
 */
export type CreditCodeResult = { ok: true; code: string } | { ok: false; problem: Text }

export const creditCodeProblems = {
  format: text(
    'A unified social credit code has 18 characters: digits and capital letters other than I, O, S, V and Z',
    '统一社会信用代码应为18位，由数字和大写字母组成（不含I、O、S、V、Z）',
  ),
  // Like the resident ID, the message does not name the right character (resident-id.ts).
  checkCharacter: text(
    'The check character (the last one) does not match the rest of the credit code; check it for a typing error',
    '统一社会信用代码校验位不符，请核对是否输错',
  ),
} as const satisfies Record<string, Text>

// GB 32100-2015 code character set: the 31 characters 0-9 and A-Y without I, O, S, V, Z
// (easily misread as 1, 0, 5, U, 2). A character's value is its index here.
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
// Weight i is 3^i mod 31.
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const
const SHAPE = /^[0-9A-HJ-NP-RTUW-Y]{18}$/

/** The check character of the first 17 characters (for a code the caller builds, e.g. demo data). */
export function creditCodeCheckChar(first17: string): string {
  if (!/^[0-9A-HJ-NP-RTUW-Y]{17}$/.test(first17)) throw new Error('creditCodeCheckChar takes exactly 17 code characters')
  let sum = 0
  for (let i = 0; i < 17; i++) sum += CHARSET.indexOf(first17[i]!) * WEIGHTS[i]!
  // C18 = 31 − (Σ mod 31), where 31 stands for 0.
  return CHARSET[(31 - (sum % 31)) % 31]!
}

/**
 * Reads an untrusted credit code. Spaces anywhere, full-width characters (input.ts) and
 * lower-case letters are accepted; the code returned is upper-case. Only the standard's
 * check over all 17 characters is verified, not what the parts mean (registration
 * authority and type 1–2, region 3–8, organisation code 9–17): those are the registry's
 * assignments, and a rule about them here could refuse a licence that is real.
 */
export function parseCreditCode(input: unknown): CreditCodeResult {
  const compact = compactInput(input)
  if (compact === null) return { ok: false, problem: creditCodeProblems.format }
  const code = compact.toUpperCase()
  if (!SHAPE.test(code)) return { ok: false, problem: creditCodeProblems.format }
  if (creditCodeCheckChar(code.slice(0, 17)) !== code[17]) return { ok: false, problem: creditCodeProblems.checkCharacter }
  return { ok: true, code }
}
