import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Database, Kysely, Transaction } from '../../../db/database.ts'
import { chinaDate } from '../../../platform/china-date.ts'
import { maskPhone, maskResidentId } from '../../../platform/codes/masking.ts'
import { parseResidentId } from '../../../platform/codes/resident-id.ts'
import { decodeCursor, encodeCursor } from '../../../platform/cursor.ts'
import { AppError, invalid, isUniqueViolation, notFound, text } from '../../../platform/errors.ts'
import { isUuid } from '../../../platform/ids.ts'
import type { PiiCipher } from '../../../platform/pii-crypto.ts'
import { actorOf, type Principal, requirePermission } from '../../../platform/principal.ts'
import { nationalScope, regionPrefixOf } from '../../../platform/scope.ts'
import { permissions } from '../../access/permissions.ts'
import * as audit from '../../audit/audit.service.ts'
import { enqueue, getJob, type JobContext, type JobView } from '../../jobs/jobs.service.ts'
import { findOrgInScope } from '../../orgs/orgs.service.ts'
import { regionFullName } from '../../regions/regions.service.ts'
import { PERSON_REGISTRY_PKEY } from '../households.repository.ts'
import { type FileFormat, formatOf, readRows } from './parse.ts'
import * as repo from './import.repository.ts'
import type { CommitMode, ImportStatus } from './import.tables.ts'
import {
  type ColumnKey,
  HouseholdGrouper,
  type ImportedHousehold,
  LEGACY_TYPE_SCHEME,
  mapHeader,
  type Problem,
  problemTexts,
  type RowContext,
  type SheetRow,
  validateHousehold,
} from './validate.ts'

/*
 * Importing household files from Excel or CSV (issue 3 §9).
 *
 * One row per MEMBER; the rows of a household share 户编号 and stand together; household columns
 * come from the head's row (validate.ts). The filing organisation is chosen once for the whole
 * file when it is uploaded; each household names its county (GB/T 2260), which must lie in the
 * importer's scope and in the organisation's region.
 *
 * Flow: upload (the file is kept under DATA_DIR/imports, never in the database) → job
 * 'households.import.validate' reads EVERY row, records every problem (row as the spreadsheet
 * numbers it, column header, reason in zh and en) and every duplicate (the same ID twice in the
 * file: both rows, each naming the other; a person already on file: the row and the region
 * holding the file, nothing personal) → preview (counts, problems, a masked sample) → commit in
 * mode 'valid-only' (every valid household) or 'all-or-nothing' (refused with 409 when anything
 * is wrong) as job 'households.import.commit'. Nothing reaches the household tables before commit.
 *
 * Commit writes, per household: household (status 'draft', its file number from a range reserved
 * per county and year in one statement), members (ID and phone sealed, blind-indexed), the
 * nationwide person_registry rows, head_name, and one 'household.import' history event. The audit
 * log gets ONE entry per chunk (per province in it): action 'household.import', entity the import,
 * with the chunk's counts and file-number range; the import itself is audited on upload and on
 * the commit request. Auditing per row would double the work of a million-row import and add
 * nothing the history events and the problem list do not already say.
 *
 * valid-only: chunks of about CHUNK_MEMBERS members, each committed with the job's checkpoint in
 * the same transaction (ctx.step), so a crash resumes at the next chunk and repeats nothing. A
 * person filed elsewhere between validation and commit: that household is skipped and listed
 * (phase 'commit'), the rest continue; a filing racing the chunk's own insert rolls the chunk
 * back and the chunk is tried again.
 * all-or-nothing: the whole import in ONE transaction (still written in chunks of statements),
 * so any conflict rolls back everything. That is fine up to the upload limit on PostgreSQL; on
 * PGlite the one transaction holds the single connection for its duration (seconds for ten
 * thousand rows), during which other requests wait — the price of "nothing unless all".
 *
 * Validation writes only its own problem list; a resumed validation starts again from the top.
 * Classification is not computed here: an older type given in 困难类型(旧) is kept with its scheme
 * ('acftu2002') for the reclassification job of the households module to re-judge.
 */

export const IMPORT_SIZE_LIMIT = 50 * 1024 * 1024
export const CHUNK_MEMBERS = 5000
const PREVIEW_PROBLEMS = 20
const SAMPLE_HOUSEHOLDS = 5
const PII_RESIDENT_ID = 'resident_id'
const PII_PHONE = 'phone'

export const VALIDATE_JOB = 'households.import.validate'
export const COMMIT_JOB = 'households.import.commit'

