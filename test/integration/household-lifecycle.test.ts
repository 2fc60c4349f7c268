import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { login } from '../../src/server/modules/access/auth.service.ts'
import { createUser } from '../../src/server/modules/access/users.service.ts'
import { decide, get, listPendingFor, withdraw } from '../../src/server/modules/approvals/approvals.service.ts'
import { verifyChains } from '../../src/server/modules/audit/audit.service.ts'
import { fileHousehold, type MemberInput } from '../../src/server/modules/households/households.service.ts'
import {
  exitHousehold,
  getApprovalOf,
  listHistory,
  reenterHousehold,
  removeHousehold,
  submitHousehold,
} from '../../src/server/modules/households/lifecycle.ts'
import { residentIdCheckChar } from '../../src/server/platform/codes/resident-id.ts'
import { AppError, type ErrorCode } from '../../src/server/platform/errors.ts'
import { createPiiCipher } from '../../src/server/platform/pii-crypto.ts'
import { type Principal, systemPrincipal } from '../../src/server/platform/principal.ts'
import { type TestDatabase, testDatabase } from '../support/db.ts'
import { TEST_PASSWORD } from '../support/engine.ts'

let database: TestDatabase
const cipher = createPiiCipher(Buffer.alloc(32, 7))
const PASSWORD = 'lifecycle-test-pass-1'

// Demo users: case_worker (county union 中原区 410102, the maker), case_worker2 (二七区 410103),
// approver (city 郑州市 4101). Made here: a county approver of 中原区, and a county user who both files and approves.
let maker: Principal
let worker2: Principal
let cityApprover: Principal
let countyApprover: Principal
let makerChecker: Principal

