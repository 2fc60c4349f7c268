import { text, type Text } from '../errors.ts'
import { compactInput } from './input.ts'

/**
 * Bank card numbers (domain.md §2: "Luhn where the card is a bank card"). Benefits are
 * paid to a card in the recipient's name, so a mistyped number is money sent nowhere.
 *
 * Only cards: a passbook (存折) or a corporate account number follows no common check
 * and must not be passed here.
 */
export type BankCardResult = { ok: true; number: string } | { ok: false; problem: Text }

export const bankCardProblems = {
  format: text('A bank card number has 12 to 19 digits', '银行卡号应为12至19位数字'),
  checkDigit: text(
    'The card number does not pass the check-digit test; check it for a typing error',
    '银行卡号校验不通过，请核对是否输错',
  ),
} as const satisfies Record<string, Text>

/**
 * The Luhn (ISO/IEC 7812-1) check: from the right, every second digit doubled (9 taken
 * from a product over 9), and the total a multiple of 10. UnionPay cards (62…) use it.
 */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i])
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return sum % 10 === 0
}

/**
 * Reads an untrusted card number: spaces anywhere (cards are printed in groups of four)
 * and full-width digits (input.ts) are accepted; the number returned is digits only.
 * 12–19 digits is ISO/IEC 7812's range for a primary account number.
 */
export function parseBankCard(input: unknown): BankCardResult {
  const digits = compactInput(input)
  if (digits === null || !/^\d{12,19}$/.test(digits)) return { ok: false, problem: bankCardProblems.format }
  if (!luhnValid(digits)) return { ok: false, problem: bankCardProblems.checkDigit }
  return { ok: true, number: digits }
}