export function defaultImportsDir(): string {
  return path.join(os.tmpdir(), 'jiekun-imports')
}

export interface ImportDeps {
  cipher: PiiCipher
  importsDir: string
  /** members per commit chunk (CHUNK_MEMBERS); smaller in tests */
  chunkMembers?: number
}

export interface ImportCounts {
  rows: number
  households: number
  validHouseholds: number
  validRows: number
  problems: number
  problemRows: number
  duplicates: number
  committedHouseholds: number
  committedMembers: number
  skippedHouseholds: number
}

export interface ImportProblem {
  seq: number
  phase: 'validate' | 'commit'
  rowNo: number
  householdKey: string | null
  column: string | null
  code: string
  message: string
  messageZh: string
  messageEn: string
  dupRowNo: number | null
  dupRegionCode: string | null
}

export interface SampleHousehold {
  key: string
  regionCode: string
  address: string
  members: { name: string; relation: string; idNumber: string; phone: string | null }[]
}

export interface ImportView {
  id: string
  orgId: string
  fileName: string
  format: FileFormat
  sizeBytes: number
  status: ImportStatus
  mode: CommitMode | null
  counts: ImportCounts
  failure: string | null
  validateJob: JobView | null
  commitJob: JobView | null
  /** the first problems, in file order */
  problems: ImportProblem[]
  sample: SampleHousehold[]
  createdAt: string
  validatedAt: string | null
  committedAt: string | null
}

const toProblem = (r: repo.ProblemRecord): ImportProblem => ({
  seq: r.seq,
  phase: r.phase,
  rowNo: r.row_no,
  householdKey: r.household_key,
  column: r.column_name,
  code: r.code,
  message: r.message_zh,
  messageZh: r.message_zh,
  messageEn: r.message_en,
  dupRowNo: r.dup_row_no,
  dupRegionCode: r.dup_region_code,
})

async function findOr404(db: Kysely<Database>, p: Principal, id: string): Promise<repo.ImportRecord> {
  if (!isUuid(id)) throw notFound()
  const found = await repo.findInScope(db, p.scope, id)
  if (!found) throw notFound()
  return found
}

async function jobOrNull(db: Kysely<Database>, p: Principal, id: string | null): Promise<JobView | null> {
  if (!id) return null
  try {
    return await getJob(db, p, id)
  } catch {
    return null
  }
}

async function view(db: Kysely<Database>, p: Principal, r: repo.ImportRecord): Promise<ImportView> {
  const validateJob = await jobOrNull(db, p, r.validate_job_id)
  const sample = ((validateJob?.result as { sample?: SampleHousehold[] } | null)?.sample ?? []).slice(0, SAMPLE_HOUSEHOLDS)
  return {
    id: r.id,
    orgId: r.org_id,
    fileName: r.file_name,
    format: r.format,
    sizeBytes: Number(r.size_bytes),
    status: r.status,
    mode: r.mode,
    counts: {
      rows: r.row_count,
      households: r.household_count,
      validHouseholds: r.valid_households,
      validRows: r.valid_rows,
      problems: r.problem_count,
      problemRows: r.problem_rows,
      duplicates: r.duplicate_count,
      committedHouseholds: r.committed_households,
      committedMembers: r.committed_members,
      skippedHouseholds: r.skipped_households,
    },
    failure: r.failure,
    validateJob,
    commitJob: await jobOrNull(db, p, r.commit_job_id),
    problems: (await repo.listProblems(db, r.id, null, PREVIEW_PROBLEMS)).map(toProblem),
    sample: r.status === 'validated' || r.status === 'committing' || r.status === 'committed' ? sample : [],
    createdAt: r.created_at.toISOString(),
    validatedAt: r.validated_at?.toISOString() ?? null,
    committedAt: r.committed_at?.toISOString() ?? null,
  }
}

/**
 * Registers an uploaded file (already written to `importsDir/storageKey` by the route, within
 * the size limit) and queues its validation. The file is deleted again if this refuses it.
 */
