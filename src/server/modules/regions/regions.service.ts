import type { Database, Kysely } from '../../db/database.ts'
import { invalid, notFound, text } from '../../platform/errors.ts'
import * as repo from './regions.repository.ts'
import type { RegionLevel } from './regions.tables.ts'

/** GB/T 2260 divisions are public reference data: every signed-in user may read all of them. */
export interface Region {
  code: string
  name: string
  level: RegionLevel
  parentCode: string | null
  hasChildren: boolean
}

const toRegion = (r: repo.RegionRecord): Region => ({
  code: r.code,
  name: r.name,
  level: r.level,
  parentCode: r.parent_code,
  hasChildren: r.has_children,
})

export const REGION_CODE = /^[0-9]{6}$/

export async function getRegion(db: Kysely<Database>, code: string): Promise<Region & { path: Region[] }> {
  if (!REGION_CODE.test(code)) throw invalid('code', text('must be a 6-digit GB/T 2260 code', '必须是 6 位行政区划代码'))
  const found = await repo.findByCode(db, code)
  if (!found) throw notFound()
  return { ...toRegion(found), path: await ancestry(db, found) }
}

/** The region and its ancestors, province first. */
async function ancestry(db: Kysely<Database>, region: repo.RegionRecord): Promise<Region[]> {
  const codes = [`${region.code.slice(0, 2)}0000`, `${region.code.slice(0, 4)}00`].filter((c) => c !== region.code)
  const found = await repo.findManyByCode(db, codes)
  return [...found.sort((a, b) => a.code.localeCompare(b.code)).map(toRegion), toRegion(region)]
}

export async function findRegion(db: Kysely<Database>, code: string): Promise<Region | null> {
  if (!REGION_CODE.test(code)) return null
  const found = await repo.findByCode(db, code)
  return found ? toRegion(found) : null
}

export async function listRegions(db: Kysely<Database>, options: { parent?: string; q?: string }): Promise<Region[]> {
  if (options.q) return (await repo.searchByName(db, options.q, 50)).map(toRegion)
  if (options.parent !== undefined && !REGION_CODE.test(options.parent)) throw invalid('parent', text('must be a 6-digit GB/T 2260 code', '必须是 6 位行政区划代码'))
  return (await repo.listChildren(db, options.parent ?? null)).map(toRegion)
}

export function countRegions(db: Kysely<Database>) {
  return repo.countByLevel(db)
}

/** Human name with its ancestors: 河南省 郑州市 中原区. */
export async function regionFullName(db: Kysely<Database>, code: string | null): Promise<string> {
  if (!code) return ''
  const found = await repo.findByCode(db, code)
  if (!found) return code
  return (await ancestry(db, found)).map((r) => r.name).join(' ')
}
