import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { login } from '../../src/server/modules/access/auth.service.ts'
import { createUser } from '../../src/server/modules/access/users.service.ts'
import {
  type ApprovalEvent,
  decide,
  effectiveSteps,
  get,
  listPendingFor,
  registerSubjectKind,
  resubmit,
  setPolicy,
  submit,
  withdraw,
} from '../../src/server/modules/approvals/approvals.service.ts'
import { verifyChains } from '../../src/server/modules/audit/audit.service.ts'
import { AppError, type ErrorCode } from '../../src/server/platform/errors.ts'
import { type Principal, systemPrincipal } from '../../src/server/platform/principal.ts'
import { type TestDatabase, testDatabase } from '../support/db.ts'
import { TEST_PASSWORD } from '../support/engine.ts'

let database: TestDatabase
const system = systemPrincipal('test')
const PASSWORD = 'approvals-test-pass-1'

// Demo users: case_worker (county 410102, the maker), case_worker2 (county 410103), approver (city 4101),
// province_admin (province 41, admin). Made here: two county approvers in 410102, a county user who both
// files and approves, a county user without the approve permission.
let maker: Principal
let otherCounty: Principal
let cityApprover: Principal
let provinceAdmin: Principal
let countyA: Principal
let countyB: Principal
let makerChecker: Principal
let countyFund: Principal

const events: ApprovalEvent[] = []

async function signIn(username: string, password = TEST_PASSWORD): Promise<Principal> {
  return (await login(database.db, username, password, { ip: null, userAgent: null, requestId: `test-${username}` })).principal
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(AppError)
  return err as AppError
}

async function expectRefused(promise: Promise<unknown>, code: ErrorCode, field?: string): Promise<AppError> {
  const err = await failure(promise)
  expect(err.code).toBe(code)
  if (field) expect((err.details as { field: string }[])[0]!.field).toBe(field)
  return err
}

let subjectSeq = 0
const nextSubject = (tag: string) => `${tag}-${++subjectSeq}`

beforeAll(async () => {
  database = await testDatabase()
  const db = database.db
  const countyOrg = await db.selectFrom('org').select('id').where('type', '=', 'county_union').where('region_code', '=', '410102').executeTakeFirstOrThrow()
  const make = (username: string, roles: string[]) => createUser(db, system, { username, displayName: username, orgId: countyOrg.id, roles, password: PASSWORD })
  await make('county_a', ['approver'])
  await make('county_b', ['approver'])
  await make('county_both', ['case_worker', 'approver'])
  await make('county_fund', ['fund_manager'])
  maker = await signIn('case_worker')
  otherCounty = await signIn('case_worker2')
  cityApprover = await signIn('approver')
  provinceAdmin = await signIn('province_admin')
  countyA = await signIn('county_a', PASSWORD)
  countyB = await signIn('county_b', PASSWORD)
  makerChecker = await signIn('county_both', PASSWORD)
  countyFund = await signIn('county_fund', PASSWORD)

  for (const kind of ['test.file', 'test.twice', 'test.policy', 'test.specific']) {
    registerSubjectKind({ kind, readPermission: 'household.read', approvePermission: 'household.approve', onTransition: async (_trx, e) => void events.push(e) })
  }
  registerSubjectKind({
    kind: 'test.strict',
    readPermission: 'household.read',
    approvePermission: 'household.approve',
    onTransition: async (trx, e) => {
      // The subject's own change runs in the same transaction: when it fails, the decision does not happen.
      await trx.selectFrom('approval').select('id').where('id', '=', e.approval.id).execute()
      if (e.action === 'approve') throw new AppError('CONFLICT')
    },
  })
})
afterAll(async () => database?.drop())