async function signIn(username: string, password = TEST_PASSWORD): Promise<Principal> {
  return (await login(database.db, username, password, { ip: null, userAgent: null, requestId: `test-${username}` })).principal
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

beforeAll(async () => {
  database = await testDatabase()
  const db = database.db
  const county = await db.selectFrom('org').select('id').where('type', '=', 'county_union').where('region_code', '=', '410102').executeTakeFirstOrThrow()
  const system = systemPrincipal('test')
  await createUser(db, system, { username: 'zy_approver', displayName: '中原区审核', orgId: county.id, roles: ['approver'], password: PASSWORD })
  await createUser(db, system, { username: 'zy_both', displayName: '中原区经办兼审核', orgId: county.id, roles: ['case_worker', 'approver'], password: PASSWORD })
  maker = await signIn('case_worker')
  worker2 = await signIn('case_worker2')
  cityApprover = await signIn('approver')
  countyApprover = await signIn('zy_approver', PASSWORD)
  makerChecker = await signIn('zy_both', PASSWORD)
})
afterAll(async () => database?.drop())

let seq = 0
/** A fresh valid ID number registered in `county`. */
function newId(county = '410102'): string {
  const first17 = `${county}19800101${String(++seq).padStart(3, '0')}`
  return first17 + residentIdCheckChar(first17)
}

function member(idNumber: string, overrides: Partial<MemberInput> = {}): MemberInput {
  return { name: '张三', relation: 'head', idNumber, health: 'healthy', workStatus: 'laid_off', monthlyIncomeFen: 120_000, ...overrides }
}

async function file(p: Principal, ids: string[], regionCode = '410102'): Promise<{ id: string; version: number }> {
  const h = await fileHousehold(database.db, p, cipher, {
    regionCode,
    orgId: p.orgId!,
    address: '郑州市建设路 1 号',
    members: ids.map((id, i) => member(id, i === 0 ? {} : { relation: 'child', name: '张小' })),
  })
  return { id: h.id, version: await versionOf(h.id) }
}

async function row(id: string) {
  return database.db
    .selectFrom('household')
    .select(['status', 'episode', 'version', 'submitted_at', 'verified_at', 'ended_at', 'end_reason', 'end_note'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
}
const versionOf = async (id: string) => (await row(id)).version

async function registered(householdId: string): Promise<number> {
  const r = await database.db.selectFrom('person_registry').select((eb) => eb.fn.countAll<string>().as('n')).where('household_id', '=', householdId).executeTakeFirstOrThrow()
  return Number(r.n)
}

async function approvalOf(id: string) {
  return (await getApprovalOf(database.db, maker, id))!
}

/** Submitted by the maker and approved by the county, then the city: verified. */
async function verified(ids: string[]): Promise<string> {
  const h = await file(maker, ids)
  await submitHousehold(database.db, maker, h.id, { version: h.version })
  const a = await approvalOf(h.id)
  await decide(database.db, countyApprover, a.id, { decision: 'approve', version: a.version })
  await decide(database.db, cityApprover, a.id, { decision: 'approve', version: a.version + 1 })
  expect((await row(h.id)).status).toBe('verified')
  return h.id
}

/** The file's lifecycle events, oldest first, without the 'household.' prefix (the filing and other edits left out). */
const lifecycleActions = ['submit', 'approve_step', 'verify', 'return', 'reject', 'resubmit', 'withdraw', 'exit', 'remove', 'reenter'].map((a) => `household.${a}`)
const actions = async (id: string) =>
  (await listHistory(database.db, maker, id, { limit: 200 })).items
    .map((e) => e.action)
    .filter((a) => lifecycleActions.includes(a))
    .map((a) => a.replace('household.', ''))
    .reverse()

describe('household lifecycle with approval', () => {
  it('goes draft → submitted → county approves → city approves → verified, with history and audit', async () => {
    const h = await file(maker, [newId(), newId()])
    expect((await row(h.id)).status).toBe('draft')

    const submitted = await submitHousehold(database.db, maker, h.id, { version: h.version, opinion: '请审核' })
    expect(submitted).toMatchObject({ id: h.id, status: 'submitted', episode: 1, version: h.version + 1 })
    expect(submitted.submittedAt).not.toBeNull()

    const a = await approvalOf(h.id)
    expect(a).toMatchObject({ subjectKind: 'household.file', subjectId: h.id, regionCode: '410102', status: 'pending', currentStep: 0 })
    expect(a.actions.map((x) => [x.action, x.opinion])).toEqual([['submit', '请审核']])
    expect((await listPendingFor(database.db, countyApprover)).items.map((x) => x.id)).toContain(a.id)
    expect((await listPendingFor(database.db, cityApprover)).items.map((x) => x.id)).not.toContain(a.id)

    // The city cannot take the county's step.
    await refusal(decide(database.db, cityApprover, a.id, { decision: 'approve', version: a.version }), 'FORBIDDEN')
    await decide(database.db, countyApprover, a.id, { decision: 'approve', opinion: '情况属实', version: a.version })
    expect((await row(h.id)).status).toBe('submitted')
    expect((await listPendingFor(database.db, cityApprover)).items.map((x) => x.id)).toContain(a.id)

    const done = await decide(database.db, cityApprover, a.id, { decision: 'approve', version: a.version + 1 })
    expect(done.status).toBe('approved')
    const after = await row(h.id)
    expect(after).toMatchObject({ status: 'verified', episode: 1, version: h.version + 2 })
    expect(after.verified_at).not.toBeNull()

    const history = await listHistory(database.db, maker, h.id)
    expect(history.items.filter((e) => e.action !== 'household.file').map((e) => [e.action.replace('household.', ''), e.before, e.after, e.actor.name])).toEqual([
      ['verify', { status: 'submitted' }, { status: 'verified' }, cityApprover.displayName],
      ['approve_step', { status: 'submitted' }, { status: 'submitted', step: 0, level: 'county' }, countyApprover.displayName],
      ['submit', { status: 'draft' }, { status: 'submitted' }, maker.displayName],
    ])
    expect(history.items[1]!.note).toBe('情况属实')

    const audited = await database.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'household').where('entity_id', '=', h.id).orderBy('seq').execute()
    expect(audited.map((r) => r.action)).toEqual(['household.file', 'household.submit', 'household.verify'])
    expect((await verifyChains(database.db)).ok).toBe(true)
  })

  it('refuses a stale version, a second submission and a file out of scope', async () => {
    const h = await file(maker, [newId()])
    await refusal(submitHousehold(database.db, worker2, h.id, { version: h.version }), 'NOT_FOUND')
    const stale = await refusal(submitHousehold(database.db, maker, h.id, { version: h.version + 1 }), 'CONFLICT')
    expect((stale.details as { field: string }[])[0]!.field).toBe('version')
    await submitHousehold(database.db, maker, h.id, { version: h.version })
    await refusal(submitHousehold(database.db, maker, h.id, { version: h.version + 1 }), 'CONFLICT')
    expect((await row(h.id)).status).toBe('submitted')
  })

  it('returns for correction → draft, and the maker resubmits from the first step', async () => {
    const h = await file(maker, [newId()])
    await submitHousehold(database.db, maker, h.id, { version: h.version })
    let a = await approvalOf(h.id)
    await refusal(decide(database.db, countyApprover, a.id, { decision: 'return', version: a.version }), 'VALIDATION_FAILED')
    await decide(database.db, countyApprover, a.id, { decision: 'return', opinion: '收入证明缺失', version: a.version })
    const returned = await row(h.id)
    expect(returned.status).toBe('draft')

    // A returned file cannot be approved; the maker corrects and submits again: the same approval, a new round.
    a = await approvalOf(h.id)
    expect(a.status).toBe('returned')
    const again = await submitHousehold(database.db, maker, h.id, { version: returned.version, opinion: '已补充' })
    expect(again.status).toBe('submitted')
    const resubmitted = await approvalOf(h.id)
    expect(resubmitted).toMatchObject({ id: a.id, status: 'pending', currentStep: 0, round: 2 })
    await decide(database.db, countyApprover, a.id, { decision: 'approve', version: resubmitted.version })
    await decide(database.db, cityApprover, a.id, { decision: 'approve', version: resubmitted.version + 1 })
    expect((await row(h.id)).status).toBe('verified')
    expect(await actions(h.id)).toEqual(['submit', 'return', 'resubmit', 'approve_step', 'verify'])
    const history = await listHistory(database.db, maker, h.id)
    expect(history.items.find((e) => e.action === 'household.return')!.note).toBe('收入证明缺失')
  })

  it('rejected → removed as not eligible, with the reason on the file; its members are freed', async () => {
    const person = newId()
    const h = await file(maker, [person])
    await submitHousehold(database.db, maker, h.id, { version: h.version })
    const a = await approvalOf(h.id)
    expect(await registered(h.id)).toBe(1)
    await decide(database.db, countyApprover, a.id, { decision: 'reject', opinion: '人均收入高于标准', version: a.version })
    const r = await row(h.id)
    expect(r).toMatchObject({ status: 'removed', end_reason: 'not_eligible', end_note: '人均收入高于标准' })
    expect(r.ended_at).not.toBeNull()
    expect(await registered(h.id)).toBe(0)
    expect(await actions(h.id)).toEqual(['submit', 'reject'])
  })

  it('a withdrawal puts the file back to draft', async () => {
    const h = await file(maker, [newId()])
    await submitHousehold(database.db, maker, h.id, { version: h.version })
    const a = await approvalOf(h.id)
    await withdraw(database.db, maker, a.id, { version: a.version })
    expect((await row(h.id)).status).toBe('draft')
    // …and can be submitted afresh, as a new approval.
    const resubmitted = await submitHousehold(database.db, maker, h.id, { version: await versionOf(h.id) })
    expect(resubmitted.status).toBe('submitted')
    expect((await approvalOf(h.id)).id).not.toBe(a.id)
  })

  it('never lets the maker approve their own file', async () => {
    const h = await file(makerChecker, [newId()])
    await submitHousehold(database.db, makerChecker, h.id, { version: h.version })
    const a = (await getApprovalOf(database.db, makerChecker, h.id))!
    await refusal(decide(database.db, makerChecker, a.id, { decision: 'approve', version: a.version }), 'FORBIDDEN')
    expect((await get(database.db, makerChecker, a.id)).status).toBe('pending')
    expect((await row(h.id)).status).toBe('submitted')
  })

  it('exit (脱困) frees its members: the person can then be filed elsewhere, and re-entry is refused naming the holder', async () => {
    const person = newId()
    const id = await verified([person])
    // While on file, a second filing elsewhere is refused.
    await refusal(file(worker2, [person], '410103'), 'CONFLICT')

    await refusal(exitHousehold(database.db, maker, id, { version: await versionOf(id), reason: 'bogus' }), 'VALIDATION_FAILED')
    const noNote = await refusal(exitHousehold(database.db, maker, id, { version: await versionOf(id), reason: 'other' }), 'VALIDATION_FAILED')
    expect((noNote.details as { field: string }[])[0]!.field).toBe('note')
    await refusal(exitHousehold(database.db, worker2, id, { version: await versionOf(id), reason: 'employment_income' }), 'NOT_FOUND')

    const exited = await exitHousehold(database.db, maker, id, { version: await versionOf(id), reason: 'employment_income', note: '再就业月收入 4500 元' })
    expect(exited).toMatchObject({ status: 'exited', endReason: 'employment_income', endNote: '再就业月收入 4500 元', episode: 1 })
    expect(exited.endedAt).not.toBeNull()
    expect(await registered(id)).toBe(0)
    // An exited file cannot exit again.
    await refusal(exitHousehold(database.db, maker, id, { version: exited.version, reason: 'employment_income' }), 'CONFLICT')

    const elsewhere = await file(worker2, [person], '410103')
    expect(elsewhere.id).not.toBe(id)

    const err = await refusal(reenterHousehold(database.db, maker, id, { version: exited.version }), 'CONFLICT')
    expect(err.text?.['zh-CN']).toContain('河南省 郑州市 二七区')
    expect(JSON.stringify(err)).not.toContain(person)
    expect((await row(id)).status).toBe('exited')
  })

  it('re-entry opens episode 2 as a draft, registers the members again, and goes through approval again', async () => {
    const person = newId()
    const id = await verified([person])
    await refusal(removeHousehold(database.db, maker, id, { version: await versionOf(id), reason: 'deceased' }), 'FORBIDDEN')
    const removed = await removeHousehold(database.db, cityApprover, id, { version: await versionOf(id), reason: 'moved_away', note: '迁往外省' })
    expect(removed).toMatchObject({ status: 'removed', endReason: 'moved_away', endNote: '迁往外省' })
    expect(await registered(id)).toBe(0)

    const back = await reenterHousehold(database.db, maker, id, { version: removed.version, note: '返回本地' })
    expect(back).toMatchObject({ status: 'draft', episode: 2, endReason: null, endNote: null, endedAt: null, verifiedAt: null })
    expect(await registered(id)).toBe(1)
    // The person is on file again: a second filing is refused.
    await refusal(file(worker2, [person], '410103'), 'CONFLICT')

    await submitHousehold(database.db, maker, id, { version: back.version })
    const a = await approvalOf(id)
    await decide(database.db, countyApprover, a.id, { decision: 'approve', version: a.version })
    await decide(database.db, cityApprover, a.id, { decision: 'approve', version: a.version + 1 })
    expect(await row(id)).toMatchObject({ status: 'verified', episode: 2 })

    const history = await listHistory(database.db, maker, id, { limit: 200 })
    const reenter = history.items.find((e) => e.action === 'household.reenter')!
    expect(reenter).toMatchObject({ episode: 2, before: { status: 'removed', episode: 1 }, after: { status: 'draft', episode: 2 }, note: '返回本地' })
    expect(history.items.filter((e) => e.episode === 2).map((e) => e.action).reverse()).toEqual(['household.reenter', 'household.submit', 'household.approve_step', 'household.verify'])
  })

  it('removes a draft by the case worker (不符合), freeing its members', async () => {
    const h = await file(maker, [newId()])
    await refusal(removeHousehold(database.db, maker, h.id, { version: h.version, reason: 'other' }), 'VALIDATION_FAILED')
    const removed = await removeHousehold(database.db, maker, h.id, { version: h.version, reason: 'duplicate' })
    expect(removed.status).toBe('removed')
    expect(await registered(h.id)).toBe(0)
    // A submitted file is decided by its approval, not removed.
    const s = await file(maker, [newId()])
    await submitHousehold(database.db, maker, s.id, { version: s.version })
    await refusal(removeHousehold(database.db, cityApprover, s.id, { version: s.version + 1, reason: 'duplicate' }), 'CONFLICT')
  })

  it('pages the history newest first with a cursor, and keeps other counties out', async () => {
    const h = await file(maker, [newId()])
    await submitHousehold(database.db, maker, h.id, { version: h.version })
    const a = await approvalOf(h.id)
    await withdraw(database.db, maker, a.id, { version: a.version })
    await submitHousehold(database.db, maker, h.id, { version: await versionOf(h.id) })
    const all = (await listHistory(database.db, maker, h.id, { limit: 200 })).items
    expect(all.slice(0, 3).map((e) => e.action)).toEqual(['household.submit', 'household.withdraw', 'household.submit'])
    // Page by two: every event once, in the same order.
    const paged: string[] = []
    let cursor: string | undefined
    do {
      const page = await listHistory(database.db, maker, h.id, { limit: 2, cursor })
      expect(page.items.length).toBeLessThanOrEqual(2)
      paged.push(...page.items.map((e) => e.id))
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    expect(paged).toEqual(all.map((e) => e.id))
    await refusal(listHistory(database.db, worker2, h.id), 'NOT_FOUND')
    await refusal(getApprovalOf(database.db, worker2, h.id), 'NOT_FOUND')
    await refusal(listHistory(database.db, maker, h.id, { cursor: 'bogus' }), 'VALIDATION_FAILED')
  })
})