export async function createImport(
  db: Kysely<Database>,
  p: Principal,
  deps: ImportDeps,
  input: { orgId: string; fileName: string; storageKey: string; sizeBytes: number },
): Promise<ImportView> {
  const filePath = path.join(deps.importsDir, input.storageKey)
  try {
    requirePermission(p, 'household.write')
    const format = formatOf(input.fileName)
    if (!format) throw invalid('file', text('Upload an .xlsx or .csv file made from the template', '请上传按模板填写的 .xlsx 或 .csv 文件'))
    if (input.sizeBytes === 0) throw invalid('file', text('The file is empty', '文件为空'))
    const org = isUuid(input.orgId) ? await findOrgInScope(db, p, input.orgId) : null
    if (!org || !org.active) throw invalid('orgId', text('Not an organisation within your data scope', '不是您数据范围内的组织'))
    if (!p.userId) throw new AppError('FORBIDDEN')
    const regionCode = org.regionCode || (p.scope.regionPrefix ? p.scope.regionPrefix.padEnd(6, '0') : '')
    const id = await db.transaction().execute(async (trx) => {
      const newId = await repo.insertImport(trx, {
        orgId: org.id,
        scopePrefix: p.scope.regionPrefix,
        regionCode,
        createdBy: p.userId!,
        fileName: input.fileName.slice(0, 200),
        storageKey: input.storageKey,
        format,
        sizeBytes: input.sizeBytes,
      })
      await audit.record(trx, {
        actor: actorOf(p),
        action: 'household_import.upload',
        entityType: 'household_import',
        entityId: newId,
        regionCode: regionCode || null,
        after: { fileName: input.fileName, format, sizeBytes: input.sizeBytes, orgId: org.id },
        requestId: p.requestId,
      })
      return newId
    })
    const job = await enqueue(db, p, { kind: VALIDATE_JOB, regionCode: regionCode || null, params: { importId: id } })
    // The runner may have started the job already (it moves the status itself): the id is set regardless.
    await repo.update(db, id, { validate_job_id: job.id })
    await repo.transition(db, id, ['uploaded'], { status: 'validating' })
    return getImport(db, p, id)
  } catch (err) {
    fs.rmSync(filePath, { force: true })
    throw err
  }
}

export async function getImport(db: Kysely<Database>, p: Principal, id: string): Promise<ImportView> {
  requirePermission(p, 'household.write')
  return view(db, p, await findOr404(db, p, id))
}

export async function listImportProblems(
  db: Kysely<Database>,
  p: Principal,
  id: string,
  q: { cursor?: string; limit?: number },
): Promise<{ items: ImportProblem[]; nextCursor: string | null }> {
  requirePermission(p, 'household.write')
  const r = await findOr404(db, p, id)
  const limit = q.limit ?? 50
  const key = decodeCursor(q.cursor, ['digits', 'digits'])
  const rows = await repo.listProblems(db, r.id, key ? { rowNo: Number(key[0]), seq: Number(key[1]) } : null, limit + 1)
  const items = rows.slice(0, limit).map(toProblem)
  const last = items[items.length - 1]
  return { items, nextCursor: rows.length > limit && last ? encodeCursor([String(last.rowNo), String(last.seq)]) : null }
}

/** Starts the commit. all-or-nothing with any problem is refused (409) before anything is queued. */
export async function commitImport(db: Kysely<Database>, p: Principal, id: string, mode: CommitMode): Promise<ImportView> {
  requirePermission(p, 'household.write')
  const r = await findOr404(db, p, id)
  if (r.status !== 'validated') {
    throw new AppError('CONFLICT', text(`This import cannot be committed now (it is ${r.status})`, '该导入当前不能提交（状态不允许）'))
  }
  if (mode === 'all-or-nothing' && r.problem_count > 0) {
    throw new AppError(
      'CONFLICT',
      text(
        `Nothing was written: the file has ${r.problem_count} problem(s); fix them and upload again, or commit only the valid households`,
        `未写入任何数据：文件中有${r.problem_count}处问题。请修改后重新上传，或选择只导入无误的家庭`,
      ),
    )
  }
  if (r.valid_households === 0) throw new AppError('CONFLICT', text('No household in the file is valid; nothing to commit', '文件中没有无误的家庭，无可导入'))
  const moved = await db.transaction().execute(async (trx) => {
    if (!(await repo.transition(trx, id, ['validated'], { status: 'committing', mode }))) return false
    await audit.record(trx, {
      actor: actorOf(p),
      action: 'household_import.commit',
      entityType: 'household_import',
      entityId: id,
      regionCode: r.region_code || null,
      after: { mode, validHouseholds: r.valid_households, validRows: r.valid_rows },
      requestId: p.requestId,
    })
    return true
  })
  if (!moved) throw new AppError('CONFLICT', text('This import is already being committed', '该导入已在提交中'))
  const job = await enqueue(db, p, { kind: COMMIT_JOB, regionCode: r.region_code || null, params: { importId: id }, total: r.valid_rows })
  await repo.update(db, id, { commit_job_id: job.id })
  return getImport(db, p, id)
}

