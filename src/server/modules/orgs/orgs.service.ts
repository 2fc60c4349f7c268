import type { Database, Kysely } from '../../db/database.ts'
import { decodeCursor, page } from '../../platform/cursor.ts'
import { AppError, invalid, isUniqueViolation, notFound, text } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import { actorOf, type Principal, requirePermission } from '../../platform/principal.ts'
import { regionPrefixOf, scopeCovers } from '../../platform/scope.ts'
import * as audit from '../audit/audit.service.ts'
import { findRegion } from '../regions/regions.service.ts'
import { canParent, isOrgType, levelFor } from './org-types.ts'
import * as repo from './orgs.repository.ts'
import type { OrgLevel } from './orgs.tables.ts'

export interface Org {
  id: string
  name: string
  type: string
  level: OrgLevel
  regionCode: string
  regionName: string
  industry: string | null
  parentId: string | null
  parentName: string | null
  active: boolean
  childCount: number
}

const toOrg = (r: repo.OrgRecord): Org => ({
  id: r.id,
  name: r.name,
  type: r.type,
  level: r.level,
  regionCode: r.region_code ?? '',
  regionName: r.region_name ?? '',
  industry: r.industry,
  parentId: r.parent_id,
  parentName: r.parent_name,
  active: r.active,
  childCount: r.child_count,
})

const duplicateName = () =>
  new AppError('CONFLICT', undefined, [{ field: 'name', message: text('an organisation with this name already sits under this parent', '同一上级组织下已有同名组织') }])

const levelZh: Record<OrgLevel, string> = { national: '国家级', province: '省级', city: '市级', county: '县级', grassroots: '基层' }


/** An id that is not even a uuid names no record the caller can see. */
function assertId(id: string): void {
  if (!isUuid(id)) throw notFound()
}

export async function getOrg(db: Kysely<Database>, p: Principal, id: string): Promise<Org> {
  requirePermission(p, 'org.read')
  assertId(id)
  const found = await repo.findInScope(db, p.scope, id)
  if (!found) throw notFound()
  return toOrg(found)
}

/** For other modules: the organisation if the caller's scope covers it, else null. */
export async function findOrgInScope(db: Kysely<Database>, p: Principal, id: string): Promise<Org | null> {
  if (!isUuid(id)) return null
  const found = await repo.findInScope(db, p.scope, id)
  return found ? toOrg(found) : null
}

export async function listOrgs(
  db: Kysely<Database>,
  p: Principal,
  f: { parentId?: string; q?: string; cursor?: string; limit?: number },
): Promise<{ items: Org[]; nextCursor: string | null }> {
  requirePermission(p, 'org.read')
  if (f.parentId) assertId(f.parentId)
  const limit = f.limit ?? 100
  const key = decodeCursor(f.cursor, ['text', 'uuid'])
  const rows = await repo.list(db, p.scope, { ...f, after: key ? { name: key[0]!, id: key[1]! } : undefined, limit: limit + 1 })
  const result = page(rows, limit, (r) => [r.name, r.id])
  return { items: result.items.map(toOrg), nextCursor: result.nextCursor }
}

export interface CreateOrgInput {
  parentId: string | null
  name: string
  type: string
  regionCode: string
  industry?: string | null
}

