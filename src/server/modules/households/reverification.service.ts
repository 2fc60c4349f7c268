import type { Database, Kysely } from '../../db/database.ts'
import { chinaDate } from '../../platform/china-date.ts'
import { decodeCursor, page } from '../../platform/cursor.ts'
import { AppError, invalid, isUniqueViolation, notFound, text } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import { actorOf, type Principal, requirePermission } from '../../platform/principal.ts'
import * as audit from '../audit/audit.service.ts'
import { enqueue } from '../jobs/jobs.service.ts'
import { regionFullName } from '../regions/regions.service.ts'
import { recordEvent } from './history.ts'
import { emptyCounts, type Finding, regionOfPrefix, reverifyJob, type RunCounts } from './reverification.job.ts'
import * as repo from './reverification.repository.ts'
import type { ReverificationOutcome, ReverificationResolution, ReverificationRunStatus } from './reverification.tables.ts'

// Yearly re-verification (复核): starting a run over the caller's scope, reading its work list, and
// case workers resolving items. The walk itself is reverification.job.ts.
//
// Rules:
// - A run covers the caller's whole scope (region prefix and industry) and one year. While a run for
//   the same year and scope is running, a second start answers 409 CONFLICT. A finished run
//   (succeeded, failed, cancelled) may be run again: the new run has its own items; the old one is
//   kept as it was.
// - A run is visible to callers whose scope covers the run's whole scope; its items only where the
//   household is in the caller's scope. Anything else answers 404 like a missing record.
// - Resolutions: 'confirmed' (still eligible) and 'dismissed' (with a note) send the household back
//   to 'verified'; 'updated' (the facts were brought up to date on the file) and 'exit_started' (the
//   case worker goes on with the exit action) are recorded only. A household leaves 'reverifying'
//   when none of its items, in any run, is open any more and the last resolution is not
//   'exit_started' — then it stays 'reverifying' (on file) until the exit ends it.

export const outcomes = ['still_eligible', 'propose_exit', 'facts_outdated', 'visit_overdue'] as const satisfies readonly ReverificationOutcome[]
export const resolutions = ['confirmed', 'exit_started', 'updated', 'dismissed'] as const satisfies readonly ReverificationResolution[]

export interface RunView {
  id: string
  year: number
  regionPrefix: string
  /** 河南省 郑州市 中原区 ('' national) */
  regionName: string
  industry: string | null
  status: ReverificationRunStatus
  jobId: string | null
  createdBy: string | null
  createdAt: Date
  finishedAt: Date | null
  /** as the job counted them over the whole run */
  counts: RunCounts
}

export interface RunDetail extends RunView {
  /** items per outcome in the caller's scope: total and still open */
  outcomes: { outcome: ReverificationOutcome; total: number; unresolved: number }[]
}

export interface WorkItem {
  householdId: string
  fileNo: string
  headName: string
  regionCode: string
  regionName: string
  householdStatus: string
  outcome: ReverificationOutcome
  reasons: Finding[]
  resolution: ReverificationResolution | null
  resolvedByName: string | null
  resolvedAt: Date | null
  note: string | null
}

const problems = {
  year: (max: number) => text(`must be a year from 2000 to ${max}`, `必须是2000至${max}之间的年份`),
  running: text(
    'A re-verification of this year is already running for this scope; wait for it to finish',
    '本范围内该年度的复核正在进行，请等待其完成',
  ),
  regionCode: text('must be a region code prefix within your scope', '必须是您数据范围内的行政区划代码'),
  note: text('a note is needed when an item is dismissed', '忽略时须填写说明'),
  noteLength: text('must be at most 500 characters', '不能超过500个字符'),
  alreadyResolved: text('this item was already resolved', '该事项已处理'),
  notOnFile: text('the household is no longer on file', '该家庭已不在档'),
}

function toRunView(r: repo.RunRecord, regionName: string): RunView {
  return {
    id: r.id,
    year: r.year,
    regionPrefix: r.region_prefix,
    regionName,
    industry: r.industry,
    status: r.status,
    jobId: r.job_id,
    createdBy: r.created_by,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    counts: { ...emptyCounts(), ...(r.counts as Partial<RunCounts>) },
  }
}

const regionNameOfPrefix = (db: Kysely<Database>, prefix: string) => regionFullName(db, regionOfPrefix(prefix))

/**
 * Starts the re-verification of `year` over the caller's whole scope: the run is recorded (a second
 * start while one runs is refused by the database, so two clicks cannot both pass) and the durable
 * job 'households.reverify' is queued.
 */
