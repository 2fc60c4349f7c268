import type { Database, Kysely, Transaction } from '../../db/database.ts'
import { chinaDate } from '../../platform/china-date.ts'
import { maskName, maskResidentId } from '../../platform/codes/masking.ts'
import { decodeCursor, page } from '../../platform/cursor.ts'
import { AppError, type FieldError, invalid, isUniqueViolation, notFound, text } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import type { PiiCipher } from '../../platform/pii-crypto.ts'
import { actorOf, type Principal, requirePermission } from '../../platform/principal.ts'
import { nationalScope, regionPrefixOf } from '../../platform/scope.ts'
import type { Permission } from '../access/permissions.ts'
import * as audit from '../audit/audit.service.ts'
import { recordEvent } from '../households/history.ts'
import { findOrgInScope } from '../orgs/orgs.service.ts'
import * as repo from './postings.repository.ts'
import type { PostingKind } from './postings.tables.ts'

/**
 * Public postings (公示; issue 4 §4; domain.md §5, §11).
 *
 *   application approved (programme needs posting) ─publish─► posted ─period ends─► payable (an entitlement)
 *                                                              │  ▲
 *                                        objection (public) ─► objected ─dismiss─┘ (or payable if the period has ended)
 *                                                              └─uphold─► rejected
 *
 * New files (household.entry) and exits (household.exit) are posted the same way; at the end of the
 * period the entry or exit is confirmed on the file's history (`household.posting_effective`).
 * An objection against one is recorded on the file; upholding it leaves the correction to the
 * file's own lifecycle actions (remove, re-enter), which need their own reasons.
 *
 * Personal data: an item stores the masked name and masked ID number computed at publication; the
 * public queries read those columns and nothing else, so no later change can leak a full value.
 *
 * History and audit actions: posting.publish, application.post, household.post,
 * posting.objection (from the public), application.objection, posting.dismiss, posting.uphold,
 * posting.close, application.payable, household.posting_effective.
 */

export const DEFAULT_POSTING_DAYS = 7
const MAX_ITEMS = 500
const MAX_DAYS = 60

const approvePermission: Record<PostingKind, Permission> = {
  application: 'application.approve',
  'household.entry': 'household.approve',
  'household.exit': 'household.approve',
}
const readPermission: Record<PostingKind, Permission> = {
  application: 'application.read',
  'household.entry': 'household.read',
  'household.exit': 'household.read',
}

const canRead = (p: Principal) => p.permissions.has('application.read') || p.permissions.has('household.read')

/** Actor of what the public does: no user, no permission; the audit log names it 'public'. */
function publicPrincipal(requestId: string | null): Principal {
  return { userId: null, username: 'public', displayName: '公众', orgId: null, scope: nationalScope, roles: [], permissions: new Set(), requestId }
}

/** Actor of the clock that closes postings. */
function clockPrincipal(): Principal {
  return { userId: null, username: 'system', displayName: 'system', orgId: null, scope: nationalScope, roles: [], permissions: new Set(), requestId: 'posting-clock' }
}

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)
const DAY = /^\d{4}-\d{2}-\d{2}$/
const validDay = (s: string) => DAY.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s

const exitReasonZh: Record<string, string> = { employment_income: '就业增收脱困', social_security: '社会保障兜底脱困', other: '其他原因脱困' }
const exitReasonEn: Record<string, string> = { employment_income: 'out of hardship by employment income', social_security: 'covered by social security', other: 'other' }

// ---------------------------------------------------------------- candidates

export interface Candidate {
  subjectId: string
  fileNo: string
  headName: string
  regionCode: string
  detailZh: string
  detailEn: string
  amountFen: bigint | null
  /** the days this item must be posted at least */
  postingDays: number
}