/** Throws the import away before commit: its file is deleted, its problem list kept with the record. */
export async function discardImport(db: Kysely<Database>, p: Principal, deps: ImportDeps, id: string): Promise<ImportView> {
  requirePermission(p, 'household.write')
  const r = await findOr404(db, p, id)
  const moved = await db.transaction().execute(async (trx) => {
    if (!(await repo.transition(trx, id, ['validated', 'failed'], { status: 'discarded' }))) return false
    await audit.record(trx, { actor: actorOf(p), action: 'household_import.discard', entityType: 'household_import', entityId: id, regionCode: r.region_code || null, requestId: p.requestId })
    return true
  })
  if (!moved) throw new AppError('CONFLICT', text('Only a validated or failed import can be discarded', '只能放弃已校验或失败的导入'))
  fs.rmSync(path.join(deps.importsDir, r.storage_key), { force: true })
  return getImport(db, p, id)
}

// ——— the file, read the same way by both jobs ———

interface Group {
  index: number
  key: string
  rows: SheetRow[]
}

/** Every household of the file in order, with its validation; file-level problems go to `onFileProblem`. */
async function* households(filePath: string, format: FileFormat, onFileProblem: (p: Problem) => void, stats = { rows: 0 }): AsyncGenerator<Group> {
  let keys: (ColumnKey | null)[] | null = null
  const grouper = new HouseholdGrouper()
  let index = 0
  let reported = 0
  const flushGrouperProblems = () => {
    while (reported < grouper.problems.length) onFileProblem(grouper.problems[reported++]!)
  }
  for await (const raw of readRows(filePath, format)) {
    if (!keys) {
      const header = mapHeader(raw.cells)
      for (const p of header.problems) onFileProblem({ ...p, rowNo: raw.rowNo })
      if (header.problems.some((p) => p.code === 'missing_columns')) return
      keys = header.keys
      continue
    }
    stats.rows++
    const values: SheetRow['values'] = {}
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]
      if (k && raw.cells[i] !== undefined) values[k] = raw.cells[i]
    }
    const done = grouper.push({ rowNo: raw.rowNo, values })
    flushGrouperProblems()
    if (done) yield { index: index++, ...done }
  }
  const last = grouper.finish()
  if (last) yield { index: index++, ...last }
}

async function rowContext(db: Kysely<Database>, imp: repo.ImportRecord): Promise<RowContext> {
  const counties = await repo.countyCodes(db)
  const org = await findOrgInScope(db, systemLike(), imp.org_id)
  return {
    isCounty: (c) => counties.has(c),
    scope: { regionPrefix: imp.scope_prefix, industry: null },
    orgRegionPrefix: regionPrefixOf(org?.regionCode || null),
    today: new Date(),
  }
}

function systemLike(): Principal {
  return { userId: null, username: 'system', displayName: 'system', orgId: null, scope: nationalScope, roles: [], permissions: new Set(permissions), requestId: null }
}

/** The importer, as the history and the audit log name them. */
async function importer(db: Kysely<Database>, imp: repo.ImportRecord, jobId: string): Promise<Principal> {
  const u = await repo.userNames(db, imp.created_by)
  return { ...systemLike(), userId: imp.created_by, username: u?.username ?? 'unknown', displayName: u?.display_name ?? 'unknown', requestId: `job:${jobId}` }
}

const toInsert = (p: Problem, phase: 'validate' | 'commit'): repo.ProblemInsert => ({
  phase,
  rowNo: p.rowNo,
  householdKey: p.householdKey,
  column: p.column,
  code: p.code,
  messageEn: p.message.en,
  messageZh: p.message['zh-CN'],
  dupRowNo: p.dupRowNo ?? null,
  dupRegionCode: p.dupRegionCode ?? null,
})

/** "河南省 郑州市 中原区（郑州中原区总工会）": where a person is on file, never who. */
function holderNamer() {
  const cache = new Map<string, Promise<string>>()
  // `db` is the caller's executor: inside a transaction on PGlite, the only connection.
  return (db: Kysely<Database>, regionCode: string, orgId: string) => {
    const k = `${regionCode}/${orgId}`
    let v = cache.get(k)
    if (!v) {
      v = (async () => {
        const region = await regionFullName(db, regionCode)
        const org = await findOrgInScope(db, systemLike(), orgId)
        return org ? `${region}（${org.name}）` : region
      })()
      cache.set(k, v)
    }
    return v
  }
}