export async function createOrg(db: Kysely<Database>, p: Principal, input: CreateOrgInput): Promise<Org> {
  requirePermission(p, 'org.manage')
  const name = input.name.trim()
  if (!name) throw invalid('name', text('must not be empty', '不能为空'))
  if (!isOrgType(input.type)) throw invalid('type', text('is not a known organisation type', '不是可识别的组织类型'))
  const type = input.type

  const region = input.regionCode ? await findRegion(db, input.regionCode) : null
  if (input.regionCode && !region) throw invalid('regionCode', text('is not a GB/T 2260 region code', '不是有效的行政区划代码（GB/T 2260）'))
  const placed = levelFor(type, region?.level ?? null, region?.hasChildren ?? false)
  if ('problem' in placed) throw invalid('regionCode', placed.problem)
  if (!scopeCovers(p.scope, region?.code ?? null, p.scope.industry ? (input.industry ?? p.scope.industry) : null)) {
    throw invalid('regionCode', text('is outside your data scope', '超出您的数据范围'))
  }

  let parent: repo.OrgRecord | undefined
  if (input.parentId) {
    assertId(input.parentId)
    parent = await repo.findInScope(db, p.scope, input.parentId)
    if (!parent) throw notFound()
    if (!canParent(parent.level, placed.level, type)) throw invalid('type', text(`cannot sit under a ${parent.level}-level organisation`, `不能设在${levelZh[parent.level]}组织之下`))
    const parentPrefix = regionPrefixOf(parent.region_code)
    if (!(region?.code ?? '').startsWith(parentPrefix)) throw invalid('regionCode', text("must lie within the parent organisation's region", '必须位于上级组织的行政区划之内'))
  } else if (placed.level !== 'national') {
    throw invalid('parentId', text('is required below national level', '非国家级组织必须指定上级组织'))
  }
  const industry = input.industry?.trim() || parent?.industry || null

  const id = await db.transaction().execute(async (trx) => {
    if (parent) await repo.lockForUpdate(trx, parent.id)
    if (await repo.existsSiblingName(trx, parent?.id ?? null, name)) {
      throw duplicateName()
    }
    const newId = await repo.insert(trx, { parentId: parent?.id ?? null, name, type, level: placed.level, regionCode: region?.code ?? null, industry })
    await audit.record(trx, {
      actor: actorOf(p),
      action: 'org.create',
      entityType: 'org',
      entityId: newId,
      regionCode: region?.code ?? null,
      after: { name, type, level: placed.level, regionCode: region?.code ?? null, parentId: parent?.id ?? null, industry },
      requestId: p.requestId,
    })
    return newId
  }).catch((err: unknown) => {
    // National roots have no parent row to lock: the unique index decides between two at once.
    throw isUniqueViolation(err, 'org_sibling_name_uq') ? duplicateName() : err
  })
  return getOrg(db, p, id)
}

export async function updateOrg(
  db: Kysely<Database>,
  p: Principal,
  id: string,
  patch: { name?: string; industry?: string | null; active?: boolean },
): Promise<Org> {
  requirePermission(p, 'org.manage')
  assertId(id)
  await db.transaction().execute(async (trx) => {
    await repo.lockForUpdate(trx, id)
    const before = await repo.findInScope(trx, p.scope, id)
    if (!before) throw notFound()
    const changes: { name?: string; industry?: string | null; active?: boolean } = {}
    if (patch.name !== undefined) {
      const name = patch.name.trim()
      if (!name) throw invalid('name', text('must not be empty', '不能为空'))
      if (name !== before.name && (await repo.existsSiblingName(trx, before.real_parent_id, name, id))) {
        throw duplicateName()
      }
      changes.name = name
    }
    if (patch.industry !== undefined) changes.industry = patch.industry?.trim() || null
    if (patch.active !== undefined) {
      if (patch.active === false && (await repo.countActiveChildren(trx, id)) > 0) {
        throw new AppError('CONFLICT', text('Deactivate or move its active child organisations first', '请先停用或迁移其下级组织'), [
          { field: 'active', message: text('has active child organisations', '仍有启用中的下级组织') },
        ])
      }
      changes.active = patch.active
    }
    if (p.orgId === id && changes.active === false) throw invalid('active', text('you cannot deactivate your own organisation', '不能停用自己所在的组织'))
    await repo.update(trx, id, changes)
    await audit.record(trx, {
      actor: actorOf(p),
      action: 'org.update',
      entityType: 'org',
      entityId: id,
      regionCode: before.region_code,
      before: { name: before.name, industry: before.industry, active: before.active },
      after: { name: changes.name ?? before.name, industry: changes.industry === undefined ? before.industry : changes.industry, active: changes.active ?? before.active },
      requestId: p.requestId,
    })
  }).catch((err: unknown) => {
    throw isUniqueViolation(err, 'org_sibling_name_uq') ? duplicateName() : err
  })
  return getOrg(db, p, id)
}

export function countOrgs(db: Kysely<Database>, p: Principal): Promise<number> {
  return repo.count(db, p.scope)
}