/** What the caller's organisation could publish now, oldest first (at most 500). */
export async function listCandidates(db: Kysely<Database>, p: Principal, kind: PostingKind): Promise<Candidate[]> {
  requirePermission(p, approvePermission[kind])
  const prefix = await orgPrefix(db, p)
  if (kind === 'application') {
    const rows = await repo.applicationCandidates(db, p.scope, prefix, MAX_ITEMS)
    return rows.map((r) => ({
      subjectId: r.id,
      fileNo: r.file_no,
      headName: r.head_name,
      regionCode: r.region_code,
      detailZh: `${r.name_zh}（${r.period}）`,
      detailEn: `${r.name_en} (${r.period})`,
      amountFen: BigInt(r.amount_fen),
      postingDays: r.posting_days,
    }))
  }
  const rows = await repo.householdCandidates(db, p.scope, prefix, kind, kind === 'household.entry' ? 'verified' : 'exited', MAX_ITEMS)
  return rows.map((r) => ({ subjectId: r.id, fileNo: r.file_no, headName: r.head_name, regionCode: r.region_code, ...householdDetail(kind, r.end_reason), amountFen: null, postingDays: DEFAULT_POSTING_DAYS }))
}

function householdDetail(kind: PostingKind, endReason: string | null): { detailZh: string; detailEn: string } {
  if (kind === 'household.entry') return { detailZh: '新建档困难职工家庭', detailEn: 'new hardship file' }
  return { detailZh: `脱困退出：${exitReasonZh[endReason ?? ''] ?? '其他原因脱困'}`, detailEn: `exit: ${exitReasonEn[endReason ?? ''] ?? 'other'}` }
}

/** The region prefix of the caller's organisation: a posting is one organisation's, over its own region. */
async function orgPrefix(db: Kysely<Database>, p: Principal): Promise<string> {
  const org = p.orgId ? await findOrgInScope(db, p, p.orgId) : null
  if (!org?.regionCode) throw new AppError('FORBIDDEN', text('postings are published by an organisation with a region', '公示须由有所属行政区划的组织发布'))
  return regionPrefixOf(org.regionCode)
}

// ---------------------------------------------------------------- publish

export interface PublishInput {
  kind: PostingKind
  title: string
  /** 'YYYY-MM-DD', default today (China) */
  startsOn?: string
  /** 'YYYY-MM-DD', default the start plus the longest posting days of its items, less one */
  endsOn?: string
  subjectIds: string[]
}

/** The item's personal data as the public sees it: the beneficiary's name and ID number, masked. */
async function maskedPerson(trx: Transaction<Database>, cipher: PiiCipher, provinceCode: string, householdId: string, memberIds: string[] | null): Promise<{ name: string; id: string }> {
  const members = await repo.membersForMasking(trx, provinceCode, householdId)
  const person = (memberIds && members.find((m) => memberIds.includes(m.id))) || members[0]
  if (!person) return { name: '*', id: '******************' }
  return { name: maskName(person.name), id: maskResidentId(cipher.decrypt(person.id_number_sealed)) }
}

const memberIdsOf = (request: unknown): string[] | null => {
  const ids = (request as { memberIds?: unknown } | null)?.memberIds
  return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : null
}

/**
 * Publishes a posting of the caller's organisation: every subject is locked, checked (in scope, in the
 * organisation's region, in the state its kind posts) and masked; applications become 'posted'; the
 * batch, its items, the history events and the audit entries commit together, or nothing does.
 */