async function countLines(filePath: string): Promise<number> {
  let n = 0
  for await (const chunk of fs.createReadStream(filePath, { highWaterMark: 1 << 20 })) {
    const b = chunk as Buffer
    for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) n++
  }
  return n
}

// ——— validation job ———

export async function runValidation(ctx: JobContext<{ importId: string }, unknown>, deps: ImportDeps): Promise<{ counts: Partial<ImportCounts>; sample: SampleHousehold[] }> {
  const db = ctx.db
  const imp = await repo.findById(db, ctx.params.importId)
  if (!imp || (imp.status !== 'validating' && imp.status !== 'uploaded')) return { counts: {}, sample: [] }
  const filePath = path.join(deps.importsDir, imp.storage_key)
  // Starts from the top every time, a resumed run included: only the problem list is written.
  await ctx.step(async (trx) => {
    await repo.deleteProblems(trx, imp.id)
    await repo.transition(trx, imp.id, ['uploaded', 'validating'], { status: 'validating' })
    return { checkpoint: { started: true }, done: 0 }
  })
  if (!fs.existsSync(filePath)) {
    await ctx.step(async (trx) => {
      await repo.update(trx, imp.id, { status: 'failed', failure: 'the uploaded file is missing' })
      return { checkpoint: { finished: true }, done: 0 }
    })
    return { counts: {}, sample: [] }
  }
  const total = imp.format === 'csv' ? Math.max(0, (await countLines(filePath)) - 1) : undefined
  const rctx = await rowContext(db, imp)
  const holder = holderNamer()

  let seq = 1
  let pending: Problem[] = []
  const invalidKeys = new Set<string>()
  const problemRows = new Set<number>()
  let duplicates = 0
  let rows = 0
  let householdCount = 0
  const rowsOfKey = new Map<string, number>()
  const seenIds = new Map<string, { rowNo: number; key: string }>()
  const sample: (SampleHousehold & { key: string })[] = []
  let batch: ImportedHousehold[] = []
  let batchMembers = 0

  const note = (p: Problem) => {
    pending.push(p)
    problemRows.add(p.rowNo)
    if (p.householdKey) invalidKeys.add(p.householdKey)
  }

  const checkRegistry = async () => {
    const byIndex = new Map<string, { h: ImportedHousehold; rowNo: number }>()
    for (const h of batch) for (const m of h.members) byIndex.set(deps.cipher.blindIndex(PII_RESIDENT_ID, m.idNumber), { h, rowNo: m.rowNo })
    for (const hit of await repo.registryHits(db, [...byIndex.keys()])) {
      const { h, rowNo } = byIndex.get(hit.id_number_index)!
      duplicates++
      note({ rowNo, householdKey: h.key, column: '身份证号码', code: 'on_file', message: problemTexts.onFile(await holder(db, hit.region_code, hit.org_id)), dupRegionCode: hit.region_code })
    }
    for (const h of batch) {
      if (sample.length < SAMPLE_HOUSEHOLDS * 3 && !invalidKeys.has(h.key)) sample.push(sampleOf(h))
    }
    batch = []
    batchMembers = 0
  }

  const flush = async (final: boolean) => {
    if (batch.length > 0) await checkRegistry()
    const toWrite = pending
    pending = []
    const first = seq
    seq += toWrite.length
    if (!final) {
      await ctx.step(async (trx) => {
        await repo.insertProblems(trx, imp.id, first, toWrite.map((p) => toInsert(p, 'validate')))
        return { checkpoint: { rows }, done: rows, total: total === undefined ? undefined : Math.max(total, rows) }
      })
      return
    }
    const validKeys = [...rowsOfKey.keys()].filter((k) => !invalidKeys.has(k))
    const validRows = validKeys.reduce((s, k) => s + rowsOfKey.get(k)!, 0)
    await ctx.step(async (trx) => {
      await repo.insertProblems(trx, imp.id, first, toWrite.map((p) => toInsert(p, 'validate')))
      await repo.transition(trx, imp.id, ['validating'], {
        status: 'validated',
        row_count: rows,
        household_count: householdCount,
        valid_households: validKeys.length,
        valid_rows: validRows,
        problem_count: seq - 1,
        problem_rows: problemRows.size,
        duplicate_count: duplicates,
        validated_at: new Date(),
      })
      return { checkpoint: { rows, finished: true }, done: rows, total: rows }
    })
  }

  const stats = { rows: 0 }
  for await (const g of households(filePath, imp.format, note, stats)) {
    rows = stats.rows
    householdCount++
    if (g.key) rowsOfKey.set(g.key, (rowsOfKey.get(g.key) ?? 0) + g.rows.length)
    const { household, problems } = validateHousehold(g.key, g.rows, rctx)
    for (const p of problems) note(p)
    // The same person twice in the file: both rows, each naming the other.
    for (const r of g.rows) {
      const id = parseResidentId(r.values.idNumber ?? '', rctx.today)
      if (!id.ok) continue
      const before = seenIds.get(id.id)
      if (!before) {
        seenIds.set(id.id, { rowNo: r.rowNo, key: g.key })
        continue
      }
      duplicates++
      note({ rowNo: r.rowNo, householdKey: g.key || null, column: '身份证号码', code: 'duplicate_in_file', message: problemTexts.sameIdInFile(before.rowNo), dupRowNo: before.rowNo })
      note({ rowNo: before.rowNo, householdKey: before.key || null, column: '身份证号码', code: 'duplicate_in_file', message: problemTexts.sameIdInFile(r.rowNo), dupRowNo: r.rowNo })
    }
    if (household && !invalidKeys.has(household.key)) {
      batch.push(household)
      batchMembers += household.members.length
    }
    if (batchMembers >= (deps.chunkMembers ?? CHUNK_MEMBERS) || pending.length >= CHUNK_MEMBERS) await flush(false)
  }
  // Rows that joined no household (a key that came back later) count too.
  rows = stats.rows
  await flush(true)
  const finalSample = sample.filter((s) => !invalidKeys.has(s.key)).slice(0, SAMPLE_HOUSEHOLDS)
  return { counts: { rows, households: householdCount, problems: seq - 1, duplicates }, sample: finalSample }
}

