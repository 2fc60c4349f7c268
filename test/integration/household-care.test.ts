import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { login } from '../../src/server/modules/access/auth.service.ts'
import { verifyChains } from '../../src/server/modules/audit/audit.service.ts'
import {
  addMeasure,
  addVisit,
  getPairing,
  listMeasures,
  listOverdueVisits,
  listVisits,
  pairingCoverage,
  setPairing,
  updateMeasure,
} from '../../src/server/modules/households/care.service.ts'
import { fileHousehold } from '../../src/server/modules/households/households.service.ts'
import { addMonths } from '../../src/server/modules/households/visits.ts'
import { chinaDate } from '../../src/server/platform/china-date.ts'
import { residentIdCheckChar } from '../../src/server/platform/codes/resident-id.ts'
import { AppError, type ErrorCode, type FieldError } from '../../src/server/platform/errors.ts'
import { createPiiCipher } from '../../src/server/platform/pii-crypto.ts'
import type { Principal } from '../../src/server/platform/principal.ts'
import { type TestDatabase, testDatabase } from '../support/db.ts'
import { TEST_PASSWORD } from '../support/engine.ts'

let database: TestDatabase
// case_worker: county 410102, household.write; case_worker2: county 410103; approver: city 4101, read only.
let worker: Principal
let worker2: Principal
let approver: Principal
const cipher = createPiiCipher(Buffer.alloc(32, 7))
const today = chinaDate()

async function signIn(username: string): Promise<Principal> {
  return (await login(database.db, username, TEST_PASSWORD, { ip: null, userAgent: null, requestId: `test-${username}` })).principal
}

beforeAll(async () => {
  database = await testDatabase()
  worker = await signIn('case_worker')
  worker2 = await signIn('case_worker2')
  approver = await signIn('approver')
})
afterAll(async () => database?.drop())

const idOf = (first17: string) => first17 + residentIdCheckChar(first17)
let serial = 0

/** A new draft household in 中原区 with one member, filed by case_worker. */
async function newHousehold(name = '赵一'): Promise<string> {
  serial++
  const idNumber = idOf(`41010219${60 + serial}0101${String(serial).padStart(3, '0')}`)
  const h = await fileHousehold(database.db, worker, cipher, {
    regionCode: '410102',
    orgId: worker.orgId!,
    address: '郑州市中原区建设路 8 号',
    members: [{ name, relation: 'head', idNumber, health: 'healthy', workStatus: 'laid_off', monthlyIncomeFen: 100_000 }],
  })
  return h.id
}

/** Puts a household on file directly (the approval flow is tested elsewhere). */
async function putOnFile(id: string, verifiedOn = today, status: 'verified' | 'reverifying' = 'verified'): Promise<void> {
  await sql`UPDATE household SET status = ${status}, verified_at = ${`${verifiedOn}T12:00:00+08:00`}::timestamptz WHERE id = ${id}`.execute(database.db)
}

async function setStatus(id: string, status: string): Promise<void> {
  await sql`UPDATE household SET status = ${status} WHERE id = ${id}`.execute(database.db)
}

async function refusal(promise: Promise<unknown>, code: ErrorCode): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(AppError)
  expect((err as AppError).code).toBe(code)
  return err as AppError
}

const fieldsOf = (err: AppError) => (err.details as FieldError[]).map((d) => d.field)

async function trail(householdId: string, action: string) {
  const events = await database.db.selectFrom('household_event').selectAll().where('household_id', '=', householdId).where('action', '=', action).execute()
  const audits = await database.db.selectFrom('audit_log').selectAll().where('entity_id', '=', householdId).where('action', '=', action).execute()
  return { events, audits }
}

