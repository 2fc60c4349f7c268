import { describe, expect, it } from 'vitest'
import { compactInput, toHalfWidth, trimmedInput } from './input.ts'

describe('reading untrusted identifier input', () => {
  it('maps full-width digits, letters and punctuation to ASCII, and the ideographic space to a space', () => {
    expect(toHalfWidth('４１０１０２１９９００１０１１２３Ｘ')).toBe('41010219900101123X')
    expect(toHalfWidth('（０３７１）－６７８９１２３４')).toBe('(0371)-67891234')
    expect(toHalfWidth('ｘ\u3000')).toBe('x ')
  })

  it('leaves characters outside the full-width block alone (no NFKC: ① is not a 1)', () => {
    expect(toHalfWidth('①²')).toBe('①²')
  })

  it('removes every kind of space, including zero-width ones pasted from web pages', () => {
    expect(compactInput(' 410102\u00a019900101\u3000123\u200b4 ')).toBe('410102199001011234')
  })

  it('keeps inner spaces collapsed when asked', () => {
    expect(trimmedInput('  Li\u3000\u3000Wei ')).toBe('Li Wei')
  })

  it('refuses anything that is not a string', () => {
    for (const value of [410102199001011234, null, undefined, {}, ['4']]) {
      expect(compactInput(value)).toBeNull()
      expect(trimmedInput(value)).toBeNull()
    }
  })
})