export async function startRun(db: Kysely<Database>, p: Principal, input: { year: number; chunkSize?: number }): Promise<RunView> {
  requirePermission(p, 'household.write')
  const maxYear = Number(chinaDate().slice(0, 4)) + 1
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > maxYear) throw invalid('year', problems.year(maxYear))
  const regionCode = regionOfPrefix(p.scope.regionPrefix)

  await repo.syncEnded(db)
  let run: repo.RunRecord
  try {
    run = await db.transaction().execute(async (trx) => {
      const created = await repo.insertRun(trx, {
        year: input.year,
        regionPrefix: p.scope.regionPrefix,
        industry: p.scope.industry,
        createdBy: p.userId,
        counts: emptyCounts(),
      })
      await audit.record(trx, {
        actor: actorOf(p),
        action: 'reverification.start',
        entityType: 'reverification_run',
        entityId: created.id,
        regionCode,
        after: { year: input.year, regionPrefix: p.scope.regionPrefix, industry: p.scope.industry },
        requestId: p.requestId,
      })
      return created
    })
  } catch (err) {
    if (isUniqueViolation(err, repo.ONE_RUNNING_INDEX)) throw new AppError('CONFLICT', problems.running)
    throw err
  }
  try {
    const job = await enqueue(db, p, {
      kind: reverifyJob.kind,
      regionCode,
      params: { runId: run.id, ...(input.chunkSize ? { chunkSize: input.chunkSize } : {}) },
    })
    await repo.setJob(db, run.id, job.id)
  } catch (err) {
    // No job, no run: the start did not happen (the audit entry of the attempt stays).
    await repo.deleteRun(db, run.id)
    throw err
  }
  return getRunView(db, p, run.id)
}

async function getRunView(db: Kysely<Database>, p: Principal, id: string): Promise<RunView> {
  const r = await repo.findRunInScope(db, p.scope, id)
  if (!r) throw notFound()
  return toRunView(r, await regionNameOfPrefix(db, r.region_prefix))
}

/** Counts from the caller's own items, for a caller whose scope is narrower than the run's. */
function ownCounts(items: readonly repo.OutcomeCount[]): RunCounts {
  const mine = emptyCounts()
  for (const c of items) mine[c.outcome] = c.total
  mine.total = mine.done = items.reduce((n, c) => n + c.total, 0)
  return mine
}

/** Whether the caller sees the whole run (its counts over the whole scope) or only their part of it. */
const coversRun = (p: Principal, r: { regionPrefix: string; industry: string | null }) =>
  r.regionPrefix.startsWith(p.scope.regionPrefix) && (p.scope.industry === null || p.scope.industry === r.industry)

/** Runs whose scope lies within the caller's, newest first. */
export async function listRuns(db: Kysely<Database>, p: Principal, f: { cursor?: string; limit?: number } = {}): Promise<{ items: RunView[]; nextCursor: string | null }> {
  requirePermission(p, 'household.read')
  await repo.syncEnded(db)
  const limit = f.limit ?? 20
  const key = decodeCursor(f.cursor, ['instant', 'uuid'])
  const rows = await repo.listRunsInScope(db, p.scope, { after: key ? { createdAt: new Date(key[0]!), id: key[1]! } : undefined, limit: limit + 1 })
  const result = page(rows, limit, (r) => [r.created_at.toISOString(), r.id])
  const names = new Map<string, string>()
  for (const r of result.items) if (!names.has(r.region_prefix)) names.set(r.region_prefix, await regionNameOfPrefix(db, r.region_prefix))
  const items: RunView[] = []
  for (const r of result.items) {
    const view = toRunView(r, names.get(r.region_prefix)!)
    items.push(coversRun(p, view) ? view : { ...view, counts: ownCounts(await repo.countsByOutcome(db, p.scope, r.id)) })
  }
  return { items, nextCursor: result.nextCursor }
}

/** One run with its items per outcome in the caller's scope. */
export async function getRun(db: Kysely<Database>, p: Principal, id: string): Promise<RunDetail> {
  requirePermission(p, 'household.read')
  if (!isUuid(id)) throw notFound()
  await repo.syncEnded(db)
  const view = await getRunView(db, p, id)
  const counted = new Map((await repo.countsByOutcome(db, p.scope, id)).map((c) => [c.outcome, c]))
  const byOutcome = outcomes.map((o) => counted.get(o) ?? { outcome: o, total: 0, unresolved: 0 })
  if (coversRun(p, view)) return { ...view, outcomes: byOutcome }
  // A narrower caller (a county under a city's run) sees the counts of their own households only.
  return { ...view, counts: ownCounts(byOutcome), outcomes: byOutcome }
}

export interface ItemFilter {
  outcome?: ReverificationOutcome
  resolved?: boolean
  regionCode?: string
  cursor?: string
  limit?: number
}