export async function publish(db: Kysely<Database>, p: Principal, cipher: PiiCipher, input: PublishInput): Promise<PostingDetail> {
  requirePermission(p, approvePermission[input.kind])
  const prefix = await orgPrefix(db, p)
  const errors: FieldError[] = []
  const title = (input.title ?? '').trim()
  if (title.length < 1 || title.length > 100) errors.push({ field: 'title', message: text('must be 1 to 100 characters', '须为 1 至 100 个字') })
  const today = chinaDate()
  const startsOn = input.startsOn || today
  if (!validDay(startsOn)) errors.push({ field: 'startsOn', message: text('must be a date YYYY-MM-DD', '须为日期 YYYY-MM-DD') })
  else if (startsOn < today || daysBetween(today, startsOn) > 30) errors.push({ field: 'startsOn', message: text('must be today or within the next 30 days', '须为今天或今后 30 天内') })
  if (input.endsOn !== undefined && input.endsOn !== '' && !validDay(input.endsOn)) errors.push({ field: 'endsOn', message: text('must be a date YYYY-MM-DD', '须为日期 YYYY-MM-DD') })
  const ids = [...new Set(input.subjectIds ?? [])]
  if (ids.length === 0) errors.push({ field: 'subjectIds', message: text('choose at least one item to post', '请至少选择一条公示事项') })
  if (ids.length > MAX_ITEMS) errors.push({ field: 'subjectIds', message: text(`at most ${MAX_ITEMS} items in one posting`, `一批公示最多 ${MAX_ITEMS} 条`) })
  if (ids.some((id) => !isUuid(id))) errors.push({ field: 'subjectIds', message: text('unknown item', '公示事项不存在') })
  if (errors.length) throw new AppError('VALIDATION_FAILED', undefined, errors)

  let postingId: string
  try {
    postingId = await db.transaction().execute(async (trx) => {
      const items: Omit<Parameters<typeof repo.insertItems>[1][number], 'posting_id'>[] = []
      const effects: ((postingId: string) => Promise<void>)[] = []
      let minDays = DEFAULT_POSTING_DAYS
      let provinceCode: string | null = null
      const refuse = (i: number, message: ReturnType<typeof text>) => errors.push({ field: `subjectIds.${i}`, message })
      for (const [i, id] of ids.entries()) {
        if (input.kind === 'application') {
          const a = await repo.lockApplication(trx, p.scope, id)
          if (!a || !a.region_code.startsWith(prefix)) {
            refuse(i, text('unknown item', '公示事项不存在'))
            continue
          }
          if (a.status !== 'approved' || !a.posting_required) {
            refuse(i, text(`this application is ${a.status}; only approved applications of programmes that need posting are posted`, '只有审批通过且需公示的项目申请才能公示'))
            continue
          }
          minDays = Math.max(minDays, a.posting_days)
          provinceCode ??= a.province_code
          const person = await maskedPerson(trx, cipher, a.province_code, a.household_id, memberIdsOf(a.request))
          items.push({
            province_code: a.province_code,
            seq: items.length + 1,
            subject_kind: 'application',
            subject_id: a.id,
            household_id: a.household_id,
            episode: 0,
            region_code: a.region_code,
            masked_name: person.name,
            masked_id: person.id,
            detail_zh: `${a.name_zh}（${a.period}）`,
            detail_en: `${a.name_en} (${a.period})`,
            amount_fen: BigInt(a.amount_fen),
          })
          effects.push(async (pid) => {
            await repo.setApplicationStatus(trx, a, 'posted')
            const after = { applicationId: a.id, status: 'posted', postingId: pid }
            await recordEvent(trx, p, { provinceCode: a.province_code, householdId: a.household_id, episode: a.episode, action: 'application.post', before: { status: a.status }, after })
            await audit.record(trx, { actor: actorOf(p), action: 'application.post', entityType: 'application', entityId: a.id, regionCode: a.region_code, before: { status: a.status, version: a.version }, after: { ...after, version: a.version + 1 }, requestId: p.requestId })
          })
        } else {
          const h = await repo.lockHousehold(trx, p.scope, id)
          if (!h || !h.region_code.startsWith(prefix)) {
            refuse(i, text('unknown item', '公示事项不存在'))
            continue
          }
          const wanted = input.kind === 'household.entry' ? 'verified' : 'exited'
          if (h.status !== wanted) {
            refuse(i, input.kind === 'household.entry' ? text('only files on record (在档) are posted as new files', '只有在档的档案才能进行建档公示') : text('only exited files are posted as exits', '只有已脱困的档案才能进行脱困公示'))
            continue
          }
          provinceCode ??= h.province_code
          const person = await maskedPerson(trx, cipher, h.province_code, h.id, null)
          items.push({
            province_code: h.province_code,
            seq: items.length + 1,
            subject_kind: input.kind,
            subject_id: h.id,
            household_id: h.id,
            episode: h.episode,
            region_code: h.region_code,
            masked_name: person.name,
            masked_id: person.id,
            ...(() => {
              const d = householdDetail(input.kind, h.end_reason)
              return { detail_zh: d.detailZh, detail_en: d.detailEn }
            })(),
            amount_fen: null,
          })
          effects.push(async (pid) => {
            await recordEvent(trx, p, { provinceCode: h.province_code, householdId: h.id, episode: h.episode, action: 'household.post', after: { kind: input.kind, postingId: pid } })
          })
        }
      }
      if (items.some((it) => it.province_code !== provinceCode)) errors.push({ field: 'subjectIds', message: text('one posting covers one province', '一批公示只能包含同一省份的事项') })
      const endsOn = input.endsOn || addDays(startsOn, minDays - 1)
      if (validDay(endsOn)) {
        const days = daysBetween(startsOn, endsOn) + 1
        if (days < minDays) errors.push({ field: 'endsOn', message: text(`the posting must run at least ${minDays} days`, `公示期不得少于 ${minDays} 天`) })
        if (days > MAX_DAYS) errors.push({ field: 'endsOn', message: text(`the posting runs at most ${MAX_DAYS} days`, `公示期不得超过 ${MAX_DAYS} 天`) })
      }
      if (errors.length) throw new AppError('VALIDATION_FAILED', undefined, errors)
      const org = (await findOrgInScope(trx, p, p.orgId!))!
      const posting = await repo.insertPosting(trx, {
        province_code: provinceCode!,
        org_id: org.id,
        region_code: org.regionCode!,
        kind: input.kind,
        title,
        starts_on: startsOn,
        ends_on: endsOn,
        item_count: items.length,
        created_by: p.userId,
      })
      await repo.insertItems(
        trx,
        items.map((it) => ({ ...it, posting_id: posting.id })),
      )
      for (const effect of effects) await effect(posting.id)
      await audit.record(trx, {
        actor: actorOf(p),
        action: 'posting.publish',
        entityType: 'posting',
        entityId: posting.id,
        regionCode: org.regionCode,
        after: { kind: input.kind, title, startsOn, endsOn, items: items.length },
        requestId: p.requestId,
      })
      return posting.id
    })
  } catch (err) {
    if (isUniqueViolation(err, 'posting_item_subject_uq')) throw new AppError('CONFLICT', text('an item in this posting has been posted already', '所选事项中有已公示过的事项'), [{ field: 'subjectIds', message: text('already posted', '已公示') }])
    throw err
  }
  return getPosting(db, p, postingId)
}

