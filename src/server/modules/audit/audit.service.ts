import { createHash } from 'node:crypto'
import type { Database, Kysely, Transaction } from '../../db/database.ts'
import { canonicalJson, normalise } from '../../platform/canonical-json.ts'
import { decodeCursor, page } from '../../platform/cursor.ts'
import { AppError, text } from '../../platform/errors.ts'
import { type Principal, requirePermission } from '../../platform/principal.ts'
import { enqueue, type JobHandler, type JobView } from '../jobs/jobs.service.ts'
import type { DataScope } from '../../platform/scope.ts'
import * as repo from './audit.repository.ts'

/** Who did it: a user, or the system itself (migrations, seeding, jobs). */
export interface Actor {
  id: string | null
  name: string
}

export const systemActor: Actor = { id: null, name: 'system' }

export interface AuditEvent {
  actor: Actor
  /** verb in `domain.action` form: `org.create`, `user.update`, `auth.login`, `member.view_full` */
  action: string
  entityType: string
  entityId: string
  /** The region the entity belongs to; decides the chain (province) and who may read the entry. */
  regionCode: string | null
  before?: unknown
  after?: unknown
  requestId?: string | null
}

export function provinceOf(regionCode: string | null): string {
  return regionCode ? regionCode.slice(0, 2) : '00'
}

/**
 * Appends one entry to the province's hash chain inside the caller's transaction,
 * so the entry exists exactly when the write it describes does.
 */
export async function record(trx: Transaction<Database>, event: AuditEvent): Promise<void> {
  const provinceCode = provinceOf(event.regionCode)
  const head = await repo.lockHead(trx, provinceCode)
  const row: repo.AuditRow = {
    province_code: provinceCode,
    seq: head.lastSeq + 1n,
    at: new Date(),
    actor_id: event.actor.id,
    actor_name: event.actor.name,
    action: event.action,
    entity_type: event.entityType,
    entity_id: event.entityId,
    region_code: event.regionCode,
    before: event.before === undefined ? null : normalise(event.before),
    after: event.after === undefined ? null : normalise(event.after),
    request_id: event.requestId ?? null,
    prev_hash: head.lastHash,
    hash: '',
  }
  row.hash = hashOf(row)
  await repo.append(trx, row)
}

/** The hash covers every field of the entry and the previous entry's hash. */
export function hashOf(row: repo.AuditRow): string {
  const material = canonicalJson([
    row.province_code,
    row.seq,
    row.at,
    row.actor_id,
    row.actor_name,
    row.action,
    row.entity_type,
    row.entity_id,
    row.region_code,
    row.before,
    row.after,
    row.request_id,
    row.prev_hash,
  ])
  return createHash('sha256').update(material).digest('hex')
}

export interface VerifyResult {
  ok: boolean
  checked: number
  firstBroken: null | { provinceCode: string; seq: string; reason: string }
}

/**
 * Walks every chain from its first entry, in pages so the embedded store keeps
 * answering other requests, and names the first link that does not hold.
 */
export async function verifyChains(
  db: Kysely<Database>,
  options: { provinceCode?: string; onProgress?: (checked: number, total: number) => Promise<void> | void; pageSize?: number } = {},
): Promise<VerifyResult> {
  const { onProgress, pageSize = 2000 } = options
  let checked = 0
  const chains = (await repo.listChains(db)).filter((c) => options.provinceCode === undefined || c.provinceCode === options.provinceCode)
  const total = chains.reduce((sum, c) => sum + Number(c.lastSeq), 0)
  for (const chain of chains) {
    let expectedSeq = 1n
    let prevHash = repo.GENESIS_HASH
    for (;;) {
      const page = await repo.chainPage(db, chain.provinceCode, expectedSeq - 1n, pageSize)
      for (const row of page) {
        const broken = (reason: string): VerifyResult => ({
          ok: false,
          checked,
          firstBroken: { provinceCode: chain.provinceCode, seq: row.seq.toString(), reason },
        })
        if (row.seq !== expectedSeq) {
          return { ok: false, checked, firstBroken: { provinceCode: chain.provinceCode, seq: expectedSeq.toString(), reason: 'entry missing' } }
        }
        if (row.prev_hash !== prevHash) return broken('previous-hash link does not match')
        if (hashOf(row) !== row.hash) return broken('entry content does not match its hash')
        prevHash = row.hash
        expectedSeq++
        checked++
      }
      await onProgress?.(checked, total)
      if (page.length < pageSize) break
    }
    if (expectedSeq - 1n !== chain.lastSeq || prevHash !== chain.lastHash) {
      return {
        ok: false,
        checked,
        firstBroken: { provinceCode: chain.provinceCode, seq: expectedSeq.toString(), reason: 'chain ends before its recorded head (entries removed)' },
      }
    }
  }
  return { ok: true, checked, firstBroken: null }
}

export interface AuditEntryView {
  id: string
  seq: string
  at: string
  actorId: string | null
  actorName: string
  action: string
  entityType: string
  entityId: string
  regionCode: string | null
  before: unknown
  after: unknown
}

export async function listEntries(
  db: Kysely<Database>,
  scope: DataScope,
  filter: Omit<repo.AuditFilter, 'before' | 'limit'> & { cursor?: string; limit?: number },
): Promise<{ items: AuditEntryView[]; nextCursor: string | null }> {
  const limit = Math.min(filter.limit ?? 50, 200)
  const key = decodeCursor(filter.cursor, ['instant', 'text', 'digits'])
  const before = key ? { at: new Date(key[0]!), provinceCode: key[1]!, seq: BigInt(key[2]!) } : undefined
  const rows = await repo.list(db, scope, { ...filter, before, limit: limit + 1 })
  const result = page(rows, limit, (r) => [r.at.toISOString(), r.province_code, r.seq.toString()])
  return { items: result.items.map(toView), nextCursor: result.nextCursor }
}

export function countEntries(db: Kysely<Database>, scope: DataScope): Promise<number> {
  return repo.count(db, scope)
}

function toView(row: repo.AuditRow): AuditEntryView {
  return {
    id: `${row.province_code}-${row.seq}`,
    seq: row.seq.toString(),
    at: row.at.toISOString(),
    actorId: row.actor_id,
    actorName: row.actor_name,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    regionCode: row.region_code,
    before: row.before,
    after: row.after,
  }
}

/** Chain verification as a durable job, so a long check shows its progress and survives a restart. */
export const verifyAuditJob: JobHandler<{ provinceCode: string | null }, null, VerifyResult> = {
  kind: 'audit.verify',
  run: (ctx) => verifyChains(ctx.db, { provinceCode: ctx.params.provinceCode ?? undefined, onProgress: (done, total) => ctx.progress(done, total) }),
}

/** Who may verify: a chain covers a whole province, so only national and provincial scopes. */
export function assertMayVerify(p: Principal): void {
  requirePermission(p, 'audit.verify')
  // Verifying from a narrower scope would reveal how much happened elsewhere in the province.
  if (p.scope.regionPrefix.length > 2 || p.scope.industry !== null) {
    throw new AppError('FORBIDDEN', text('Chain verification needs a national or provincial scope', '审计链校验需要国家级或省级数据范围'))
  }
}

export function startVerification(db: Kysely<Database>, p: Principal): Promise<JobView> {
  assertMayVerify(p)
  const provinceCode = p.scope.regionPrefix || null
  return enqueue(db, p, { kind: verifyAuditJob.kind, regionCode: provinceCode ? `${provinceCode}0000` : null, params: { provinceCode } })
}
