import { describe, expect, it } from 'vitest'
import { yuanText } from './money.ts'

describe('yuanText', () => {
  it('writes fen as yuan with two decimals, exactly, signs included', () => {
    expect(yuanText(123456n)).toBe('1234.56')
    expect(yuanText(5n)).toBe('0.05')
    expect(yuanText(0n)).toBe('0.00')
    expect(yuanText(-5n)).toBe('-0.05')
    expect(yuanText(900719925474099312n)).toBe('9007199254740993.12')
  })
})