// ---------------------------------------------------------------- read (staff)

export interface Posting {
  id: string
  orgId: string
  orgName: string
  regionCode: string
  kind: PostingKind
  title: string
  startsOn: string
  endsOn: string
  status: 'open' | 'closed'
  itemCount: number
  objectedCount: number
  createdBy: string | null
  createdByName: string | null
  createdAt: Date
  closedAt: Date | null
}

export interface PostingItem {
  id: string
  seq: number
  subjectKind: PostingKind
  subjectId: string
  householdId: string
  regionCode: string
  regionName: string | null
  maskedName: string
  maskedId: string
  detailZh: string
  detailEn: string
  amountFen: bigint | null
  status: 'posted' | 'objected' | 'effective' | 'upheld'
  resolvedAt: Date | null
  resolution: string | null
  objections: Objection[]
}

export interface Objection {
  id: string
  content: string
  sourceIp: string
  userAgent: string | null
  createdAt: Date
  status: 'open' | 'dismissed' | 'upheld'
  resolvedAt: Date | null
  resolution: string | null
  resolvedByName: string | null
}

export interface PostingDetail extends Posting {
  items: PostingItem[]
}

const toPosting = (r: repo.PostingRow): Posting => ({
  id: r.id,
  orgId: r.org_id,
  orgName: r.org_name,
  regionCode: r.region_code,
  kind: r.kind,
  title: r.title,
  startsOn: r.starts_on,
  endsOn: r.ends_on,
  status: r.status,
  itemCount: r.item_count,
  objectedCount: r.objected_count,
  createdBy: r.created_by,
  createdByName: r.created_by_name,
  createdAt: r.created_at,
  closedAt: r.closed_at,
})

