import { compactInput, trimmedInput } from './input.ts'
import { parsePhone } from './phone.ts'

/**
 * Masked forms of personal data, domain.md §11: what public postings always show, and
 * what staff screens show unless the user's role allows a full view (which is audited).
 *
 * Each function takes a stored value and never throws: a value in an unexpected shape is
 * masked more, not less, so a bad row cannot leak through a posting.
 */

const stars = (n: number) => '*'.repeat(Math.max(0, n))

/** `410102199001011234` → `4101**********1234`: region prefix and last four, as §11 shows. */
export function maskResidentId(id: string): string {
  const s = compactInput(id) ?? ''
  // Fewer than 9 characters would show (nearly) all of them: hide everything instead.
  return s.length > 8 ? s.slice(0, 4) + stars(s.length - 8) + s.slice(-4) : stars(s.length)
}

/**
 * Mobile `13812345678` → `138****5678`; landline `0371-67891234` → `0371-****1234`, the
 * area code kept and an extension left off. Anything parsePhone does not recognise keeps
 * only its last four characters, and those only when it is at least eight long.
 */
export function maskPhone(phone: string): string {
  const parsed = parsePhone(phone)
  if (parsed.ok && parsed.kind === 'mobile') {
    return parsed.normalised.slice(0, 3) + stars(4) + parsed.normalised.slice(-4)
  }
  if (parsed.ok) {
    const [area, local] = parsed.normalised.split('-') as [string, string]
    return `${area}-${stars(local.length - 4)}${local.slice(-4)}`
  }
  const s = compactInput(phone) ?? ''
  return s.length >= 8 ? stars(s.length - 4) + s.slice(-4) : stars(s.length)
}

/** `6250941006528599` → `************8599`: the last four, by which a holder recognises a card. */
export function maskBankCard(card: string): string {
  const s = compactInput(card) ?? ''
  return s.length > 4 ? stars(s.length - 4) + s.slice(-4) : stars(s.length)
}

// Kept as written: the middle dot of transliterated minority names (买买提·艾力), the
// Japanese-style dot some keyboards give for it, and the separators of Latin names.
const SEPARATOR = /^[\s·・•.\-'’]$/

/**
 * Names, domain.md §11. Chinese names count characters (code points, so a rare
 * character outside the BMP is one): one is shown as is, two keep the first (`张三` →
 * `张*`), three or more keep the first and last (`张三丰` → `张*丰`, `欧阳娜娜` → `欧**娜`,
 * `买买提·艾力` → `买**·*力`, the dot kept).
 *
 * A name with Latin letters keeps the initial of each word instead (`Li Wei` → `L* W**`,
 * `Maria Garcia-Lopez` → `M**** G*****-L****`): each word of such a name identifies on
 * its own, and initials are how these names are abbreviated anyway.
 */
export function maskName(name: string): string {
  const s = trimmedInput(name) ?? ''
  const chars = Array.from(s)
  if (/[A-Za-z]/.test(s)) {
    return chars.map((c, i) => (SEPARATOR.test(c) || i === 0 || SEPARATOR.test(chars[i - 1]!) ? c : '*')).join('')
  }
  const letters = chars.map((c, i) => ({ c, i })).filter(({ c }) => !SEPARATOR.test(c))
  if (letters.length <= 1) return s
  const shown = new Set(letters.length === 2 ? [letters[0]!.i] : [letters[0]!.i, letters[letters.length - 1]!.i])
  return chars.map((c, i) => (SEPARATOR.test(c) || shown.has(i) ? c : '*')).join('')
}