/** The run's work list in the caller's scope, by file number, keyset-paged. */
export async function listItems(db: Kysely<Database>, p: Principal, runId: string, f: ItemFilter = {}): Promise<{ items: WorkItem[]; nextCursor: string | null }> {
  requirePermission(p, 'household.read')
  if (!isUuid(runId)) throw notFound()
  const run = await repo.findRunInScope(db, p.scope, runId)
  if (!run) throw notFound()
  let regionPrefix: string | undefined
  if (f.regionCode !== undefined && f.regionCode !== '') {
    if (!/^[0-9]{2}([0-9]{2}([0-9]{2})?)?$/.test(f.regionCode)) throw invalid('regionCode', problems.regionCode)
    regionPrefix = f.regionCode.replace(/(00)+$/, '')
    if (regionPrefix.length < 2) throw invalid('regionCode', problems.regionCode)
  }
  const limit = f.limit ?? 50
  const key = decodeCursor(f.cursor, ['text', 'uuid'])
  const rows = await repo.workList(db, p.scope, runId, {
    outcome: f.outcome,
    resolved: f.resolved,
    regionPrefix,
    after: key ? { fileNo: key[0]!, householdId: key[1]! } : undefined,
    limit: limit + 1,
  })
  const result = page(rows, limit, (r) => [r.file_no, r.household_id])
  const names = new Map<string, string>()
  for (const r of result.items) if (!names.has(r.region_code)) names.set(r.region_code, await regionFullName(db, r.region_code))
  return { items: result.items.map((r) => toWorkItem(r, names.get(r.region_code)!)), nextCursor: result.nextCursor }
}

/**
 * A case worker's decision on one item (see the rules at the top). Audited, and written to the
 * household's history; a status change carries its before and after.
 */
export async function resolveItem(
  db: Kysely<Database>,
  p: Principal,
  runId: string,
  householdId: string,
  input: { resolution: ReverificationResolution; note?: string | null },
): Promise<WorkItem> {
  requirePermission(p, 'household.write')
  if (!isUuid(runId) || !isUuid(householdId)) throw notFound()
  if (!(resolutions as readonly string[]).includes(input.resolution)) {
    throw invalid('resolution', text(`must be one of ${resolutions.join(', ')}`, '处理结果不是可识别的代码'))
  }
  const note = typeof input.note === 'string' && input.note.trim() !== '' ? input.note.trim() : null
  if (note !== null && note.length > 500) throw invalid('note', problems.noteLength)
  if (input.resolution === 'dismissed' && note === null) throw invalid('note', problems.note)
  await db.transaction().execute(async (trx) => {
    const item = await repo.findItemForUpdate(trx, p.scope, runId, householdId)
    if (!item) throw notFound()
    if (item.resolution !== null) throw new AppError('CONFLICT', problems.alreadyResolved)
    if (item.household_status !== 'verified' && item.household_status !== 'reverifying') {
      // An exited or removed household: only recording what happened still makes sense.
      if (input.resolution === 'confirmed') throw new AppError('CONFLICT', problems.notOnFile)
    }
    const key = { provinceCode: item.province_code, runId, householdId }
    await repo.resolveItem(trx, key, { resolution: input.resolution, resolvedBy: p.userId, note })
    let statusAfter = item.household_status
    if (input.resolution !== 'exit_started' && (await repo.openItemsOf(trx, item.province_code, householdId)) === 0) {
      if (await repo.markVerified(trx, item.province_code, householdId)) statusAfter = 'verified'
    }
    await recordEvent(trx, p, {
      provinceCode: item.province_code,
      householdId,
      episode: item.episode,
      action: `reverification.${input.resolution}`,
      before: { status: item.household_status, outcome: item.outcome },
      after: { status: statusAfter, resolution: input.resolution },
      note,
    })
    await audit.record(trx, {
      actor: actorOf(p),
      action: 'reverification.resolve',
      entityType: 'household',
      entityId: householdId,
      regionCode: item.region_code,
      before: { runId, outcome: item.outcome, status: item.household_status },
      after: { resolution: input.resolution, status: statusAfter, note },
      requestId: p.requestId,
    })
  })
  const [row] = await repo.workList(db, p.scope, runId, { householdId, limit: 1 })
  if (!row) throw notFound()
  return toWorkItem(row, await regionFullName(db, row.region_code))
}

function toWorkItem(r: repo.WorkItemRow, regionName: string): WorkItem {
  return {
    householdId: r.household_id,
    fileNo: r.file_no,
    headName: r.head_name,
    regionCode: r.region_code,
    regionName,
    householdStatus: r.household_status,
    outcome: r.outcome,
    reasons: r.reasons as Finding[],
    resolution: r.resolution,
    resolvedByName: r.resolved_by_name,
    resolvedAt: r.resolved_at,
    note: r.note,
  }
}