export async function getPosting(db: Kysely<Database>, p: Principal, id: string): Promise<PostingDetail> {
  if (!canRead(p) || !isUuid(id)) throw canRead(p) ? notFound() : new AppError('FORBIDDEN')
  const r = await repo.findPostingInScope(db, p.scope, id)
  if (!r || !p.permissions.has(readPermission[r.kind])) throw notFound()
  const [items, objections] = await Promise.all([repo.itemsOf(db, r.province_code, r.id), repo.objectionsOf(db, r.province_code, r.id)])
  return {
    ...toPosting(r),
    items: items.map((i) => ({
      id: i.id,
      seq: i.seq,
      subjectKind: i.subject_kind,
      subjectId: i.subject_id,
      householdId: i.household_id,
      regionCode: i.region_code,
      regionName: i.region_name,
      maskedName: i.masked_name,
      maskedId: i.masked_id,
      detailZh: i.detail_zh,
      detailEn: i.detail_en,
      amountFen: i.amount_fen === null ? null : BigInt(i.amount_fen),
      status: i.status,
      resolvedAt: i.resolved_at,
      resolution: i.resolution,
      objections: objections
        .filter((o) => o.item_id === i.id)
        .map((o) => ({
          id: o.id,
          content: o.content,
          sourceIp: o.source_ip,
          userAgent: o.user_agent,
          createdAt: o.created_at,
          status: o.status,
          resolvedAt: o.resolved_at,
          resolution: o.resolution,
          resolvedByName: o.resolved_by_name,
        })),
    })),
  }
}

export async function listPostings(
  db: Kysely<Database>,
  p: Principal,
  f: { status?: 'open' | 'closed'; objected?: boolean; cursor?: string; limit?: number } = {},
): Promise<{ items: Posting[]; nextCursor: string | null }> {
  if (!canRead(p)) throw new AppError('FORBIDDEN')
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 200)
  const key = decodeCursor(f.cursor, ['instant', 'uuid'])
  const rows = await repo.listPostingsInScope(db, p.scope, { status: f.status, objected: f.objected, before: key ? { createdAt: key[0]!, id: key[1]! } : undefined, limit: limit + 1 })
  const result = page(
    rows.filter((r) => p.permissions.has(readPermission[r.kind])),
    limit,
    (r) => [r.created_at.toISOString(), r.id],
  )
  return { items: result.items.map(toPosting), nextCursor: result.nextCursor }
}

/** Items under objection the caller could decide (in scope, of kinds they approve): for the workbench. */
export function countObjectionsWaiting(db: Kysely<Database>, p: Principal): Promise<number> {
  const kinds = (Object.keys(approvePermission) as PostingKind[]).filter((k) => p.permissions.has(approvePermission[k]))
  return repo.countObjected(db, p.scope, kinds)
}

// ---------------------------------------------------------------- objections (public)

export interface ObjectionInput {
  postingId: string
  itemId: string
  content: string
  sourceIp: string
  userAgent: string | null
  requestId: string | null
}

const PER_ITEM_PER_HOUR = 3

/**
 * Lodges an objection from the public against an item of a posting in its period. The first open
 * objection sends the item back to review: an application becomes 'objected', the file's history
 * records it. Length-limited here, rate-limited per source by the route and per item and source here.
 * A posting outside its period answers like a missing one.
 */
