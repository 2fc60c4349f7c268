import { sql } from 'kysely'
import type { Database, Kysely } from '../../db/database.ts'
import type { RegionTable } from './regions.tables.ts'
import { containing } from '../../platform/like.ts'

export type RegionRecord = RegionTable & { has_children: boolean }

function regions(db: Kysely<Database>) {
  return db
    .selectFrom('region as r')
    .select(['r.code', 'r.name', 'r.level', 'r.parent_code', 'r.province_code'])
    .select(sql<boolean>`EXISTS (SELECT 1 FROM region c WHERE c.parent_code = r.code)`.as('has_children'))
}

export function findByCode(db: Kysely<Database>, code: string): Promise<RegionRecord | undefined> {
  return regions(db).where('r.code', '=', code).executeTakeFirst()
}

export function findManyByCode(db: Kysely<Database>, codes: string[]): Promise<RegionRecord[]> {
  if (codes.length === 0) return Promise.resolve([])
  return regions(db).where('r.code', 'in', codes).execute()
}

export function listChildren(db: Kysely<Database>, parentCode: string | null): Promise<RegionRecord[]> {
  const q = regions(db)
  return (parentCode === null ? q.where('r.parent_code', 'is', null) : q.where('r.parent_code', '=', parentCode)).orderBy('r.code').execute()
}

export function searchByName(db: Kysely<Database>, name: string, limit: number): Promise<RegionRecord[]> {
  const like = containing(name)
  return regions(db).where('r.name', 'like', like).orderBy('r.code').limit(limit).execute()
}

export async function countByLevel(db: Kysely<Database>): Promise<Record<RegionTable['level'], number>> {
  const rows = await db.selectFrom('region').select(['level', (eb) => eb.fn.countAll<bigint>().as('n')]).groupBy('level').execute()
  const out = { province: 0, city: 0, county: 0 }
  for (const r of rows) out[r.level] = Number(r.n)
  return out
}
