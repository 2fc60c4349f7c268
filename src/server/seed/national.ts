import { sql } from 'kysely'
import type { Database, Kysely } from '../db/database.ts'

/**
 * Sizes the organisation tree to a nation for benchmarks (domain.md §12: 2.8 million
 * grassroots unions): a union for every province, city and county of the region table,
 * and `grassrootsPerCounty` grassroots unions under each county union. Set-based SQL, so
 * it runs in seconds on PostgreSQL and stays deterministic (names come from codes and
 * ordinals). Provinces that already have a union (the demo province) are left alone.
 */
export async function seedNationalUnions(db: Kysely<Database>, options: { grassrootsPerCounty: number; onProgress?: (msg: string) => void }): Promise<number> {
  const log = options.onProgress ?? (() => undefined)
  const root = await db.selectFrom('org').select('id').where('type', '=', 'ministry').where('name', '=', '中华全国总工会').executeTakeFirst()
  const rootId = root?.id ?? (await db.insertInto('org').values({ parent_id: null, name: '中华全国总工会', type: 'ministry', level: 'national', region_code: null, province_code: '00', industry: null }).returning('id').executeTakeFirstOrThrow()).id

  await sql`
    INSERT INTO org (parent_id, name, type, level, region_code, province_code)
    SELECT ${rootId}::uuid, r.name || '总工会', 'province_union', 'province', r.code, r.province_code
    FROM region r
    WHERE r.level = 'province'
      AND NOT EXISTS (SELECT 1 FROM org o WHERE o.type = 'province_union' AND o.province_code = r.province_code)`.execute(db)
  log('province unions')
  await sql`
    INSERT INTO org (parent_id, name, type, level, region_code, province_code)
    SELECT p.id, r.name || '总工会', 'city_union', 'city', r.code, r.province_code
    FROM region r JOIN org p ON p.type = 'province_union' AND p.region_code = r.parent_code
    WHERE r.level = 'city' AND NOT EXISTS (SELECT 1 FROM org o WHERE o.type = 'city_union' AND o.region_code = r.code)`.execute(db)
  log('city unions')
  await sql`
    INSERT INTO org (parent_id, name, type, level, region_code, province_code)
    SELECT p.id, r.name || '总工会', 'county_union', 'county', r.code, r.province_code
    FROM region r JOIN org p ON p.region_code = r.parent_code AND p.type IN ('city_union', 'province_union')
    WHERE r.level = 'county' AND NOT EXISTS (SELECT 1 FROM org o WHERE o.type = 'county_union' AND o.region_code = r.code)`.execute(db)
  log('county unions')

  // One county at a time keeps each statement short: PGlite serves one query at a time.
  const counties = await db.selectFrom('org').select(['id', 'region_code', 'name']).where('type', '=', 'county_union').orderBy('region_code').execute()
  let added = 0
  for (const [i, county] of counties.entries()) {
    const result = await sql`
      INSERT INTO org (parent_id, name, type, level, region_code, province_code)
      SELECT ${county.id}::uuid, ${county.region_code} || '第' || g || '基层工会', 'grassroots_union', 'grassroots', ${county.region_code}, ${county.region_code!.slice(0, 2)}
      FROM generate_series(1, ${options.grassrootsPerCounty}) g
      WHERE NOT EXISTS (SELECT 1 FROM org o WHERE o.parent_id = ${county.id}::uuid AND o.name = ${county.region_code} || '第1基层工会')`.execute(db)
    added += Number(result.numAffectedRows ?? 0n)
    if (i % 200 === 0) log(`grassroots unions: ${i}/${counties.length} counties`)
  }
  return added
}