function sampleOf(h: ImportedHousehold): SampleHousehold {
  return {
    key: h.key,
    regionCode: h.regionCode,
    address: h.address,
    members: h.members.map((m) => ({ name: m.name, relation: m.relation, idNumber: maskResidentId(m.idNumber), phone: m.phone === null ? null : maskPhone(m.phone) })),
  }
}

// ——— commit job ———

interface CommitCheckpoint {
  /** index of the next household (in file order) to consider */
  next: number
  households: number
  members: number
  skipped: number
  chunks: number
}

class RegistryConflict extends Error {
  constructor(readonly problems: Problem[]) {
    super('a person in the file was filed elsewhere after validation')
  }
}

export interface ChunkResult {
  households: number
  members: number
  skipped: Problem[]
}

/**
 * Writes one chunk of valid households in the caller's transaction. People found in the
 * registry now are skipped and reported (or, with `strict`, fail the whole transaction).
 */
export async function writeChunk(
  trx: Transaction<Database>,
  deps: ImportDeps,
  imp: repo.ImportRecord,
  actor: Principal,
  chunk: readonly ImportedHousehold[],
  options: { strict: boolean; chunkNo: number; holder: ReturnType<typeof holderNamer> },
): Promise<ChunkResult> {
  const indexes = chunk.map((h) => h.members.map((m) => deps.cipher.blindIndex(PII_RESIDENT_ID, m.idNumber)))
  const hits = new Map((await repo.registryHits(trx, indexes.flat())).map((h) => [h.id_number_index, h]))
  const skipped: Problem[] = []
  const keep: number[] = []
  for (let i = 0; i < chunk.length; i++) {
    const h = chunk[i]!
    const hitAt = indexes[i]!.findIndex((x) => hits.has(x))
    if (hitAt < 0) {
      keep.push(i)
      continue
    }
    const hit = hits.get(indexes[i]![hitAt]!)!
    skipped.push({
      rowNo: h.members[hitAt]!.rowNo,
      householdKey: h.key,
      column: '身份证号码',
      code: 'on_file_at_commit',
      message: problemTexts.onFile(await options.holder(trx, hit.region_code, hit.org_id)),
      dupRegionCode: hit.region_code,
    })
  }
  if (options.strict && skipped.length > 0) throw new RegistryConflict(skipped)

  // File numbers: one reserved range per county.
  const year = Number(chinaDate().slice(0, 4))
  const perCounty = new Map<string, number>()
  for (const i of keep) perCounty.set(chunk[i]!.regionCode, (perCounty.get(chunk[i]!.regionCode) ?? 0) + 1)
  const nextNo = await repo.reserveFileNumbers(trx, year, perCounty)

  const hRows: repo.HouseholdRow[] = []
  const mRows: repo.MemberRow[] = []
  const rRows: repo.RegistryRow[] = []
  const events: { province_code: string; household_id: string; after: string; note: string }[] = []
  const provinces = new Map<string, { households: number; members: number; fileNos: string[] }>()
  for (const i of keep) {
    const h = chunk[i]!
    const id = randomUUID()
    const province = h.regionCode.slice(0, 2)
    const no = nextNo.get(h.regionCode)!
    nextNo.set(h.regionCode, no + 1)
    const fileNo = `${h.regionCode}-${year}-${String(no).padStart(6, '0')}`
    hRows.push({
      province_code: province, id, file_no: fileNo, region_code: h.regionCode, org_id: imp.org_id, address: h.address, created_by: imp.created_by,
      head_name: h.members[0]!.name, hukou_type: h.hukouType, housing_type: h.housingType, housing_area: h.housingArea,
      employer_credit_code: h.employerCreditCode, employer_name: h.employerName, in_dibao: h.inDibao, migrant_worker: h.migrantWorker,
      restructuring: h.restructuring, social_insurance: h.socialInsurance, yearly_income_fen: h.yearlyIncomeFen.toString(),
      yearly_rigid_spending_fen: h.yearlyRigidSpendingFen.toString(), yearly_hardship_spending_fen: h.yearlyHardshipSpendingFen.toString(),
      primary_cause: h.primaryCause, secondary_causes: h.secondaryCauses.join(','),
      hardship_type: h.legacyHardshipType, type_scheme: h.legacyHardshipType ? LEGACY_TYPE_SCHEME : 'gb2026',
    })
    h.members.forEach((m, j) => {
      const index = indexes[i]![j]!
      mRows.push({
        province_code: province, household_id: id, name: m.name, relation: m.relation, id_number_sealed: deps.cipher.encrypt(m.idNumber), id_number_index: index,
        birth_date: m.birthDate, sex: m.sex, phone_sealed: m.phone === null ? null : deps.cipher.encrypt(m.phone),
        phone_index: m.phone === null ? null : deps.cipher.blindIndex(PII_PHONE, m.phone), health: m.health, work_status: m.workStatus,
        monthly_income_fen: m.monthlyIncomeFen.toString(), marital_status: m.maritalStatus, school_stage: m.schoolStage,
        medical_insurance: m.medicalInsurance, model_worker: m.modelWorker,
      })
      rRows.push({ id_number_index: index, household_id: id, province_code: province, region_code: h.regionCode, org_id: imp.org_id })
    })
    events.push({
      province_code: province,
      household_id: id,
      after: JSON.stringify({ importId: imp.id, fileNo, regionCode: h.regionCode, orgId: imp.org_id, status: 'draft', members: h.members.length, rowNo: h.firstRowNo }),
      note: `导入自 ${imp.file_name}`,
    })
    const pc = provinces.get(province) ?? { households: 0, members: 0, fileNos: [] }
    pc.households++
    pc.members += h.members.length
    pc.fileNos.push(fileNo)
    provinces.set(province, pc)
  }
  await repo.insertHouseholds(trx, hRows)
  await repo.insertMembers(trx, mRows)
  await repo.insertRegistry(trx, rRows)
  await repo.insertImportEvents(trx, { id: actor.userId, name: actor.displayName }, events)
  for (const [province, pc] of provinces) {
    pc.fileNos.sort()
    await audit.record(trx, {
      actor: actorOf(actor),
      action: 'household.import',
      entityType: 'household_import',
      entityId: imp.id,
      regionCode: imp.region_code.startsWith(province) ? imp.region_code : `${province}0000`,
      after: { chunk: options.chunkNo, households: pc.households, members: pc.members, firstFileNo: pc.fileNos[0], lastFileNo: pc.fileNos[pc.fileNos.length - 1], status: 'draft' },
      requestId: actor.requestId,
    })
  }
  return { households: hRows.length, members: mRows.length, skipped }
}

