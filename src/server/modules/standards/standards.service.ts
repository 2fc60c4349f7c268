import type { Database, Kysely } from '../../db/database.ts'
import { chinaDate } from '../../platform/china-date.ts'
import { decodeCursor, page } from '../../platform/cursor.ts'
import { AppError, type FieldError, isUniqueViolation, notFound, text } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import { actorOf, type Principal, requirePermission, systemPrincipal } from '../../platform/principal.ts'
import { type DataScope, regionPrefixOf, scopeCovers } from '../../platform/scope.ts'
import * as audit from '../audit/audit.service.ts'
import type { StandardFigures } from '../households/classification.ts'
import { enqueue, type JobView } from '../jobs/jobs.service.ts'
import { findRegion } from '../regions/regions.service.ts'
import * as repo from './standards.repository.ts'

/**
 * Local standards (domain.md §4): per region, each with the day it takes effect — the 低保 line
 * (monthly, per capita), the minimum wage (monthly), the multiples of the 低保 line below which a
 * household is in deep or relative hardship, the share of income above which the year's hardship
 * spending makes it accident-caused, and the laid-off allowance standard (§7). A standard is never
 * edited once in force: a new one with a later date replaces it. Only one not yet in force may be
 * deleted.
 */
export interface Standard extends StandardFigures {
  /** the region's own name (中原区) */
  regionName: string
  laidOffAllowanceFen: bigint | null
  note: string | null
  createdAt: Date
  /** false once in force (effective_from ≤ today in China) */
  deletable: boolean
}

export interface CreateStandardInput {
  regionCode: string
  effectiveFrom: string
  /** whole fen, as a decimal string */
  dibaoLineFen: string
  minWageFen: string
  deepMultipleBp?: number
  relativeMultipleBp?: number
  accidentRatioBp?: number
  laidOffAllowanceFen?: string | null
  note?: string | null
}

export const DEFAULT_DEEP_MULTIPLE_BP = 10_000
export const DEFAULT_RELATIVE_MULTIPLE_BP = 20_000
export const DEFAULT_ACCIDENT_RATIO_BP = 8_000
/** Upper bounds that catch a slipped digit: 100 000 yuan a month, 10 × the line, 10 × the income. */
const MAX_FEN = 10_000_000n
const MAX_MULTIPLE_BP = 100_000
const MAX_RATIO_BP = 100_000
const NOTE_MAX = 200

/** The statuses whose households are re-classified when a standard changes. */
export const reclassifiedStatuses = ['draft', 'submitted', 'verified', 'reverifying'] as const

const toFigures = (r: repo.StandardRecord): StandardFigures => ({
  id: r.id,
  regionCode: r.region_code,
  effectiveFrom: r.effective_from,
  dibaoLineFen: BigInt(r.dibao_line_fen),
  minWageFen: BigInt(r.min_wage_fen),
  deepMultipleBp: r.deep_multiple_bp,
  relativeMultipleBp: r.relative_multiple_bp,
  accidentRatioBp: r.accident_ratio_bp,
})

const toStandard = (r: repo.StandardRecord, today: string): Standard => ({
  ...toFigures(r),
  regionName: r.region_name,
  laidOffAllowanceFen: r.laid_off_allowance_fen === null ? null : BigInt(r.laid_off_allowance_fen),
  note: r.note,
  createdAt: r.created_at,
  deletable: r.effective_from > today,
})

const REGION = /^[0-9]{6}$/
const DATE = /^\d{4}-\d{2}-\d{2}$/

