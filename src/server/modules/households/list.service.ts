import { maskResidentId } from '../../platform/codes/masking.ts'
import type { PiiCipher } from '../../platform/pii-crypto.ts'
import type { Database, Kysely } from '../../db/database.ts'
import { decodeCursor, page } from '../../platform/cursor.ts'
import { AppError, type FieldError, invalid, text } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import { actorOf, type Principal, requirePermission } from '../../platform/principal.ts'
import { regionPrefixOf } from '../../platform/scope.ts'
import * as audit from '../audit/audit.service.ts'
import { batches, hardshipCauses, hardshipTypes, householdStatuses, isOneOf, targetGroups } from './codes.ts'
import * as repo from './list.repository.ts'

// Search and lists of household files (issue 3 §8). Exact search by ID number stays
// POST /api/households/find-by-id-number (blind index; ID numbers never travel in URLs).

export const listSorts = ['fileNo', '-fileNo', 'createdAt', '-createdAt', 'perCapita', '-perCapita'] as const
export type ListSortParam = (typeof listSorts)[number]

export interface HouseholdListQuery {
  /** a 6-digit region code: its subtree (410000 → the province, 410100 → the city, 410102 → the county) */
  regionCode?: string
  status?: string
  hardshipType?: string
  /** primary or one of the secondary causes */
  cause?: string
  group?: number
  batch?: string
  helperOrgId?: string
  orgId?: string
  /**
   * One character: the head's surname (张 → every household whose head is a 张). Two or more: a
   * prefix of any member's name, head or not (张伟, 欧阳).
   */
  name?: string
  /** a prefix of the file number (410102-2026-0001…) */
  fileNo?: string
  paired?: boolean
  sort?: ListSortParam
  cursor?: string
  limit?: number
}

export interface HouseholdListItem {
  id: string
  fileNo: string
  regionCode: string
  regionName: string
  orgId: string
  orgName: string
  headName: string
  /** the head's ID number, always masked (4101**********1234) */
  headIdNumber: string | null
  memberCount: number
  status: string
  hardshipType: string | null
  perCapitaMonthlyFen: bigint | null
  targetGroups: number[]
  batches: string[]
  primaryCause: string | null
  helperOrgId: string | null
  helperOrgName: string | null
  helperPerson: string | null
  lastVisitOn: string | null
  createdAt: Date
}

export interface HouseholdListPage {
  items: HouseholdListItem[]
  nextCursor: string | null
}

const toItem = (cipher: PiiCipher | null, r: repo.ListRow): HouseholdListItem => ({
  id: r.id,
  fileNo: r.file_no,
  regionCode: r.region_code,
  regionName: r.region_name,
  orgId: r.org_id,
  orgName: r.org_name,
  headName: r.head_name,
  headIdNumber: cipher && r.head_id_sealed ? maskResidentId(cipher.decrypt(r.head_id_sealed)) : null,
  memberCount: r.member_count,
  status: r.status,
  hardshipType: r.hardship_type,
  perCapitaMonthlyFen: r.per_capita_monthly_fen === null ? null : BigInt(r.per_capita_monthly_fen),
  targetGroups: r.target_groups.map(Number),
  batches: r.batches,
  primaryCause: r.primary_cause,
  helperOrgId: r.helper_org_id,
  helperOrgName: r.helper_org_name,
  helperPerson: r.helper_person,
  lastVisitOn: r.last_visit_on,
  createdAt: r.created_at,
})

const unknownCode = text('not a known code', '不是有效的代码')

/**
 * The query checked and turned into the repository's filter. null when the region filter lies
 * outside the caller's scope: the answer is then an empty list, exactly as for a region with no
 * files, so the filter cannot be used to learn anything about other regions.
 */
function filterOf(p: Principal, q: HouseholdListQuery): repo.ListFilter | null {
  const errors: FieldError[] = []
  const code = (field: string, list: readonly (string | number)[], value: string | number | undefined) => {
    if (value !== undefined && !isOneOf(list, value)) errors.push({ field, message: unknownCode })
  }
  code('status', householdStatuses, q.status)
  code('hardshipType', hardshipTypes, q.hardshipType)
  code('cause', hardshipCauses, q.cause)
  code('group', targetGroups, q.group)
  code('batch', batches, q.batch)
  for (const field of ['helperOrgId', 'orgId'] as const) {
    if (q[field] !== undefined && !isUuid(q[field])) errors.push({ field, message: text('not an organisation id', '不是有效的组织 ID') })
  }
  if (q.regionCode !== undefined && !/^[0-9]{6}$/.test(q.regionCode)) {
    errors.push({ field: 'regionCode', message: text('must be a 6-digit GB/T 2260 code', '必须是 6 位行政区划代码') })
  }
  const name = q.name?.trim() || undefined
  if (name !== undefined && name.length > 50) errors.push({ field: 'name', message: text('at most 50 characters', '最多 50 个字符') })
  const fileNo = q.fileNo?.trim() || undefined
  if (fileNo !== undefined && !/^[0-9-]{1,18}$/.test(fileNo)) errors.push({ field: 'fileNo', message: text('digits and hyphens only', '只能包含数字和连字符') })
  if (errors.length > 0) throw new AppError('VALIDATION_FAILED', undefined, errors)

  const scopePrefix = p.scope.regionPrefix
  const wanted = regionPrefixOf(q.regionCode ?? null)
  let regionPrefix: string
  if (wanted.startsWith(scopePrefix)) regionPrefix = wanted
  else if (scopePrefix.startsWith(wanted)) regionPrefix = scopePrefix
  else return null

  return {
    regionPrefix,
    status: q.status,
    hardshipType: q.hardshipType,
    cause: q.cause,
    group: q.group,
    batch: q.batch,
    helperOrgId: q.helperOrgId,
    orgId: q.orgId,
    name,
    fileNo,
    paired: q.paired,
  }
}

