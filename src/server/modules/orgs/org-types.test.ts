import { describe, expect, it } from 'vitest'
import { canParent, levelFor } from './org-types.ts'

describe('levelFor', () => {
  it('fixes the level for bureaus and unions and checks the region matches', () => {
    expect(levelFor('city_union', 'city', true)).toEqual({ level: 'city' })
    expect(levelFor('city_union', 'county', false)).toEqual({ problem: expect.objectContaining({ en: 'must be a city-level region for this type' }) })
    expect(levelFor('ministry', null, false)).toEqual({ level: 'national' })
    expect(levelFor('ministry', 'province', true)).toEqual({ problem: expect.objectContaining({ en: 'a national body has no region' }) })
  })

  it('takes the level of centres and stations from their region', () => {
    expect(levelFor('assistance_centre', 'province', true)).toEqual({ level: 'province' })
    expect(levelFor('reemployment_centre', 'county', false)).toEqual({ level: 'county' })
    expect(levelFor('assistance_station', null, false)).toEqual({ problem: expect.objectContaining({ en: 'is required for this type' }) })
  })

  it('puts grassroots unions in counties, or in cities that have no counties (东莞)', () => {
    expect(levelFor('grassroots_union', 'county', false)).toEqual({ level: 'grassroots' })
    expect(levelFor('grassroots_union', 'city', false)).toEqual({ level: 'grassroots' })
    expect(levelFor('grassroots_union', 'city', true)).toEqual({ problem: expect.objectContaining({ en: 'a grassroots union sits in a county-level region' }) })
  })
})

describe('canParent', () => {
  it('puts children below their parent', () => {
    expect(canParent('province', 'city', 'city_union')).toBe(true)
    expect(canParent('county', 'city', 'city_union')).toBe(false)
    expect(canParent('city', 'city', 'city_union')).toBe(false)
  })

  it('lets centres and stations sit beside their parent at the same level', () => {
    expect(canParent('city', 'city', 'assistance_centre')).toBe(true)
    expect(canParent('county', 'county', 'assistance_station')).toBe(true)
  })
})
