/**
 * How every identifier validator in this folder reads untrusted input, so that a number
 * typed on a phone, pasted from a web page or keyed in with a Chinese IME in full-width
 * mode is judged on its characters, not on how it was typed.
 */

// Chinese IMEs in full-width mode type ０-９, Ｘ, －, （ ） as the Halfwidth and Fullwidth
// Forms block (U+FF01–U+FF5E), which mirrors printable ASCII (U+0021–U+007E) one to one;
// U+3000 is the ideographic space. Only this block is mapped: NFKC would also turn ① or ²
// into digits, which no one types on purpose.
const FULL_WIDTH_OFFSET = 0xff01 - 0x21

export function toHalfWidth(s: string): string {
  return s.replace(/[\uff01-\uff5e\u3000]/g, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - FULL_WIDTH_OFFSET)))
}

// \s covers ASCII space, tab, NBSP, U+3000 and BOM; the zero-width characters are what a
// copy from a web page or a chat message leaves inside a number.
const SPACE = /[\s\u200b-\u200d\u2060]/g

/**
 * The untrusted value in half-width form with every space removed — ID, credit and card
 * numbers are often written in groups (`410102 19900101 1234`). Null when it is not a
 * string: an 18-digit number sent as a JSON number has already lost its last digits.
 */
export function compactInput(value: unknown): string | null {
  return typeof value === 'string' ? toHalfWidth(value).replace(SPACE, '') : null
}

/** As {@link compactInput}, but spaces inside are kept (collapsed to one) for inputs whose grouping means something. */
export function trimmedInput(value: unknown): string | null {
  return typeof value === 'string' ? toHalfWidth(value).replace(SPACE, ' ').replace(/ {2,}/g, ' ').trim() : null
}