export async function runCommit(ctx: JobContext<{ importId: string }, CommitCheckpoint>, deps: ImportDeps): Promise<Partial<ImportCounts>> {
  const db = ctx.db
  const imp = await repo.findById(db, ctx.params.importId)
  if (!imp || imp.status !== 'committing') return {}
  const filePath = path.join(deps.importsDir, imp.storage_key)
  const invalidKeys = await repo.problemHouseholdKeys(db, imp.id)
  const rctx = await rowContext(db, imp)
  const actor = await importer(db, imp, ctx.id)
  const holder = holderNamer()
  const strict = imp.mode === 'all-or-nothing'
  const total = imp.valid_rows

  /** The valid households of the file from `from` on, in chunks of about CHUNK_MEMBERS members. */
  async function* chunks(from: number): AsyncGenerator<{ households: ImportedHousehold[]; next: number }> {
    let chunk: ImportedHousehold[] = []
    let members = 0
    for await (const g of households(filePath, imp!.format, () => undefined)) {
      if (g.index < from || !g.key || invalidKeys.has(g.key)) continue
      const { household } = validateHousehold(g.key, g.rows, rctx)
      if (!household) continue
      chunk.push(household)
      members += household.members.length
      if (members >= (deps.chunkMembers ?? CHUNK_MEMBERS)) {
        yield { households: chunk, next: g.index + 1 }
        chunk = []
        members = 0
      }
    }
    if (chunk.length > 0) yield { households: chunk, next: Number.MAX_SAFE_INTEGER }
  }

  if (strict) {
    try {
      await ctx.step(async (trx) => {
        let households = 0
        let members = 0
        let chunkNo = 0
        for await (const c of chunks(0)) {
          const r = await writeChunk(trx, deps, imp, actor, c.households, { strict: true, chunkNo: ++chunkNo, holder })
          households += r.households
          members += r.members
        }
        await repo.transition(trx, imp.id, ['committing'], {
          status: 'committed',
          committed_households: households,
          committed_members: members,
          skipped_households: 0,
          committed_at: new Date(),
        })
        return { checkpoint: { next: Number.MAX_SAFE_INTEGER, households, members, skipped: 0, chunks: chunkNo }, done: members, total }
      })
    } catch (err) {
      const conflict = err instanceof RegistryConflict ? err.problems : isUniqueViolation(err, PERSON_REGISTRY_PKEY) ? [] : null
      if (!conflict) throw err
      // Everything rolled back; the reason is kept with the import.
      await ctx.step(async (trx) => {
        await repo.insertProblems(trx, imp.id, await repo.nextProblemSeq(trx, imp.id), conflict.map((p) => toInsert(p, 'commit')))
        await repo.transition(trx, imp.id, ['committing'], {
          status: 'failed',
          failure: 'Nothing was written: a person in the file was filed elsewhere after validation / 未写入任何数据：文件中有人员在校验后已在别处建档',
        })
        return { checkpoint: { next: 0, households: 0, members: 0, skipped: conflict.length, chunks: 0 }, done: 0, total }
      })
      return { committedHouseholds: 0, skippedHouseholds: conflict.length }
    }
    const done = await repo.findById(db, imp.id)
    return { committedHouseholds: done?.committed_households ?? 0, committedMembers: done?.committed_members ?? 0 }
  }

  let cp: CommitCheckpoint = ctx.checkpoint ?? { next: 0, households: 0, members: 0, skipped: 0, chunks: 0 }
  for await (const c of chunks(cp.next)) {
    const before = cp
    for (let attempt = 1; ; attempt++) {
      try {
        await ctx.step(async (trx) => {
          const r = await writeChunk(trx, deps, imp, actor, c.households, { strict: false, chunkNo: before.chunks + 1, holder })
          if (r.skipped.length > 0) await repo.insertProblems(trx, imp.id, await repo.nextProblemSeq(trx, imp.id), r.skipped.map((p) => toInsert(p, 'commit')))
          cp = {
            next: c.next,
            households: before.households + r.households,
            members: before.members + r.members,
            skipped: before.skipped + r.skipped.length,
            chunks: before.chunks + 1,
          }
          await repo.update(trx, imp.id, { committed_households: cp.households, committed_members: cp.members, skipped_households: cp.skipped })
          return { checkpoint: cp, done: cp.members, total }
        })
        break
      } catch (err) {
        // A filing of the same person committed between our check and our insert: the chunk
        // rolled back; on the next attempt the check sees it and skips that household.
        if (isUniqueViolation(err, PERSON_REGISTRY_PKEY) && attempt < 5) {
          cp = before
          continue
        }
        throw err
      }
    }
  }
  await ctx.step(async (trx) => {
    await repo.transition(trx, imp.id, ['committing'], { status: 'committed', committed_at: new Date() })
    return { checkpoint: cp, done: cp.members, total: Math.max(total, cp.members) }
  })
  return { committedHouseholds: cp.households, committedMembers: cp.members, skippedHouseholds: cp.skipped }
}

/** A file name under importsDir: random, with the format's extension; never the uploader's name. */
export function newStorageKey(format: FileFormat): string {
  return `${randomUUID()}.${format}`
}
