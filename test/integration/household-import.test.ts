import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createJobRunner } from '../../src/server/jobs.ts'
import { login } from '../../src/server/modules/access/auth.service.ts'
import { verifyChains } from '../../src/server/modules/audit/audit.service.ts'
import {
  COMMIT_JOB,
  commitImport,
  createImport,
  getImport,
  type ImportDeps,
  listImportProblems,
  newStorageKey,
  runCommit,
} from '../../src/server/modules/households/import/import.service.ts'
import { type JobHandler, JobRunner } from '../../src/server/modules/jobs/jobs.service.ts'
import { residentIdCheckChar } from '../../src/server/platform/codes/resident-id.ts'
import { AppError } from '../../src/server/platform/errors.ts'
import { createPiiCipher } from '../../src/server/platform/pii-crypto.ts'
import type { Principal } from '../../src/server/platform/principal.ts'
import { type TestDatabase, testDatabase } from '../support/db.ts'
import { TEST_PASSWORD } from '../support/engine.ts'

let database: TestDatabase
let worker: Principal
let worker2: Principal
const cipher = createPiiCipher(Buffer.alloc(32, 7))
const importsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiekun-imports-test-'))
const deps: ImportDeps = { cipher, importsDir }

beforeAll(async () => {
  database = await testDatabase()
  const signIn = async (u: string) => (await login(database.db, u, TEST_PASSWORD, { ip: null, userAgent: null, requestId: `test-${u}` })).principal
  worker = await signIn('case_worker')
  worker2 = await signIn('case_worker2')
})
afterAll(async () => {
  await database?.drop()
  fs.rmSync(importsDir, { recursive: true, force: true })
})

const HEADER = '户编号,县区代码,家庭住址,家庭年收入,主要致困原因,困难类型(旧),姓名,与户主关系,身份证号码,联系电话,健康状况,就业状况,月收入'
const idOf = (first17: string) => first17 + residentIdCheckChar(first17)
/** A distinct valid ID for each n (birth date moves one day per 1,000 numbers); `tag` keeps files apart. */
function idFor(n: number, tag: number): string {
  const d = new Date(Date.UTC(1940 + tag * 5, 0, 1) + Math.floor(n / 1000) * 86_400_000)
  const ymd = d.toISOString().slice(0, 10).replace(/-/g, '')
  return idOf(`410102${ymd}${String(n % 1000).padStart(3, '0')}`)
}

interface Row {
  key: string
  county: string
  relation: string
  id: string
}

/** Households of three members (head, spouse, child), `rows` rows in all. */
function rowsFor(rows: number, tag: number): Row[] {
  const out: Row[] = []
  for (let i = 0; i < rows; i++) {
    const h = Math.floor(i / 3)
    out.push({ key: `T${tag}-H${h}`, county: '410102', relation: ['户主', '配偶', '子女'][i % 3]!, id: idFor(i, tag) })
  }
  return out
}

function csv(rows: readonly Row[]): string {
  const lines = rows.map((r, i) => {
    const head = r.relation === '户主'
    return [r.key, head ? r.county : '', head ? '郑州市中原区建设路1号' : '', head ? '24000.50' : '', head ? '下岗失业' : '', head && i === 0 ? '特困' : '',
      `成员${i}`, r.relation, r.id, i % 2 === 0 ? '13812345678' : '', '健康', r.relation === '子女' ? '在校学生' : '下岗', '1200'].join(',')
  })
  return `\ufeff${HEADER}\r\n${lines.join('\r\n')}\r\n`
}

async function upload(p: Principal, content: string | Buffer, fileName = 'households.csv'): Promise<string> {
  const storageKey = newStorageKey(fileName.endsWith('.xlsx') ? 'xlsx' : 'csv')
  fs.writeFileSync(path.join(importsDir, storageKey), content)
  const created = await createImport(database.db, p, deps, { orgId: p.orgId!, fileName, storageKey, sizeBytes: Buffer.byteLength(content) })
  return created.id
}

async function drain(runner = createJobRunner(database.db, { piiCipher: cipher, importsDir })): Promise<void> {
  while (await runner.runOnce()) {
    // every queued job
  }
}

type Counts = Record<'household' | 'household_member' | 'person_registry' | 'household_event' | 'audit_log', number>

async function counts(): Promise<Counts> {
  const n = async (table: 'household' | 'household_member' | 'person_registry' | 'household_event' | 'audit_log') =>
    Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(database.db)).rows[0]!.n)
  return {
    household: await n('household'),
    household_member: await n('household_member'),
    person_registry: await n('person_registry'),
    household_event: await n('household_event'),
    audit_log: await n('audit_log'),
  }
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(() => null, (e: unknown) => e)
  expect(err).toBeInstanceOf(AppError)
  return err as AppError
}

