import { describe, expect, it } from 'vitest'
import { regionPrefixOf, scopeCovers } from './scope.ts'

describe('regionPrefixOf', () => {
  it.each([
    [null, ''],
    ['410000', '41'],
    ['410100', '4101'],
    ['410102', '410102'],
    ['110101', '110101'],
  ])('%s → %s', (code, prefix) => expect(regionPrefixOf(code)).toBe(prefix))
})

describe('scopeCovers', () => {
  const county = { regionPrefix: '410102', industry: null }
  const city = { regionPrefix: '4101', industry: null }
  const defence = { regionPrefix: '41', industry: 'defence' }

  it('covers its own subtree only', () => {
    expect(scopeCovers(city, '410102')).toBe(true)
    expect(scopeCovers(city, '410100')).toBe(true)
    expect(scopeCovers(city, '410200')).toBe(false)
    expect(scopeCovers(county, '410103')).toBe(false)
  })

  it('keeps national rows for national users', () => {
    expect(scopeCovers({ regionPrefix: '', industry: null }, null)).toBe(true)
    expect(scopeCovers(city, null)).toBe(false)
  })

  it('adds the industry when the scope has one', () => {
    expect(scopeCovers(defence, '410102', 'defence')).toBe(true)
    expect(scopeCovers(defence, '410102', 'metallurgy')).toBe(false)
    expect(scopeCovers(defence, '410102', null)).toBe(false)
  })
})