export async function lodgeObjection(db: Kysely<Database>, input: ObjectionInput, today = chinaDate()): Promise<{ id: string; createdAt: Date }> {
  const content = (input.content ?? '').trim()
  if (content.length < 5 || content.length > 500) throw invalid('content', text('must be 5 to 500 characters', '异议内容须为 5 至 500 个字'))
  if (!isUuid(input.postingId) || !isUuid(input.itemId)) throw notFound()
  const p = publicPrincipal(input.requestId)
  return db.transaction().execute(async (trx) => {
    const item = await repo.lockItem(trx, null, input.postingId, input.itemId)
    if (!item || item.posting_status !== 'open' || item.starts_on > today || item.ends_on < today) throw notFound()
    if (item.status !== 'posted' && item.status !== 'objected') {
      throw new AppError('CONFLICT', text('this item is no longer open to objections', '该事项已办结，不再受理异议'))
    }
    if ((await repo.recentObjectionsFrom(trx, item, input.sourceIp)) >= PER_ITEM_PER_HOUR) {
      throw new AppError('RATE_LIMITED', text('too many objections to this item from here; try again later', '您对该事项提交的异议过多，请稍后再试'))
    }
    const row = await repo.insertObjection(trx, {
      province_code: item.province_code,
      posting_id: item.posting_id,
      item_id: item.id,
      content,
      source_ip: input.sourceIp.slice(0, 64),
      user_agent: input.userAgent?.slice(0, 300) ?? null,
    })
    if (item.status === 'posted') {
      await repo.setItemStatus(trx, item, 'objected')
      await sendBackToReview(trx, p, item)
    }
    await audit.record(trx, {
      actor: actorOf(p),
      action: 'posting.objection',
      entityType: 'posting_item',
      entityId: item.id,
      regionCode: item.region_code,
      after: { postingId: item.posting_id, objectionId: row.id, length: content.length, sourceIp: input.sourceIp },
      requestId: p.requestId,
    })
    return { id: row.id, createdAt: row.created_at }
  })
}

async function sendBackToReview(trx: Transaction<Database>, p: Principal, item: repo.LockedItem): Promise<void> {
  if (item.subject_kind === 'application') {
    const a = await repo.lockApplication(trx, nationalScope, item.subject_id)
    if (!a || a.status !== 'posted') return
    await repo.setApplicationStatus(trx, a, 'objected')
    const after = { applicationId: a.id, status: 'objected', postingId: item.posting_id }
    await recordEvent(trx, p, { provinceCode: a.province_code, householdId: a.household_id, episode: a.episode, action: 'application.objection', before: { status: a.status }, after })
    await audit.record(trx, { actor: actorOf(p), action: 'application.objection', entityType: 'application', entityId: a.id, regionCode: a.region_code, before: { status: a.status, version: a.version }, after: { ...after, version: a.version + 1 }, requestId: p.requestId })
    return
  }
  await recordEvent(trx, p, { provinceCode: item.province_code, householdId: item.household_id, episode: item.episode, action: 'household.objection', after: { kind: item.subject_kind, postingId: item.posting_id } })
}

// ---------------------------------------------------------------- review (staff)

export interface ResolveInput {
  decision: 'dismiss' | 'uphold'
  opinion: string
}

/**
 * Decides the objections against an item. Dismissed: the item is posted again (or takes effect, if
 * the period has ended). Upheld: an application is rejected with the opinion as reason; for a file
 * the item is closed and the correction is left to the file's lifecycle. The opinion is required;
 * whoever made the application does not decide objections against it.
 */