function isRealDate(s: string): boolean {
  if (!DATE.test(s)) return false
  const d = new Date(`${s}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s
}

/** The region codes a standard for `regionCode` may come from, most specific first: county, city, province. */
export function regionPath(regionCode: string): string[] {
  if (!REGION.test(regionCode)) return []
  const codes = [regionCode, `${regionCode.slice(0, 4)}00`, `${regionCode.slice(0, 2)}0000`]
  return codes.filter((c, i) => codes.indexOf(c) === i)
}

/**
 * The standard in force for a region on a day: the most specific region on its path that has a
 * standard effective by then (county PPCCDD, then city PPCC00, then province PP0000; there is no
 * national standard), and at that region the latest effective date not after `on`. One query.
 * Public reference figures: no scope check (callers hold the household they classify).
 */
export async function standardInForce(db: Kysely<Database>, regionCode: string, on: string): Promise<StandardFigures | null> {
  const path = regionPath(regionCode)
  if (path.length === 0 || !isRealDate(on)) return null
  const found = await repo.findInForce(db, path, on)
  return found ? toFigures(found) : null
}

/** Reading standards: those who work with household files, and those who manage the standards. */
function requireRead(p: Principal): void {
  if (!p.permissions.has('household.read') && !p.permissions.has('standard.manage')) throw new AppError('FORBIDDEN')
}

/** The region codes above a scope prefix (they apply inside it): 410102 → 410000, 410100. */
function ancestorsOfPrefix(prefix: string): string[] {
  const out: string[] = []
  if (prefix.length > 2) out.push(`${prefix.slice(0, 2)}0000`)
  if (prefix.length > 4) out.push(`${prefix.slice(0, 4)}00`)
  return out
}

/**
 * A region a scope may read the standards of: inside it, or one of its ancestors. Standards are
 * regional figures, so an industry-scoped user reads those of their region too (but cannot add any:
 * creating goes through scopeCovers, industry included).
 */
function visibleTo(scope: DataScope, regionCode: string): boolean {
  return regionCode.startsWith(scope.regionPrefix) || ancestorsOfPrefix(scope.regionPrefix).includes(regionCode)
}

/**
 * Standards the caller may see — of regions inside their scope, and of the regions above it
 * (whose standards apply inside it) — optionally narrowed to one region's path: its ancestors
 * and its subtree. Ordered by region, then newest date first. A region outside what the caller
 * may see answers NOT_FOUND, like a missing one.
 */
export async function listStandards(
  db: Kysely<Database>,
  p: Principal,
  f: { regionCode?: string; cursor?: string; limit?: number },
  now: Date = new Date(),
): Promise<{ items: Standard[]; nextCursor: string | null }> {
  requireRead(p)
  const limit = f.limit ?? 50
  let narrow: { prefix: string; ancestors: string[] } | null = null
  if (f.regionCode !== undefined && f.regionCode !== '') {
    if (!REGION.test(f.regionCode)) throw fieldError('regionCode', problems.region)
    if (!visibleTo(p.scope, f.regionCode) || !(await findRegion(db, f.regionCode))) throw notFound()
    const prefix = regionPrefixOf(f.regionCode)
    narrow = { prefix, ancestors: ancestorsOfPrefix(prefix) }
  }
  const key = decodeCursor(f.cursor, ['digits', 'text', 'uuid'])
  if (key && !isRealDate(key[1]!)) throw fieldError('cursor', text('not a cursor this API issued', '分页标记无效'))
  const rows = await repo.list(db, p.scope, ancestorsOfPrefix(p.scope.regionPrefix), narrow, {
    after: key ? { regionCode: key[0]!, effectiveFrom: key[1]!, id: key[2]! } : null,
    limit: limit + 1,
  })
  const today = chinaDate(now)
  const result = page(rows, limit, (r) => [r.region_code, r.effective_from, r.id])
  return { items: result.items.map((r) => toStandard(r, today)), nextCursor: result.nextCursor }
}

/** One standard the caller may see; NOT_FOUND otherwise. */
export async function getStandard(db: Kysely<Database>, p: Principal, id: string, now: Date = new Date()): Promise<Standard> {
  requireRead(p)
  if (!isUuid(id)) throw notFound()
  const found = await repo.findById(db, id)
  if (!found || !visibleTo(p.scope, found.region_code)) throw notFound()
  return toStandard(found, chinaDate(now))
}

/** The standard in force for a region the caller may see, on a day (default today in China). */
export async function getStandardInForce(db: Kysely<Database>, p: Principal, regionCode: string, on?: string, now: Date = new Date()): Promise<Standard | null> {
  requireRead(p)
  const errors: FieldError[] = []
  if (!REGION.test(regionCode)) errors.push({ field: 'regionCode', message: problems.region })
  if (on !== undefined && !isRealDate(on)) errors.push({ field: 'on', message: problems.date })
  if (errors.length) throw new AppError('VALIDATION_FAILED', undefined, errors)
  if (!visibleTo(p.scope, regionCode) || !(await findRegion(db, regionCode))) throw notFound()
  const today = chinaDate(now)
  const figures = await standardInForce(db, regionCode, on ?? today)
  if (!figures) return null
  const found = await repo.findById(db, figures.id)
  return found ? toStandard(found, today) : null
}

const problems = {
  region: text('must be a 6-digit GB/T 2260 code', '必须是 6 位行政区划代码'),
  unknownRegion: text('is not a known GB/T 2260 region', '不是已知的行政区划'),
  regionScope: text('is outside your data scope', '超出您的数据范围'),
  date: text('must be a real date, YYYY-MM-DD', '必须是有效日期（YYYY-MM-DD）'),
  fen: text('must be a positive whole number of fen, at most 10,000,000 (100,000 yuan)', '必须是正整数（单位：分），不超过 10000000（10 万元）'),
  multiple: text('must be a whole number of basis points from 1 to 100000 (10000 = 1 ×)', '必须是 1 至 100000 之间的整数基点（10000 = 1 倍）'),
  relativeBelowDeep: text('must be at least the deep-hardship multiple', '不能低于深度困难倍数'),
  ratio: text('must be a whole number of basis points from 1 to 100000 (8000 = 80 %)', '必须是 1 至 100000 之间的整数基点（8000 = 80%）'),
  note: text(`must be at most ${NOTE_MAX} characters`, `不能超过${NOTE_MAX}个字符`),
  duplicate: text('this region already has a standard taking effect on this date', '该地区在此日期已有生效的标准'),
  inForce: text('a standard in force cannot be deleted; add a new one with a later date instead', '已生效的标准不能删除，请新增一条生效日期更晚的标准'),
}

function fieldError(field: string, message: ReturnType<typeof text>): AppError {
  return new AppError('VALIDATION_FAILED', undefined, [{ field, message }] satisfies FieldError[])
}

function parseFen(value: unknown): bigint | null {
  if (typeof value !== 'string' || !/^[0-9]{1,15}$/.test(value)) return null
  const n = BigInt(value)
  return n > 0n && n <= MAX_FEN ? n : null
}

function isBp(value: unknown, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= max
}

/**
 * Adds a standard for a region inside the caller's scope, then queues the re-classification of
 * the households of the region's subtree (job 'households.reclassify'), whose id comes back so
 * the caller can follow it (null when the standard takes effect after today: nothing changes
 * yet). Every problem is named by field at once.
 */
export async function createStandard(
  db: Kysely<Database>,
  p: Principal,
  input: CreateStandardInput,
  now: Date = new Date(),
): Promise<{ standard: Standard; job: JobView | null }> {
  requirePermission(p, 'standard.manage')
  const errors: FieldError[] = []
  const regionCode = typeof input.regionCode === 'string' ? input.regionCode.trim() : ''
  if (!REGION.test(regionCode)) errors.push({ field: 'regionCode', message: problems.region })
  else if (!scopeCovers(p.scope, regionCode)) errors.push({ field: 'regionCode', message: problems.regionScope })
  else if (!(await findRegion(db, regionCode))) errors.push({ field: 'regionCode', message: problems.unknownRegion })

  if (typeof input.effectiveFrom !== 'string' || !isRealDate(input.effectiveFrom)) errors.push({ field: 'effectiveFrom', message: problems.date })

  const dibao = parseFen(input.dibaoLineFen)
  if (dibao === null) errors.push({ field: 'dibaoLineFen', message: problems.fen })
  const minWage = parseFen(input.minWageFen)
  if (minWage === null) errors.push({ field: 'minWageFen', message: problems.fen })
  let allowance: bigint | null = null
  if (input.laidOffAllowanceFen !== undefined && input.laidOffAllowanceFen !== null && input.laidOffAllowanceFen !== '') {
    allowance = parseFen(input.laidOffAllowanceFen)
    if (allowance === null) errors.push({ field: 'laidOffAllowanceFen', message: problems.fen })
  }

  const deep = input.deepMultipleBp ?? DEFAULT_DEEP_MULTIPLE_BP
  const relative = input.relativeMultipleBp ?? DEFAULT_RELATIVE_MULTIPLE_BP
  const accident = input.accidentRatioBp ?? DEFAULT_ACCIDENT_RATIO_BP
  if (!isBp(deep, MAX_MULTIPLE_BP)) errors.push({ field: 'deepMultipleBp', message: problems.multiple })
  if (!isBp(relative, MAX_MULTIPLE_BP)) errors.push({ field: 'relativeMultipleBp', message: problems.multiple })
  else if (isBp(deep, MAX_MULTIPLE_BP) && relative < deep) errors.push({ field: 'relativeMultipleBp', message: problems.relativeBelowDeep })
  if (!isBp(accident, MAX_RATIO_BP)) errors.push({ field: 'accidentRatioBp', message: problems.ratio })

  const note = typeof input.note === 'string' && input.note.trim() !== '' ? input.note.trim() : null
  if (note !== null && note.length > NOTE_MAX) errors.push({ field: 'note', message: problems.note })
  if (errors.length) throw new AppError('VALIDATION_FAILED', undefined, errors)

  let created: repo.StandardRecord
  try {
    created = await db.transaction().execute(async (trx) => {
      const id = await repo.insert(trx, {
        region_code: regionCode,
        effective_from: input.effectiveFrom,
        dibao_line_fen: dibao!,
        min_wage_fen: minWage!,
        deep_multiple_bp: deep,
        relative_multiple_bp: relative,
        accident_ratio_bp: accident,
        laid_off_allowance_fen: allowance,
        // in force now: its re-classification is queued below; dated ahead: the sweep queues it on the day
        applied_on: input.effectiveFrom <= chinaDate(now) ? chinaDate(now) : null,
        note,
        created_by: p.userId,
      })
      const row = (await repo.findById(trx, id))!
      await audit.record(trx, {
        actor: actorOf(p),
        action: 'standard.create',
        entityType: 'local_standard',
        entityId: row.id,
        regionCode,
        after: auditFigures(row),
        requestId: p.requestId,
      })
      return row
    })
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError('CONFLICT', problems.duplicate, [{ field: 'effectiveFrom', message: problems.duplicate }] satisfies FieldError[])
    }
    throw err
  }
  // A standard dated ahead changes no classification today; applyStandardsNowInForce queues it on its day.
  const today = chinaDate(now)
  const job = created.effective_from <= today ? await startReclassification(db, p, created.region_code, created.id) : null
  return { standard: toStandard(created, today), job }
}

/** Queues the re-classification of every household of a region's subtree that is not closed. */
export function startReclassification(db: Kysely<Database>, p: Principal, regionCode: string, standardId: string | null): Promise<JobView> {
  return enqueue(db, p, {
    kind: 'households.reclassify',
    regionCode,
    params: { regionPrefix: regionPrefixOf(regionCode), standardId },
  })
}

/**
 * Queues the re-classification of every standard that has come into force since it was created
 * (dated ahead, so nothing was queued then), then marks it applied. At least once: a crash between
 * the two, or two servers sweeping at once, queue a second re-classification, which changes
 * nothing (reclassifyHousehold writes only what differs). The server runs this at start and hourly.
 */
export async function applyStandardsNowInForce(db: Kysely<Database>, now: Date = new Date()): Promise<JobView[]> {
  const today = chinaDate(now)
  const due = await db.selectFrom('local_standard').select(['id', 'region_code']).where('applied_on', 'is', null).where('effective_from', '<=', today).execute()
  const system = systemPrincipal('standards:sweep')
  const jobs: JobView[] = []
  for (const s of due) {
    jobs.push(await startReclassification(db, system, s.region_code, s.id))
    await db.updateTable('local_standard').set({ applied_on: today }).where('id', '=', s.id).where('applied_on', 'is', null).execute()
  }
  return jobs
}

/** Deletes a standard not yet in force (effective after today in China); one in force is kept for ever. */
export async function deleteStandard(db: Kysely<Database>, p: Principal, id: string, now: Date = new Date()): Promise<void> {
  requirePermission(p, 'standard.manage')
  if (!isUuid(id)) throw notFound()
  const found = await repo.findById(db, id)
  // Deleting is for the caller's own subtree; an ancestor's standard they can only read.
  if (!found || !scopeCovers(p.scope, found.region_code)) throw notFound()
  if (found.effective_from <= chinaDate(now)) throw new AppError('CONFLICT', problems.inForce, [{ field: 'effectiveFrom', message: problems.inForce }] satisfies FieldError[])
  await db.transaction().execute(async (trx) => {
    const n = await repo.remove(trx, id)
    if (n === 0) throw notFound()
    await audit.record(trx, {
      actor: actorOf(p),
      action: 'standard.delete',
      entityType: 'local_standard',
      entityId: id,
      regionCode: found.region_code,
      before: auditFigures(found),
      requestId: p.requestId,
    })
  })
}

function auditFigures(r: repo.StandardRecord) {
  return {
    regionCode: r.region_code,
    effectiveFrom: r.effective_from,
    dibaoLineFen: String(r.dibao_line_fen),
    minWageFen: String(r.min_wage_fen),
    deepMultipleBp: r.deep_multiple_bp,
    relativeMultipleBp: r.relative_multiple_bp,
    accidentRatioBp: r.accident_ratio_bp,
    laidOffAllowanceFen: r.laid_off_allowance_fen === null ? null : String(r.laid_off_allowance_fen),
    note: r.note,
  }
}