describe('household import', () => {
  it('lists exactly the three bad rows of a 10,000-row file, refuses all-or-nothing writing nothing, then commits the valid rest', async () => {
    const rows = rowsFor(10_000, 1)
    // Row numbers in the sheet: the header is row 1, rows[i] is row i + 2.
    rows[1000]!.id = rows[1000]!.id.slice(0, 17) + (rows[1000]!.id.endsWith('0') ? '1' : '0') // bad check character (a spouse)
    rows[5001]!.id = idOf('41010219990230001') // 1999-02-30 (a spouse)
    rows[8001 - (8001 % 3)]!.county = '419999' // a head naming an unknown county
    const id = await upload(worker, csv(rows))
    await drain()

    const v = await getImport(database.db, worker, id)
    expect(v.status).toBe('validated')
    expect(v.counts).toMatchObject({ rows: 10_000, households: 3334, problems: 3, problemRows: 3, validHouseholds: 3331, duplicates: 0 })
    expect(v.counts.validRows).toBe(10_000 - 9)
    const problems = (await listImportProblems(database.db, worker, id, { limit: 50 })).items
    expect(problems.map((p) => [p.rowNo, p.column, p.code])).toEqual([
      [1002, '身份证号码', 'id_number'],
      [5003, '身份证号码', 'id_number'],
      [8001 - (8001 % 3) + 2, '县区代码', 'region'],
    ])
    expect(problems[0]!.messageZh).toContain('校验位')
    expect(problems[1]!.messageZh).toContain('出生日期')
    expect(problems[2]!.messageEn).toContain('county')

    const before = await counts()
    const err = await refusal(commitImport(database.db, worker, id, 'all-or-nothing'))
    expect(err.code).toBe('CONFLICT')
    expect(err.text?.['zh-CN']).toContain('未写入任何数据')
    await drain()
    expect(await counts()).toEqual(before)
    expect((await getImport(database.db, worker, id)).status).toBe('validated')

    await commitImport(database.db, worker, id, 'valid-only')
    await drain()
    const done = await getImport(database.db, worker, id)
    expect(done).toMatchObject({ status: 'committed', counts: { committedHouseholds: 3331, committedMembers: 9991, skippedHouseholds: 0 } })
    const after = await counts()
    expect(after.household - before.household).toBe(3331)
    expect(after.household_member - before.household_member).toBe(9991)
    expect(after.person_registry - before.person_registry).toBe(9991)
    expect(after.household_event - before.household_event).toBe(3331)
    // One audit entry per chunk (two chunks of ~5,000 members) plus the commit request and the job's enqueue.
    const importAudits = await database.db.selectFrom('audit_log').select('after').where('action', '=', 'household.import').where('entity_id', '=', id).execute()
    expect(importAudits).toHaveLength(2)
    expect(after.audit_log - before.audit_log).toBe(4)

    // What was written: drafts with numbered files, sealed IDs, the head's name, the legacy type with its scheme.
    const first = await database.db.selectFrom('household').selectAll().where('head_name', '=', '成员0').executeTakeFirstOrThrow()
    expect(first).toMatchObject({ status: 'draft', region_code: '410102', org_id: worker.orgId, hardship_type: 'extreme', type_scheme: 'acftu2002', yearly_income_fen: 2400050n, primary_cause: 'laid_off' })
    expect(first.file_no).toMatch(/^410102-\d{4}-\d{6}$/)
    const members = await database.db.selectFrom('household_member').selectAll().where('household_id', '=', first.id).execute()
    expect(members).toHaveLength(3)
    expect(members.every((m) => m.id_number_sealed.startsWith('v1:') && !m.id_number_sealed.includes(rows[0]!.id))).toBe(true)
    expect(new Set(members.map((m) => cipher.decrypt(m.id_number_sealed)))).toEqual(new Set(rows.slice(0, 3).map((r) => r.id)))
    const fileNos = await database.db.selectFrom('household').select('file_no').where('region_code', '=', '410102').execute()
    expect(new Set(fileNos.map((f) => f.file_no)).size).toBe(fileNos.length)
    expect((await verifyChains(database.db, { provinceCode: '41' })).ok).toBe(true)
  }, 240_000)

  it('names both rows of a person twice in the file, and the region of a person already on file', async () => {
    const onFile = rowsFor(3, 2)
    const firstId = await upload(worker, csv(onFile))
    await drain()
    await commitImport(database.db, worker, firstId, 'all-or-nothing')
    await drain()
    expect((await getImport(database.db, worker, firstId)).status).toBe('committed')

    const rows = rowsFor(9, 3)
    rows[5]!.id = rows[1]!.id // rows 3 and 7 of the sheet
    rows[7]!.id = onFile[2]!.id // row 9: already on file in 中原区
    const id = await upload(worker, csv(rows))
    await drain()
    const v = await getImport(database.db, worker, id)
    expect(v.counts).toMatchObject({ households: 3, validHouseholds: 0, duplicates: 2 })
    const problems = (await listImportProblems(database.db, worker, id, {})).items
    expect(problems.map((p) => [p.rowNo, p.code, p.dupRowNo, p.dupRegionCode]).sort()).toEqual([
      [3, 'duplicate_in_file', 7, null],
      [7, 'duplicate_in_file', 3, null],
      [9, 'on_file', null, '410102'],
    ])
    const onFileProblem = problems.find((p) => p.code === 'on_file')!
    expect(onFileProblem.messageZh).toContain('中原区')
    expect(onFileProblem.messageZh).not.toContain(onFile[2]!.id)
    expect((await refusal(commitImport(database.db, worker, id, 'valid-only'))).code).toBe('CONFLICT')
  }, 60_000)

  it('skips a household whose person was filed elsewhere after validation (valid-only), and writes nothing (all-or-nothing)', async () => {
    const rows = rowsFor(6, 4)
    const a = await upload(worker, csv(rows))
    const b = await upload(worker, csv(rows))
    const c = await upload(worker, csv(rows.slice(0, 3)))
    await drain()
    // c files the first household's people after a and b were validated.
    await commitImport(database.db, worker, c, 'valid-only')
    await drain()
    await commitImport(database.db, worker, a, 'valid-only')
    await drain()
    const va = await getImport(database.db, worker, a)
    expect(va).toMatchObject({ status: 'committed', counts: { committedHouseholds: 1, committedMembers: 3, skippedHouseholds: 1 } })
    const raced = (await listImportProblems(database.db, worker, a, {})).items.filter((p) => p.phase === 'commit')
    expect(raced).toMatchObject([{ rowNo: 2, code: 'on_file_at_commit', dupRegionCode: '410102' }])

    const before = await counts()
    await commitImport(database.db, worker, b, 'all-or-nothing')
    await drain()
    const vb = await getImport(database.db, worker, b)
    expect(vb.status).toBe('failed')
    expect(vb.failure).toContain('Nothing was written')
    const after = await counts()
    expect({ ...after, audit_log: 0 }).toEqual({ ...before, audit_log: 0 })
  }, 60_000)

  it('resumes a commit whose runner died mid-way without writing anything twice', async () => {
    const small: ImportDeps = { ...deps, chunkMembers: 30 }
    const rows = rowsFor(300, 5)
    const id = await upload(worker, csv(rows))
    await drain()
    const before = await counts()
    await commitImport(database.db, worker, id, 'valid-only')

    let release!: () => void
    const released = new Promise<void>((r) => (release = r))
    let steps = 0
    const hanging: JobHandler = {
      kind: COMMIT_JOB,
      run: (ctx) =>
        runCommit(
          {
            ...(ctx as Parameters<typeof runCommit>[0]),
            step: async (work) => {
              if (steps++ === 3) await released
              return ctx.step(work as never)
            },
          },
          small,
        ),
    }
    // Runner A commits three chunks, then hangs as a dead process would: no heartbeat, no progress.
    const a = new JobRunner(database.db, { heartbeatMs: 3_600_000 }).register(hanging)
    const aRun = a.runOnce()
    await expect.poll(async () => (await getImport(database.db, worker, id)).counts.committedMembers, { timeout: 30_000 }).toBe(90)

    // Runner B takes the job over from its checkpoint.
    const b = new JobRunner(database.db, { staleMs: 0 })
    b.register({ kind: COMMIT_JOB, run: (ctx) => runCommit(ctx as Parameters<typeof runCommit>[0], small) })
    expect(await b.runOnce()).toBe(true)
    release()
    await aRun

    const v = await getImport(database.db, worker, id)
    expect(v).toMatchObject({ status: 'committed', counts: { committedHouseholds: 100, committedMembers: 300, skippedHouseholds: 0 } })
    const after = await counts()
    expect(after.household - before.household).toBe(100)
    expect(after.household_member - before.household_member).toBe(300)
    expect(after.person_registry - before.person_registry).toBe(300)
    expect(after.household_event - before.household_event).toBe(100)
    const audits = await database.db.selectFrom('audit_log').select('after').where('action', '=', 'household.import').where('entity_id', '=', id).execute()
    expect(audits).toHaveLength(10)
    expect((await listImportProblems(database.db, worker, id, {})).items).toEqual([])
  }, 60_000)

  it('keeps every import in its creator’s scope', async () => {
    const id = await upload(worker, csv(rowsFor(3, 6)))
    expect((await refusal(getImport(database.db, worker2, id))).code).toBe('NOT_FOUND')
    expect((await refusal(commitImport(database.db, worker2, id, 'valid-only'))).code).toBe('NOT_FOUND')
    // A county of the neighbouring district is a row error for 中原区's case worker.
    const rows = rowsFor(3, 7)
    rows[0]!.county = '410103'
    const other = await upload(worker, csv(rows))
    await drain()
    expect((await listImportProblems(database.db, worker, other, {})).items).toMatchObject([{ rowNo: 2, code: 'region_scope' }])
  }, 60_000)
})