export async function resolveObjections(db: Kysely<Database>, p: Principal, postingId: string, itemId: string, input: ResolveInput, today = chinaDate()): Promise<PostingDetail> {
  if (!canRead(p)) throw new AppError('FORBIDDEN')
  const opinion = (input.opinion ?? '').trim()
  if (input.decision !== 'dismiss' && input.decision !== 'uphold') throw invalid('decision', text('must be dismiss or uphold', '须为"异议不成立"或"异议成立"'))
  if (opinion.length < 2 || opinion.length > 2000) throw invalid('opinion', text('give the reason for the decision (2 to 2000 characters)', '请填写处理意见（2 至 2000 字）'))
  if (!isUuid(postingId) || !isUuid(itemId)) throw notFound()
  await db.transaction().execute(async (trx) => {
    const item = await repo.lockItem(trx, p.scope, postingId, itemId)
    if (!item || !p.permissions.has(readPermission[item.subject_kind])) throw notFound()
    requirePermission(p, approvePermission[item.subject_kind])
    if (item.status !== 'objected') throw new AppError('CONFLICT', text('this item has no objection waiting for a decision', '该事项没有待处理的异议'))
    const ended = item.posting_status === 'closed' || item.ends_on < today
    const action = input.decision === 'dismiss' ? 'posting.dismiss' : 'posting.uphold'
    const to: 'posted' | 'effective' | 'upheld' = input.decision === 'uphold' ? 'upheld' : ended ? 'effective' : 'posted'
    if (item.subject_kind === 'application') {
      const a = await repo.lockApplication(trx, nationalScope, item.subject_id)
      if (!a) throw notFound()
      if (a.created_by === p.userId) throw new AppError('FORBIDDEN', text('you made this application; someone else decides objections against it', '本申请由您提交，异议须由他人处理'))
      const status = to === 'upheld' ? 'rejected' : to === 'effective' ? 'payable' : 'posted'
      await repo.setApplicationStatus(trx, a, status)
      if (status === 'payable') await makePayable(trx, a)
      const after = { applicationId: a.id, status, postingId: item.posting_id }
      const appAction = to === 'upheld' ? 'application.reject' : status === 'payable' ? 'application.payable' : 'application.repost'
      await recordEvent(trx, p, { provinceCode: a.province_code, householdId: a.household_id, episode: a.episode, action: appAction, before: { status: a.status }, after, note: opinion })
      await audit.record(trx, { actor: actorOf(p), action: appAction, entityType: 'application', entityId: a.id, regionCode: a.region_code, before: { status: a.status, version: a.version }, after: { ...after, version: a.version + 1, opinion }, requestId: p.requestId })
    } else {
      const h = await repo.lockHousehold(trx, nationalScope, item.subject_id)
      if (h?.created_by === p.userId) throw new AppError('FORBIDDEN', text('you filed this household; someone else decides objections against it', '本档案由您建立，异议须由他人处理'))
      const histAction = to === 'effective' ? 'household.posting_effective' : input.decision === 'dismiss' ? 'household.objection_dismissed' : 'household.objection_upheld'
      await recordEvent(trx, p, { provinceCode: item.province_code, householdId: item.household_id, episode: item.episode, action: histAction, after: { kind: item.subject_kind, postingId: item.posting_id }, note: opinion })
    }
    await repo.resolveObjections(trx, item, input.decision === 'dismiss' ? 'dismissed' : 'upheld', p.userId!, opinion)
    await repo.setItemStatus(trx, item, to, { by: p.userId, text: opinion })
    await audit.record(trx, {
      actor: actorOf(p),
      action,
      entityType: 'posting_item',
      entityId: item.id,
      regionCode: item.region_code,
      before: { status: item.status },
      after: { status: to, opinion },
      requestId: p.requestId,
    })
  })
  return getPosting(db, p, postingId)
}

// ---------------------------------------------------------------- taking effect

async function makePayable(trx: Transaction<Database>, a: repo.LockedApplication): Promise<void> {
  await repo.insertEntitlement(trx, {
    province_code: a.province_code,
    application_id: a.id,
    household_id: a.household_id,
    programme_id: a.programme_id,
    period: a.period,
    region_code: a.region_code,
    amount_fen: BigInt(a.amount_fen),
  })
}

/**
 * An application approved at its last step whose programme needs no posting is payable at once:
 * its entitlement is written in the approval's transaction and this answers true. One that needs
 * posting answers false and waits, 'approved', for a posting.
 */
export async function payableWithoutPosting(trx: Transaction<Database>, applicationId: string): Promise<boolean> {
  const a = await repo.lockApplication(trx, nationalScope, applicationId)
  if (!a || a.posting_required) return false
  await makePayable(trx, a)
  return true
}

/**
 * Closes every open posting whose last day is before `today`, one posting per transaction: its
 * items still posted take effect (an application becomes payable with its entitlement; a file's
 * entry or exit is confirmed on its history). Items under objection stay with their reviewers.
 * Safe to run again after a crash: a closed posting is not selected, and an entitlement is unique
 * per application. Returns the number of postings closed.
 */