describe('plan and measures', () => {
  let householdId: string
  let measureId: string

  beforeAll(async () => {
    householdId = await newHousehold()
  })

  it('adds a measure of one of the four batches, audited and in the file history', async () => {
    const m = await addMeasure(database.db, worker, householdId, { batch: 'employment', target: '  参加技能培训并实现再就业 ', responsible: '王帮扶', dueOn: addMonths(today, 3) })
    measureId = m.id
    expect(m).toMatchObject({ batch: 'employment', target: '参加技能培训并实现再就业', responsible: '王帮扶', status: 'planned', outcome: null, episode: 1, current: true, overdue: false, version: 1 })
    const { events, audits } = await trail(householdId, 'household.measure_add')
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ actor_name: worker.displayName, episode: 1 })
    expect(audits).toHaveLength(1)
    expect(audits[0]).toMatchObject({ actor_name: 'case_worker', region_code: '410102' })
  })

  it('names every invalid field in both languages and writes nothing', async () => {
    const err = await refusal(
      addMeasure(database.db, worker, householdId, { batch: 'charity', target: ' ', responsible: 'x'.repeat(51), dueOn: '2026-02-30', status: 'done' }),
      'VALIDATION_FAILED',
    )
    expect(fieldsOf(err)).toEqual(['batch', 'target', 'responsible', 'dueOn', 'outcome'])
    const details = err.details as FieldError[]
    expect(details[2]!.message['zh-CN']).toContain('50')
    expect(details[4]!.message['zh-CN']).toContain('成效')

    const early = await refusal(addMeasure(database.db, worker, householdId, { batch: 'medical', target: '大病救助', responsible: '王', dueOn: '2001-01-01' }), 'VALIDATION_FAILED')
    expect(fieldsOf(early)).toEqual(['dueOn'])
    expect((early.details as FieldError[])[0]!.message.en).toContain(today)
    const far = await refusal(addMeasure(database.db, worker, householdId, { batch: 'medical', target: '大病救助', responsible: '王', dueOn: addMonths(today, 61) }), 'VALIDATION_FAILED')
    expect(fieldsOf(far)).toEqual(['dueOn'])
    const long = await refusal(addMeasure(database.db, worker, householdId, { batch: 'medical', target: '救'.repeat(201), responsible: '王', dueOn: today }), 'VALIDATION_FAILED')
    expect(fieldsOf(long)).toEqual(['target'])
    expect((await listMeasures(database.db, worker, householdId)).items).toHaveLength(1)
  })

  it('moves a measure on with the version read, and refuses a stale version with CONFLICT', async () => {
    const moved = await updateMeasure(database.db, worker, householdId, measureId, { version: 1, status: 'in_progress' })
    expect(moved).toMatchObject({ status: 'in_progress', version: 2 })
    const stale = await refusal(updateMeasure(database.db, worker, householdId, measureId, { version: 1, status: 'cancelled' }), 'CONFLICT')
    expect(stale.text!['zh-CN']).toContain('刷新')
    const noOutcome = await refusal(updateMeasure(database.db, worker, householdId, measureId, { version: 2, status: 'done' }), 'VALIDATION_FAILED')
    expect(fieldsOf(noOutcome)).toEqual(['outcome'])
    const done = await updateMeasure(database.db, worker, householdId, measureId, { version: 2, status: 'done', outcome: '已在物流公司就业' })
    expect(done).toMatchObject({ status: 'done', outcome: '已在物流公司就业', version: 3 })
    const { events, audits } = await trail(householdId, 'household.measure_update')
    expect(events).toHaveLength(2)
    expect(events[1]!.before).toMatchObject({ status: 'in_progress' })
    expect(events[1]!.after).toMatchObject({ status: 'done' })
    expect(audits).toHaveLength(2)
  })

  it('lists the current episode first; measures of an earlier episode no longer change', async () => {
    await sql`UPDATE household SET episode = 2 WHERE id = ${householdId}`.execute(database.db)
    const current = await addMeasure(database.db, worker, householdId, { batch: 'assistance', target: '纳入低保', responsible: '李', dueOn: addMonths(today, 1) })
    expect(current.episode).toBe(2)
    const list = await listMeasures(database.db, worker, householdId)
    expect(list.episode).toBe(2)
    expect(list.items.map((m) => [m.episode, m.current])).toEqual([
      [2, true],
      [1, false],
    ])
    const err = await refusal(updateMeasure(database.db, worker, householdId, measureId, { version: 3, status: 'cancelled' }), 'CONFLICT')
    expect(err.text!.en).toContain('earlier episode')
  })

  it('keeps the plan of an exited or removed file as it was', async () => {
    const id = await newHousehold()
    await setStatus(id, 'exited')
    await refusal(addMeasure(database.db, worker, id, { batch: 'employment', target: 't', responsible: 'r', dueOn: today }), 'CONFLICT')
    const list = await listMeasures(database.db, worker, id)
    expect(list.editable).toBe(false)
  })

  it('answers a missing, foreign or malformed household and measure alike, and needs household.write to change', async () => {
    for (const p of [worker2]) {
      await refusal(listMeasures(database.db, p, householdId), 'NOT_FOUND')
      await refusal(addMeasure(database.db, p, householdId, { batch: 'employment', target: 't', responsible: 'r', dueOn: today }), 'NOT_FOUND')
      await refusal(updateMeasure(database.db, p, householdId, measureId, { version: 3, status: 'done', outcome: 'x' }), 'NOT_FOUND')
    }
    await refusal(listMeasures(database.db, worker, randomUUID()), 'NOT_FOUND')
    await refusal(listMeasures(database.db, worker, 'not-a-uuid'), 'NOT_FOUND')
    await refusal(updateMeasure(database.db, worker, householdId, randomUUID(), { version: 1, status: 'done', outcome: 'x' }), 'NOT_FOUND')
    // a measure of another household is not found through this one
    const other = await newHousehold()
    await refusal(updateMeasure(database.db, worker, other, measureId, { version: 3, status: 'done', outcome: 'x' }), 'NOT_FOUND')
    expect((await listMeasures(database.db, approver, householdId)).items).toHaveLength(2)
    await refusal(addMeasure(database.db, approver, householdId, { batch: 'employment', target: 't', responsible: 'r', dueOn: today }), 'FORBIDDEN')
  })
})