function orderOf(sortParam: ListSortParam | undefined): { sort: repo.ListSort; desc: boolean } {
  const s = sortParam ?? 'fileNo'
  if (!isOneOf(listSorts, s)) throw invalid('sort', unknownCode)
  const desc = s.startsWith('-')
  return { sort: (desc ? s.slice(1) : s) as repo.ListSort, desc }
}

function cursorOf(sort: repo.ListSort, cursor: string | undefined): string[] | undefined {
  switch (sort) {
    case 'fileNo':
      return decodeCursor(cursor, ['text', 'text', 'uuid'])
    case 'createdAt':
      return decodeCursor(cursor, ['instant', 'uuid'])
    case 'perCapita': {
      const key = decodeCursor(cursor, ['text', 'uuid'])
      if (key && !/^-?[0-9]{1,19}$/.test(key[0]!)) throw invalid('cursor', text('not a cursor this API issued', '分页标记无效'))
      return key
    }
  }
}

/** One page of the household files in the caller's scope that match the filters. */
export async function listHouseholds(db: Kysely<Database>, p: Principal, q: HouseholdListQuery, cipher: PiiCipher | null = null): Promise<HouseholdListPage> {
  requirePermission(p, 'household.read')
  const { sort, desc } = orderOf(q.sort)
  const after = cursorOf(sort, q.cursor)
  const limit = q.limit ?? 50
  const filter = filterOf(p, q)
  if (!filter) return { items: [], nextCursor: null }
  const rows = await repo.listHouseholds(db, p.scope, filter, { sort, desc, after, limit: limit + 1 })
  const result = page(rows, limit, (r) => repo.keyOf(sort, r))
  return { items: result.items.map((r) => toItem(cipher, r)), nextCursor: result.nextCursor }
}

/** The most rows one export may hold; beyond it the caller is asked to narrow the filters. */
export const EXPORT_MAX_ROWS = 100_000
/** Rows fetched per statement while an export streams. */
export const EXPORT_CHUNK = 1000

export interface ExportPlan {
  /** how many rows the export will hold (counted when it starts) */
  rows: number
  /** the pages of rows, in the list's order, fetched one statement at a time as they are consumed */
  chunks(): AsyncGenerator<HouseholdListItem[]>
}

/**
 * Starts an export of the list as filtered: checks the permission and the size, writes the audit
 * entry (who, which filters, how many rows), and hands back the rows to stream.
 */
export async function planExport(db: Kysely<Database>, p: Principal, q: HouseholdListQuery, cipher: PiiCipher | null = null, maxRows = EXPORT_MAX_ROWS): Promise<ExportPlan> {
  requirePermission(p, 'household.read')
  requirePermission(p, 'household.export')
  const { sort, desc } = orderOf(q.sort)
  const filter = filterOf(p, q)
  const rows = filter ? await repo.countUpTo(db, p.scope, filter, maxRows + 1) : 0
  if (rows > maxRows) {
    const message = text(
      `More than ${maxRows.toLocaleString('en')} households match: narrow the filters (region, status, …) and export again`,
      `符合条件的档案超过 ${maxRows.toLocaleString('en')} 户，请缩小筛选范围（地区、状态等）后再导出`,
    )
    throw new AppError('VALIDATION_FAILED', message, [{ field: 'filter', message }])
  }
  const { cursor: _c, limit: _l, ...filters } = q
  const scopeRegion = p.scope.regionPrefix
  await db.transaction().execute((trx) =>
    audit.record(trx, {
      actor: actorOf(p),
      action: 'household.export',
      entityType: 'household_list',
      entityId: 'xlsx',
      regionCode: scopeRegion === '' ? null : scopeRegion.padEnd(6, '0'),
      after: { filters, rows },
      requestId: p.requestId,
    }),
  )
  return {
    rows,
    async *chunks() {
      if (!filter || rows === 0) return
      let after: string[] | undefined
      let left = rows
      while (left > 0) {
        const want = Math.min(EXPORT_CHUNK, left)
        const batch = await repo.listHouseholds(db, p.scope, filter, { sort, desc, after, limit: want })
        if (batch.length === 0) return
        left -= batch.length
        yield batch.map((r) => toItem(cipher, r))
        if (batch.length < want) return
        after = repo.keyOf(sort, batch[batch.length - 1]!)
      }
    },
  }
}