describe('maker-checker approvals', () => {
  it('go through the default county then city steps to approved, audited step by step', async () => {
    const subjectId = nextSubject('hh')
    const submitted = await submit(database.db, maker, { kind: 'test.file', subjectId, regionCode: '410102' })
    expect(submitted).toMatchObject({
      status: 'pending',
      currentStep: 0,
      version: 1,
      round: 1,
      policyId: null,
      maker: { id: maker.userId, name: maker.displayName },
      steps: [
        { level: 'county', permission: 'household.approve' },
        { level: 'city', permission: 'household.approve' },
      ],
    })
    // Only county approvers see it now; the city sees it after the county step.
    expect((await listPendingFor(database.db, countyA, { limit: 100 })).items.map((a) => a.id)).toContain(submitted.id)
    expect((await listPendingFor(database.db, cityApprover, { limit: 100 })).items.map((a) => a.id)).not.toContain(submitted.id)
    expect((await listPendingFor(database.db, maker, { limit: 100 })).items).toEqual([])

    const afterCounty = await decide(database.db, countyA, submitted.id, { decision: 'approve', opinion: '情况属实', version: 1 })
    expect(afterCounty).toMatchObject({ status: 'pending', currentStep: 1, version: 2, decidedAt: null })
    expect((await listPendingFor(database.db, countyA, { limit: 100 })).items.map((a) => a.id)).not.toContain(submitted.id)
    expect((await listPendingFor(database.db, cityApprover, { limit: 100 })).items.map((a) => a.id)).toContain(submitted.id)

    const approved = await decide(database.db, cityApprover, submitted.id, { decision: 'approve', version: 2 })
    expect(approved).toMatchObject({ status: 'approved', currentStep: 1, version: 3 })
    expect(approved.decidedAt).not.toBeNull()
    expect(approved.actions.map((a) => [a.action, a.step, a.actor.id, a.opinion])).toEqual([
      ['submit', 0, maker.userId, null],
      ['approve', 0, countyA.userId, '情况属实'],
      ['approve', 1, cityApprover.userId, null],
    ])
    // The subject's module heard each decision, inside its transaction.
    expect(events.filter((e) => e.approval.id === submitted.id).map((e) => [e.action, e.from, e.approval.status])).toEqual([
      ['approve', 'pending', 'pending'],
      ['approve', 'pending', 'approved'],
    ])
    // The maker, its checkers and readers of the kind see it; history included.
    expect((await get(database.db, maker, submitted.id)).actions).toHaveLength(3)
    expect((await get(database.db, cityApprover, submitted.id)).status).toBe('approved')

    const audited = await database.db.selectFrom('audit_log').select(['action', 'actor_id']).where('entity_type', '=', 'approval').where('entity_id', '=', submitted.id).orderBy('seq').execute()
    expect(audited.map((r) => [r.action, r.actor_id])).toEqual([
      ['approval.submit', maker.userId],
      ['approval.approve', countyA.userId],
      ['approval.approve', cityApprover.userId],
    ])
  })

  it('never let the maker decide their own submission', async () => {
    const own = await submit(database.db, makerChecker, { kind: 'test.file', subjectId: nextSubject('hh'), regionCode: '410102' })
    const err = await expectRefused(decide(database.db, makerChecker, own.id, { decision: 'approve', version: 1 }), 'FORBIDDEN', 'decision')
    expect(err.text?.['zh-CN']).toContain('本人')
    await expectRefused(decide(database.db, makerChecker, own.id, { decision: 'reject', opinion: '自己驳回', version: 1 }), 'FORBIDDEN', 'decision')
    expect((await listPendingFor(database.db, makerChecker, { limit: 100 })).items.map((a) => a.id)).not.toContain(own.id)
    // Someone else at the county may decide it.
    expect((await decide(database.db, countyA, own.id, { decision: 'approve', version: 1 })).currentStep).toBe(1)
  })

  it('let one person decide at most one step of an approval', async () => {
    await setPolicy(database.db, provinceAdmin, {
      kind: 'test.twice',
      regionPrefix: '4101',
      steps: [
        { level: 'county', permission: 'household.approve' },
        { level: 'county', permission: 'household.approve' },
      ],
    })
    const a = await submit(database.db, maker, { kind: 'test.twice', subjectId: nextSubject('twice'), regionCode: '410102' })
    await decide(database.db, countyA, a.id, { decision: 'approve', version: 1 })
    expect((await listPendingFor(database.db, countyA, { limit: 100 })).items.map((x) => x.id)).not.toContain(a.id)
    expect((await listPendingFor(database.db, countyB, { limit: 100 })).items.map((x) => x.id)).toContain(a.id)
    await expectRefused(decide(database.db, countyA, a.id, { decision: 'approve', version: 2 }), 'FORBIDDEN', 'decision')
    await expectRefused(decide(database.db, countyA, a.id, { decision: 'return', opinion: '再看看', version: 2 }), 'FORBIDDEN', 'decision')
    expect((await decide(database.db, countyB, a.id, { decision: 'approve', version: 2 })).status).toBe('approved')
  })

  it('refuse the wrong level and a missing permission, and hide approvals out of scope', async () => {
    const a = await submit(database.db, maker, { kind: 'test.file', subjectId: nextSubject('hh'), regionCode: '410102' })
    // A city approver does not decide a county step.
    const wrongLevel = await expectRefused(decide(database.db, cityApprover, a.id, { decision: 'approve', version: 1 }), 'FORBIDDEN', 'decision')
    expect(wrongLevel.text?.['zh-CN']).toContain('县级')
    // A county fund manager holds no household.approve.
    await expectRefused(decide(database.db, countyFund, a.id, { decision: 'approve', version: 1 }), 'FORBIDDEN')
    expect((await listPendingFor(database.db, countyFund, { limit: 100 })).items).toEqual([])
    // The neighbouring county does not see it at all: the same answer as a missing id.
    await expectRefused(decide(database.db, otherCounty, a.id, { decision: 'approve', version: 1 }), 'NOT_FOUND')
    await expectRefused(get(database.db, otherCounty, a.id), 'NOT_FOUND')
    await expectRefused(get(database.db, cityApprover, '00000000-0000-4000-8000-000000000000'), 'NOT_FOUND')
    await expectRefused(get(database.db, cityApprover, 'not-an-id'), 'NOT_FOUND')
    // The maker cannot submit outside their scope, nor a second open approval of one subject.
    await expectRefused(submit(database.db, maker, { kind: 'test.file', subjectId: nextSubject('hh'), regionCode: '410103' }), 'FORBIDDEN')
    await expectRefused(submit(database.db, maker, { kind: 'test.file', subjectId: a.subjectId, regionCode: '410102' }), 'CONFLICT', 'subjectId')
    await expectRefused(submit(database.db, maker, { kind: 'test.unknown', subjectId: nextSubject('hh'), regionCode: '410102' }), 'VALIDATION_FAILED', 'kind')
    await expectRefused(submit(database.db, system, { kind: 'test.file', subjectId: nextSubject('hh'), regionCode: '410102' }), 'FORBIDDEN')
    // Nothing changed.
    expect((await get(database.db, maker, a.id)).version).toBe(1)
  })

  it('return for correction to the maker, who resubmits from the first step', async () => {
    const a = await submit(database.db, maker, { kind: 'test.file', subjectId: nextSubject('hh'), regionCode: '410102' })
    await decide(database.db, countyA, a.id, { decision: 'approve', version: 1 })
    await expectRefused(decide(database.db, cityApprover, a.id, { decision: 'return', opinion: '  ', version: 2 }), 'VALIDATION_FAILED', 'opinion')
    const returned = await decide(database.db, cityApprover, a.id, { decision: 'return', opinion: '缺少收入证明', version: 2 })
    expect(returned).toMatchObject({ status: 'returned', currentStep: 1, version: 3 })
    expect((await listPendingFor(database.db, cityApprover, { limit: 100 })).items.map((x) => x.id)).not.toContain(a.id)
    // While returned nobody decides; only the maker resubmits.
    await expectRefused(decide(database.db, countyB, a.id, { decision: 'approve', version: 3 }), 'CONFLICT', 'decision')
    await expectRefused(resubmit(database.db, countyA, a.id, { version: 3 }), 'FORBIDDEN')
    const again = await resubmit(database.db, maker, a.id, { version: 3, opinion: '已补充收入证明' })
    expect(again).toMatchObject({ status: 'pending', currentStep: 0, round: 2, version: 4 })
    // The county approver of round 1 decides the same step again; the city decides the last.
    await decide(database.db, countyA, a.id, { decision: 'approve', version: 4 })
    const approved = await decide(database.db, cityApprover, a.id, { decision: 'approve', version: 5 })
    expect(approved.status).toBe('approved')
    expect(approved.actions.map((x) => [x.action, x.round, x.step])).toEqual([
      ['submit', 1, 0],
      ['approve', 1, 0],
      ['return', 1, 1],
      ['resubmit', 2, 1],
      ['approve', 2, 0],
      ['approve', 2, 1],
    ])
  })

  it('need a reason to reject, and a rejection is final', async () => {
    const a = await submit(database.db, maker, { kind: 'test.file', subjectId: nextSubject('hh'), regionCode: '410102' })
    await expectRefused(decide(database.db, countyA, a.id, { decision: 'reject', version: 1 }), 'VALIDATION_FAILED', 'opinion')
    const rejected = await decide(database.db, countyA, a.id, { decision: 'reject', opinion: '家庭人均收入高于困难标准', version: 1 })
    expect(rejected).toMatchObject({ status: 'rejected', version: 2 })
    expect(rejected.decidedAt).not.toBeNull()
    await expectRefused(decide(database.db, countyB, a.id, { decision: 'approve', version: 2 }), 'CONFLICT')
    await expectRefused(resubmit(database.db, maker, a.id, { version: 2 }), 'CONFLICT')
    await expectRefused(withdraw(database.db, maker, a.id, { version: 2 }), 'CONFLICT')
    // The subject may be submitted afresh, as a new approval.
    const fresh = await submit(database.db, maker, { kind: 'test.file', subjectId: a.subjectId, regionCode: '410102' })
    expect(fresh.id).not.toBe(a.id)
    expect((await withdraw(database.db, maker, fresh.id, { version: 1 })).status).toBe('withdrawn')
  })

  it('keep the steps snapshotted at submission when the policy changes', async () => {
    await setPolicy(database.db, provinceAdmin, { kind: 'test.policy', regionPrefix: '41', steps: [{ level: 'county', permission: 'household.approve' }] })
    const running = await submit(database.db, maker, { kind: 'test.policy', subjectId: nextSubject('pol'), regionCode: '410102' })
    expect(running.steps).toEqual([{ level: 'county', permission: 'household.approve' }])
    const changed = await setPolicy(database.db, provinceAdmin, {
      kind: 'test.policy',
      regionPrefix: '41',
      steps: [
        { level: 'county', permission: 'household.approve' },
        { level: 'city', permission: 'household.approve' },
        { level: 'province', permission: 'household.approve' },
      ],
    })
    expect(changed.id).toBe(running.policyId)
    expect((await get(database.db, maker, running.id)).steps).toHaveLength(1)
    expect((await decide(database.db, countyA, running.id, { decision: 'approve', version: 1 })).status).toBe('approved')
    const later = await submit(database.db, maker, { kind: 'test.policy', subjectId: nextSubject('pol'), regionCode: '410102' })
    expect(later.steps.map((s) => s.level)).toEqual(['county', 'city', 'province'])
  })

  it('take the most specific policy in force for the region', async () => {
    const approve = 'household.approve' as const
    await setPolicy(database.db, system, { kind: 'test.specific', regionPrefix: '', steps: [{ level: 'national', permission: approve }] })
    await setPolicy(database.db, provinceAdmin, { kind: 'test.specific', regionPrefix: '41', steps: [{ level: 'province', permission: approve }] })
    await setPolicy(database.db, provinceAdmin, { kind: 'test.specific', regionPrefix: '4101', steps: [{ level: 'county', permission: approve }, { level: 'city', permission: approve }] })
    // Not yet in force: ignored until its date.
    await setPolicy(database.db, provinceAdmin, { kind: 'test.specific', regionPrefix: '410102', steps: [{ level: 'province', permission: approve }], effectiveFrom: '2099-01-01' })

    const inCity = await submit(database.db, maker, { kind: 'test.specific', subjectId: nextSubject('sp'), regionCode: '410102' })
    expect(inCity.steps.map((s) => s.level)).toEqual(['county', 'city'])
    const elsewhere = await database.db.selectFrom('region').select('code').where('province_code', '=', '41').where('level', '=', 'county').where('code', 'not like', '4101%').orderBy('code').executeTakeFirstOrThrow()
    const inProvince = await submit(database.db, provinceAdmin, { kind: 'test.specific', subjectId: nextSubject('sp'), regionCode: elsewhere.code })
    expect(inProvince.steps.map((s) => s.level)).toEqual(['province'])
    expect((await effectiveSteps(database.db, 'test.specific', '110101')).steps.map((s) => s.level)).toEqual(['national'])
    // With no policy at all, the built-in default: county then city.
    expect((await effectiveSteps(database.db, 'test.file', '110101')).steps.map((s) => s.level)).toEqual(['county', 'city'])

    // Setting policies: role.manage, inside one's scope, valid steps.
    await expectRefused(setPolicy(database.db, cityApprover, { kind: 'test.specific', regionPrefix: '4101', steps: [{ level: 'city', permission: approve }] }), 'FORBIDDEN')
    await expectRefused(setPolicy(database.db, provinceAdmin, { kind: 'test.specific', regionPrefix: '', steps: [{ level: 'city', permission: approve }] }), 'FORBIDDEN')
    await expectRefused(setPolicy(database.db, provinceAdmin, { kind: 'test.specific', regionPrefix: '4101', steps: [] }), 'VALIDATION_FAILED', 'steps')
    await expectRefused(
      setPolicy(database.db, provinceAdmin, { kind: 'test.specific', regionPrefix: '4101', steps: [{ level: 'grassroots' as 'county', permission: approve }] }),
      'VALIDATION_FAILED',
      'steps/0/level',
    )
    await expectRefused(setPolicy(database.db, provinceAdmin, { kind: 'test.specific', regionPrefix: '4199', steps: [{ level: 'city', permission: approve }] }), 'VALIDATION_FAILED', 'regionPrefix')
    await expectRefused(
      setPolicy(database.db, provinceAdmin, { kind: 'test.specific', regionPrefix: '4101', steps: [{ level: 'city', permission: approve }], effectiveFrom: '2026-02-30' }),
      'VALIDATION_FAILED',
      'effectiveFrom',
    )
  })

  it('let exactly one of two checkers deciding one step at once win; the other gets CONFLICT', async () => {
    const a = await submit(database.db, maker, { kind: 'test.file', subjectId: nextSubject('race'), regionCode: '410102' })
    const results = await Promise.allSettled([
      decide(database.db, countyA, a.id, { decision: 'approve', version: 1 }),
      decide(database.db, countyB, a.id, { decision: 'approve', version: 1 }),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const lost = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[]
    expect(lost).toHaveLength(1)
    expect(lost[0]!.reason).toBeInstanceOf(AppError)
    expect((lost[0]!.reason as AppError).code).toBe('CONFLICT')
    expect((lost[0]!.reason as AppError).message).toContain('already decided')
    const after = await get(database.db, maker, a.id)
    expect(after).toMatchObject({ status: 'pending', currentStep: 1, version: 2 })
    expect(after.actions.filter((x) => x.action === 'approve')).toHaveLength(1)
  })

  it('roll the decision back when the subject’s own change fails in the same transaction', async () => {
    const a = await submit(database.db, maker, { kind: 'test.strict', subjectId: nextSubject('strict'), regionCode: '410102' })
    await expectRefused(decide(database.db, countyA, a.id, { decision: 'approve', version: 1 }), 'CONFLICT')
    const after = await get(database.db, maker, a.id)
    expect(after).toMatchObject({ status: 'pending', currentStep: 0, version: 1 })
    expect(after.actions).toHaveLength(1)
    const audited = await database.db.selectFrom('audit_log').select('action').where('entity_id', '=', a.id).execute()
    expect(audited.map((r) => r.action)).toEqual(['approval.submit'])
  })

  it('page the work list by keyset', async () => {
    const ids = new Set<string>()
    let cursor: string | undefined
    let pages = 0
    do {
      const result = await listPendingFor(database.db, countyB, { limit: 2, cursor })
      for (const item of result.items) {
        expect(ids.has(item.id)).toBe(false)
        ids.add(item.id)
      }
      cursor = result.nextCursor ?? undefined
      pages++
    } while (cursor && pages < 50)
    const all = await listPendingFor(database.db, countyB, { limit: 100 })
    expect([...ids]).toEqual(all.items.map((a) => a.id))
    expect(ids.size).toBeGreaterThan(2)
    await expectRefused(listPendingFor(database.db, countyB, { cursor: 'forged' }), 'VALIDATION_FAILED', 'cursor')
  })

  it('keep every action in the audit log and the history, with the chain intact', async () => {
    const history = await database.db.selectFrom('approval_action').select(['approval_id', 'seq', 'decision']).execute()
    const audited = await database.db.selectFrom('audit_log').select(['entity_id', 'action']).where('entity_type', '=', 'approval').execute()
    expect(audited.map((r) => `${r.entity_id} ${r.action}`).sort()).toEqual(
      history.map((r) => `${r.approval_id} approval.${r.decision}`).sort(),
    )
    const policies = await database.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'approval_policy').execute()
    expect(policies.length).toBeGreaterThanOrEqual(7)
    // The history cannot be edited.
    await expect(database.db.updateTable('approval_action').set({ opinion: 'changed' }).execute()).rejects.toThrow(/append-only/)
    expect(await verifyChains(database.db)).toMatchObject({ ok: true, firstBroken: null })
  })
})