describe('pairing (一帮一) and coverage', () => {
  it('names and replaces the helper of a draft or a file on record, never of one awaiting approval', async () => {
    const id = await newHousehold()
    expect(await getPairing(database.db, worker, id)).toMatchObject({ paired: false, helperOrgId: null, editable: true })
    const set = await setPairing(database.db, worker, id, { helperOrgId: worker.orgId!, helperPerson: ' 刘结对 ' })
    expect(set).toMatchObject({ paired: true, helperOrgId: worker.orgId, helperPerson: '刘结对', pairedOn: today })
    expect(set.helperOrgName).toBeTruthy()

    await setStatus(id, 'submitted')
    const waiting = await refusal(setPairing(database.db, worker, id, { helperOrgId: worker.orgId!, helperPerson: '刘' }), 'CONFLICT')
    expect(waiting.text!['zh-CN']).toContain('结对')

    await putOnFile(id)
    const replaced = await setPairing(database.db, worker, id, { helperOrgId: worker.orgId!, helperPerson: '陈帮扶', pairedOn: '2026-01-05' })
    expect(replaced).toMatchObject({ helperPerson: '陈帮扶', pairedOn: '2026-01-05' })
    const { events, audits } = await trail(id, 'household.pair')
    expect(events).toHaveLength(2)
    expect(events[0]!.before).toBeNull()
    expect(events[1]!.before).toMatchObject({ helperPerson: '刘结对' })
    expect(audits).toHaveLength(2)
  })

  it('refuses a helper unit outside the scope, an empty person and a future date, naming the fields', async () => {
    const id = await newHousehold()
    const err = await refusal(setPairing(database.db, worker, id, { helperOrgId: worker2.orgId!, helperPerson: '  ', pairedOn: addMonths(today, 1) }), 'VALIDATION_FAILED')
    expect(fieldsOf(err)).toEqual(['helperOrgId', 'helperPerson', 'pairedOn'])
    const unknown = await refusal(setPairing(database.db, worker, id, { helperOrgId: randomUUID(), helperPerson: '张', pairedOn: '1999-12-31' }), 'VALIDATION_FAILED')
    expect(fieldsOf(unknown)).toEqual(['helperOrgId', 'pairedOn'])
    await refusal(setPairing(database.db, worker2, id, { helperOrgId: worker2.orgId!, helperPerson: '张' }), 'NOT_FOUND')
    await refusal(getPairing(database.db, worker2, id), 'NOT_FOUND')
    await refusal(setPairing(database.db, approver, id, { helperOrgId: worker.orgId!, helperPerson: '张' }), 'FORBIDDEN')
  })

  it('counts households on file per filing organisation: paired, total and basis points', async () => {
    const before = await pairingCoverage(database.db, approver, { regionCode: '410102' })
    const a = await newHousehold()
    const b = await newHousehold()
    const c = await newHousehold()
    const draft = await newHousehold()
    await putOnFile(a)
    await putOnFile(b, today, 'reverifying')
    await putOnFile(c)
    await setPairing(database.db, worker, a, { helperOrgId: worker.orgId!, helperPerson: '甲' })
    await setPairing(database.db, worker, draft, { helperOrgId: worker.orgId!, helperPerson: '乙' }) // a draft is not on file
    const after = await pairingCoverage(database.db, approver, { regionCode: '410102' })
    const line = (cov: typeof after) => cov.items.find((i) => i.orgId === worker.orgId) ?? { onFile: 0, paired: 0 }
    expect(line(after).onFile - line(before).onFile).toBe(3)
    expect(line(after).paired - line(before).paired).toBe(1)
    const mine = after.items.find((i) => i.orgId === worker.orgId)!
    expect(mine.orgName).toBeTruthy()
    expect(mine.percent).toBe(Math.floor((mine.paired * 10_000) / mine.onFile))
    expect(after.total.onFile).toBe(after.items.reduce((s, i) => s + i.onFile, 0))
    expect(after.total.percent).toBe(Math.floor((after.total.paired * 10_000) / after.total.onFile))
    expect(after.total.percent).toBeLessThan(10_000)
    expect(after.regionPrefix).toBe('410102')

    // the same figures from the county worker's own scope, with or without naming it
    const own = await pairingCoverage(database.db, worker)
    expect(own.total).toEqual(after.total)
    expect((await pairingCoverage(database.db, approver, { regionCode: '410100' })).total.onFile).toBeGreaterThanOrEqual(after.total.onFile)
    expect((await pairingCoverage(database.db, approver, { regionCode: '4101' })).regionPrefix).toBe('4101')
    // another county sees none of them
    const elsewhere = await pairingCoverage(database.db, worker2)
    expect(elsewhere.items.find((i) => i.orgId === worker.orgId)).toBeUndefined()
  })

  it('answers a region outside the scope, or unknown, like a missing record', async () => {
    await refusal(pairingCoverage(database.db, worker, { regionCode: '410103' }), 'NOT_FOUND')
    await refusal(pairingCoverage(database.db, worker, { regionCode: '41' }), 'NOT_FOUND')
    await refusal(pairingCoverage(database.db, worker, { regionCode: '410199' }), 'NOT_FOUND')
    await refusal(pairingCoverage(database.db, approver, { regionCode: '420100' }), 'NOT_FOUND')
    const bad = await refusal(pairingCoverage(database.db, worker, { regionCode: '4101x' }), 'VALIDATION_FAILED')
    expect(fieldsOf(bad)).toEqual(['regionCode'])
  })
})