export async function closeEndedPostings(db: Kysely<Database>, today = chinaDate(), limit = 100): Promise<number> {
  const p = clockPrincipal()
  const ended = await repo.endedPostings(db, today, limit)
  for (const e of ended) {
    await db.transaction().execute(async (trx) => {
      const posting = await repo.lockPosting(trx, e.province_code, e.id)
      if (!posting || posting.status !== 'open' || posting.ends_on >= today) return
      const items = await repo.postedItems(trx, e.province_code, e.id)
      for (const item of items) {
        if (item.subject_kind === 'application') {
          const a = await repo.lockApplication(trx, nationalScope, item.subject_id)
          if (a && a.status === 'posted') {
            await repo.setApplicationStatus(trx, a, 'payable')
            await makePayable(trx, a)
            const after = { applicationId: a.id, status: 'payable', postingId: e.id }
            await recordEvent(trx, p, { provinceCode: a.province_code, householdId: a.household_id, episode: a.episode, action: 'application.payable', before: { status: a.status }, after })
            await audit.record(trx, { actor: actorOf(p), action: 'application.payable', entityType: 'application', entityId: a.id, regionCode: a.region_code, before: { status: a.status, version: a.version }, after: { ...after, version: a.version + 1 }, requestId: p.requestId })
          }
        } else {
          await recordEvent(trx, p, { provinceCode: item.province_code, householdId: item.household_id, episode: item.episode, action: 'household.posting_effective', after: { kind: item.subject_kind, postingId: e.id } })
        }
        await repo.setItemStatus(trx, item, 'effective')
      }
      await repo.closePosting(trx, e.province_code, e.id)
      await audit.record(trx, { actor: actorOf(p), action: 'posting.close', entityType: 'posting', entityId: e.id, regionCode: posting.region_code, after: { effective: items.length }, requestId: p.requestId })
    })
  }
  return ended.length
}

// ---------------------------------------------------------------- public reads

export interface PublicPosting {
  id: string
  kind: PostingKind
  title: string
  orgName: string
  regionCode: string
  regionName: string | null
  startsOn: string
  endsOn: string
  itemCount: number
}

export interface PublicItem {
  id: string
  seq: number
  regionName: string | null
  maskedName: string
  maskedId: string
  detailZh: string
  detailEn: string
  amountFen: bigint | null
}

const REGION_PREFIX = /^(\d{2}|\d{4}|\d{6})?$/

/** Postings in their period in a region (a province, city or county code prefix, or all); masked columns only. */
export async function listPublicPostings(db: Kysely<Database>, region: string | undefined, today = chinaDate()): Promise<PublicPosting[]> {
  const prefix = region ? regionPrefixOf(region.length === 6 ? region : region.padEnd(6, '0')) : ''
  if (region && !REGION_PREFIX.test(region)) throw invalid('region', text('must be a region code', '须为行政区划代码'))
  const rows = await repo.publicPostings(db, prefix, today, 200)
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    title: r.title,
    orgName: r.org_name,
    regionCode: r.region_code,
    regionName: r.region_name,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    itemCount: r.item_count,
  }))
}

export async function getPublicPosting(db: Kysely<Database>, id: string, today = chinaDate()): Promise<PublicPosting & { items: PublicItem[] }> {
  if (!isUuid(id)) throw notFound()
  const r = await repo.publicPosting(db, id, today)
  if (!r) throw notFound()
  const items = await repo.publicItems(db, r.province_code, r.id)
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    orgName: r.org_name,
    regionCode: r.region_code,
    regionName: r.region_name,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    itemCount: r.item_count,
    items: items.map((i) => ({
      id: i.id,
      seq: i.seq,
      regionName: i.region_name,
      maskedName: i.masked_name,
      maskedId: i.masked_id,
      detailZh: i.detail_zh,
      detailEn: i.detail_en,
      amountFen: i.amount_fen === null ? null : BigInt(i.amount_fen),
    })),
  }
}