describe('visits (走访) and the six-month flag', () => {
  it('records visits, keeps the latest date as the last visit, audits without the findings', async () => {
    const id = await newHousehold()
    await putOnFile(id, addMonths(today, -8))
    const fresh = await listVisits(database.db, worker, id)
    expect(fresh).toMatchObject({ lastVisitOn: null, onFile: true, overdue: true, dueBy: addMonths(addMonths(today, -8), 6), items: [] })

    const recent = addMonths(today, -1)
    const v = await addVisit(database.db, worker, id, { visitedOn: recent, visitor: ' 王帮扶 ', findings: '家中老人住院，需要医疗救助', followUp: '联系医保' })
    expect(v).toMatchObject({ visitedOn: recent, visitor: '王帮扶', followUp: '联系医保' })
    // an older visit entered late does not move the last visit back
    await addVisit(database.db, worker, id, { visitedOn: addMonths(today, -3), visitor: '李', findings: '生活基本稳定', followUp: ' ' })
    const list = await listVisits(database.db, worker, id)
    expect(list.lastVisitOn).toBe(recent)
    expect(list.overdue).toBe(false)
    expect(list.items.map((i) => i.visitedOn)).toEqual([recent, addMonths(today, -3)])
    expect(list.items[1]!.followUp).toBeNull()

    const { events, audits } = await trail(id, 'household.visit_add')
    expect(events).toHaveLength(2)
    expect(audits).toHaveLength(2)
    expect(JSON.stringify(audits, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).not.toContain('住院')
    expect(audits[0]!.after).toMatchObject({ lastVisitOn: recent })
    expect((await verifyChains(database.db, { provinceCode: '41' })).ok).toBe(true)
  })

  it('flags by calendar months as visitOverdue does', async () => {
    const id = await newHousehold()
    await putOnFile(id, '2026-01-10')
    await addVisit(database.db, worker, id, { visitedOn: '2026-08-31', visitor: '王', findings: '走访' })
    expect((await listVisits(database.db, worker, id, { today: '2027-02-28' })).overdue).toBe(false)
    expect((await listVisits(database.db, worker, id, { today: '2027-03-01' })).overdue).toBe(true)
    expect((await listVisits(database.db, worker, id, { today: '2027-03-01' })).dueBy).toBe('2027-02-28')
    // a draft is not on file: never flagged
    const draft = await newHousehold()
    expect(await listVisits(database.db, worker, draft, { today: '2030-01-01' })).toMatchObject({ onFile: false, overdue: false, dueBy: null })
  })

  it('refuses a future or too early date and empty text, naming the fields; a removed file takes no visits', async () => {
    const id = await newHousehold()
    const err = await refusal(addVisit(database.db, worker, id, { visitedOn: addMonths(today, 1), visitor: '', findings: ' ', followUp: 'x'.repeat(1001) }), 'VALIDATION_FAILED')
    expect(fieldsOf(err)).toEqual(['visitedOn', 'visitor', 'findings', 'followUp'])
    const early = await refusal(addVisit(database.db, worker, id, { visitedOn: '1999-12-31', visitor: '王', findings: 'f' }), 'VALIDATION_FAILED')
    expect((early.details as FieldError[])[0]!.message['zh-CN']).toContain('2000')
    await setStatus(id, 'removed')
    await refusal(addVisit(database.db, worker, id, { visitedOn: today, visitor: '王', findings: 'f' }), 'CONFLICT')
    await setStatus(id, 'exited')
    await addVisit(database.db, worker, id, { visitedOn: today, visitor: '王', findings: '回访' })
    await refusal(addVisit(database.db, worker2, id, { visitedOn: today, visitor: '王', findings: 'f' }), 'NOT_FOUND')
    await refusal(listVisits(database.db, worker2, id), 'NOT_FOUND')
    await refusal(addVisit(database.db, approver, id, { visitedOn: today, visitor: '王', findings: 'f' }), 'FORBIDDEN')
  })

  it('lists the overdue households on file in scope, longest unvisited first, in keyset pages', async () => {
    const old = await newHousehold('钱老')
    const older = await newHousehold('孙更老')
    const visited = await newHousehold('李近访')
    const notOnFile = await newHousehold('周草稿')
    await putOnFile(old, addMonths(today, -7))
    await putOnFile(older, addMonths(today, -13), 'reverifying')
    await putOnFile(visited, addMonths(today, -13))
    await addVisit(database.db, worker, visited, { visitedOn: addMonths(today, -2), visitor: '王', findings: '走访' })
    await sql`UPDATE household SET verified_at = now() - interval '3 years' WHERE id = ${notOnFile}`.execute(database.db)

    const all: Awaited<ReturnType<typeof listOverdueVisits>>['items'] = []
    let cursor: string | undefined
    let pages = 0
    do {
      const page = await listOverdueVisits(database.db, approver, { regionCode: '410102', cursor, limit: 2 })
      all.push(...page.items)
      cursor = page.nextCursor ?? undefined
      pages++
    } while (cursor && pages < 500)
    const ids = all.map((r) => r.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toContain(old)
    expect(ids).toContain(older)
    expect(ids).not.toContain(visited)
    expect(ids).not.toContain(notOnFile)
    expect(ids.indexOf(older)).toBeLessThan(ids.indexOf(old))
    const sorted = [...all].sort((x, y) => (x.referenceOn === y.referenceOn ? (x.id < y.id ? -1 : 1) : x.referenceOn < y.referenceOn ? -1 : 1))
    expect(all.map((r) => r.id)).toEqual(sorted.map((r) => r.id))
    const row = all.find((r) => r.id === older)!
    expect(row).toMatchObject({ headName: expect.any(String), regionCode: '410102', regionName: '中原区', lastVisitOn: null, referenceOn: addMonths(today, -13), status: 'reverifying' })
    expect(row.fileNo).toMatch(/^410102-/)
    expect(row.dueBy).toBe(addMonths(addMonths(today, -13), 6))

    const mine = await listOverdueVisits(database.db, worker, { limit: 200 })
    expect(mine.items.map((r) => r.id)).toContain(old)
    const theirs = await listOverdueVisits(database.db, worker2, { limit: 200 })
    expect(theirs.items.map((r) => r.id)).not.toContain(old)
    await refusal(listOverdueVisits(database.db, worker, { regionCode: '410103' }), 'NOT_FOUND')
    const forged = await refusal(listOverdueVisits(database.db, worker, { cursor: 'bm90LWEtY3Vyc29y' }), 'VALIDATION_FAILED')
    expect(fieldsOf(forged)).toEqual(['cursor'])
  })
})
