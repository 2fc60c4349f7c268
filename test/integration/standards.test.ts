import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { login } from '../../src/server/modules/access/auth.service.ts'
import { verifyChains } from '../../src/server/modules/audit/audit.service.ts'
import { fileHousehold } from '../../src/server/modules/households/households.service.ts'
import { getJob, JobRunner } from '../../src/server/modules/jobs/jobs.service.ts'
import { reclassifyJob } from '../../src/server/modules/standards/reclassify.job.ts'
import { applyStandardsNowInForce, createStandard, deleteStandard, listStandards, regionPath, standardInForce } from '../../src/server/modules/standards/standards.service.ts'
import { demoStandards, seedStandards } from '../../src/server/seed/standards.ts'
import { residentIdCheckChar } from '../../src/server/platform/codes/resident-id.ts'
import { AppError, type FieldError } from '../../src/server/platform/errors.ts'
import { createPiiCipher } from '../../src/server/platform/pii-crypto.ts'
import { type Principal, systemPrincipal } from '../../src/server/platform/principal.ts'
import { type TestDatabase, testDatabase } from '../support/db.ts'
import { TEST_PASSWORD } from '../support/engine.ts'

let database: TestDatabase
const system = systemPrincipal('test-standards')
let worker: Principal
let provinceAdmin: Principal
const cipher = createPiiCipher(Buffer.alloc(32, 7))

async function signIn(username: string): Promise<Principal> {
  return (await login(database.db, username, TEST_PASSWORD, { ip: null, userAgent: null, requestId: `test-${username}` })).principal
}

beforeAll(async () => {
  database = await testDatabase()
  worker = await signIn('case_worker')
  provinceAdmin = await signIn('province_admin')
})
afterAll(async () => database?.drop())

/** 湖北 (42) carries no demo data: the standards below are the only ones there. */
const add = (regionCode: string, effectiveFrom: string, dibao: number, extra: Record<string, unknown> = {}) =>
  createStandard(database.db, system, { regionCode, effectiveFrom, dibaoLineFen: String(dibao), minWageFen: '200000', ...extra })

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(AppError)
  return err as AppError
}
const fields = (err: AppError) => (err.details as FieldError[]).map((d) => d.field).sort()

describe('standardInForce', () => {
  beforeAll(async () => {
    // province: 2025 and 2026; 武汉市 (420100): 2026-03-01; 江岸区 (420102): 2026-07-01 (and one dated ahead)
    await add('420000', '2025-01-01', 60_000)
    await add('420000', '2026-01-01', 65_000)
    await add('420100', '2026-03-01', 70_000)
    await add('420102', '2026-07-01', 75_000)
    await add('420102', '2099-01-01', 99_000)
  })

  it('walks the region path county, city, province', () => {
    expect(regionPath('420102')).toEqual(['420102', '420100', '420000'])
    expect(regionPath('420100')).toEqual(['420100', '420000'])
    expect(regionPath('420000')).toEqual(['420000'])
    expect(regionPath('42')).toEqual([])
  })

  it('takes the most specific region with a standard in force, then its latest date not after the day', async () => {
    const line = async (region: string, on: string) => (await standardInForce(database.db, region, on))?.dibaoLineFen ?? null
    // the county itself
    expect(await line('420102', '2026-07-01')).toBe(75_000n)
    expect(await line('420102', '2098-12-31')).toBe(75_000n)
    expect(await line('420102', '2099-01-01')).toBe(99_000n)
    // before the county's first standard: the city's
    expect(await line('420102', '2026-06-30')).toBe(70_000n)
    // before the city's: the province's latest by then
    expect(await line('420102', '2026-02-28')).toBe(65_000n)
    expect(await line('420102', '2025-12-31')).toBe(60_000n)
    // before anything
    expect(await line('420102', '2024-12-31')).toBeNull()
    // a sibling county without its own: the city's, then the province's
    expect(await line('420103', '2026-07-01')).toBe(70_000n)
    expect(await line('420103', '2026-01-01')).toBe(65_000n)
    // another city's county: the province's only
    expect(await line('420202', '2030-01-01')).toBe(65_000n)
    // another province with none
    expect(await line('430102', '2030-01-01')).toBeNull()
    // nonsense
    expect(await standardInForce(database.db, 'x', '2026-01-01')).toBeNull()
    expect(await standardInForce(database.db, '420102', '2026-02-30')).toBeNull()
  })

  it('gives the figures with their defaults', async () => {
    const s = await standardInForce(database.db, '420102', '2026-07-01')
    expect(s).toMatchObject({ regionCode: '420102', effectiveFrom: '2026-07-01', dibaoLineFen: 75_000n, minWageFen: 200_000n, deepMultipleBp: 10_000, relativeMultipleBp: 20_000, accidentRatioBp: 8_000 })
  })
})

describe('creating, listing and deleting standards', () => {
  it('names every invalid field at once', async () => {
    const err = await failure(
      createStandard(database.db, system, {
        regionCode: '4201',
        effectiveFrom: '2026-02-30',
        dibaoLineFen: '0',
        minWageFen: '12.5',
        deepMultipleBp: 0,
        relativeMultipleBp: 1.5,
        accidentRatioBp: 200_000,
        laidOffAllowanceFen: '-1',
      }),
    )
    expect(err.code).toBe('VALIDATION_FAILED')
    expect(fields(err)).toEqual(['accidentRatioBp', 'deepMultipleBp', 'dibaoLineFen', 'effectiveFrom', 'laidOffAllowanceFen', 'minWageFen', 'regionCode', 'relativeMultipleBp'])
    const below = await failure(add('420102', '2030-01-01', 70_000, { deepMultipleBp: 15_000, relativeMultipleBp: 12_000 }))
    expect((below.details as FieldError[]).map((d) => [d.field, d.message.en])).toEqual([['relativeMultipleBp', 'must be at least the deep-hardship multiple']])
    expect(fields(await failure(add('999999', '2030-01-01', 70_000)))).toEqual(['regionCode'])
  })

  it('refuses a region outside the scope, a second standard for one region and day, and a user without the permission', async () => {
    const outside = await failure(createStandard(database.db, provinceAdmin, { regionCode: '420102', effectiveFrom: '2030-01-01', dibaoLineFen: '70000', minWageFen: '200000' }))
    expect(outside.code).toBe('VALIDATION_FAILED')
    expect(fields(outside)).toEqual(['regionCode'])
    const twice = await failure(add('420102', '2026-07-01', 1_000))
    expect(twice.code).toBe('CONFLICT')
    expect(fields(twice)).toEqual(['effectiveFrom'])
    expect((await failure(createStandard(database.db, worker, { regionCode: '410102', effectiveFrom: '2030-01-01', dibaoLineFen: '70000', minWageFen: '200000' }))).code).toBe('FORBIDDEN')
  })

  it('lists what applies inside the scope: the regions above it and inside it, never a sibling', async () => {
    await add('410102', '2031-01-01', 81_000)
    await add('410103', '2031-01-01', 82_000)
    await add('410100', '2031-01-01', 83_000)
    await add('410000', '2031-01-01', 84_000)
    const seen = (await listStandards(database.db, worker, { limit: 200 })).items.map((s) => s.regionCode)
    expect(seen).toContain('410102')
    expect(seen).toContain('410100')
    expect(seen).toContain('410000')
    expect(seen).not.toContain('410103')
    expect(seen.some((c) => c.startsWith('42'))).toBe(false)
    // ordered by region, newest date first
    const mine = (await listStandards(database.db, worker, { limit: 200 })).items.filter((s) => s.effectiveFrom === '2031-01-01')
    expect(mine.map((s) => s.regionCode)).toEqual(['410000', '410100', '410102'])
    expect(mine.every((s) => s.deletable)).toBe(true)
    // narrowed to a region: its path and subtree
    const hubei = await listStandards(database.db, system, { regionCode: '420100', limit: 200 })
    expect(hubei.items.map((s) => `${s.regionCode} ${s.effectiveFrom}`)).toEqual([
      '420000 2026-01-01',
      '420000 2025-01-01',
      '420100 2026-03-01',
      '420102 2099-01-01',
      '420102 2026-07-01',
    ])
    expect(hubei.items[0]).toMatchObject({ regionName: '湖北省', deletable: false })
    // a sibling region is not found
    expect((await failure(listStandards(database.db, worker, { regionCode: '410103' }))).code).toBe('NOT_FOUND')
  })

  it('pages by keyset without skipping or repeating', async () => {
    const all = (await listStandards(database.db, system, { regionCode: '420000', limit: 200 })).items.map((s) => s.id)
    const paged: string[] = []
    let cursor: string | undefined
    do {
      const page = await listStandards(database.db, system, { regionCode: '420000', limit: 2, cursor })
      paged.push(...page.items.map((s) => s.id))
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    expect(paged).toEqual(all)
    expect(all.length).toBeGreaterThanOrEqual(5)
  })

  it('deletes only a standard not yet in force, audited', async () => {
    const { standard: ahead, job } = await add('420103', '2099-06-01', 90_000)
    expect(job).toBeNull()
    const { standard: inForce, job: reclassify } = await add('420103', '2020-06-01', 50_000)
    expect(reclassify).not.toBeNull()
    const refused = await failure(deleteStandard(database.db, system, inForce.id))
    expect(refused.code).toBe('CONFLICT')
    // outside the caller's scope: not found
    expect((await failure(deleteStandard(database.db, provinceAdmin, ahead.id))).code).toBe('NOT_FOUND')
    await deleteStandard(database.db, system, ahead.id)
    expect((await failure(deleteStandard(database.db, system, ahead.id))).code).toBe('NOT_FOUND')
    const actions = await database.db.selectFrom('audit_log').select('action').where('entity_id', 'in', [ahead.id, inForce.id]).orderBy('seq').execute()
    expect(actions.map((a) => a.action)).toEqual(['standard.create', 'standard.create', 'standard.delete'])
    expect((await verifyChains(database.db)).ok).toBe(true)
  })
})

describe('re-classification after a new standard', () => {
  const idOf = (first17: string) => first17 + residentIdCheckChar(first17)

  it('re-applies the standards to the households of the region, recorded in their history', async () => {
    // a single laid-off head earning 1 000 yuan a month; counted at the minimum wage
    const h = await fileHousehold(database.db, worker, cipher, {
      regionCode: '410102',
      orgId: worker.orgId!,
      address: '郑州市中原区测试路 9 号',
      yearlyIncomeFen: '1200000',
      members: [{ name: '测试甲', relation: 'head', idNumber: idOf('41010219750101561'), health: 'healthy', workStatus: 'laid_off', monthlyIncomeFen: '100000' }],
    } as never)
    // a county standard (the most specific, in force since 2000) with a very high line: the household becomes deep
    const { job } = await createStandard(database.db, provinceAdmin, { regionCode: '410102', effectiveFrom: '2000-01-01', dibaoLineFen: '9000000', minWageFen: '220000' })
    expect(job).not.toBeNull()
    const runner = new JobRunner(database.db).register(reclassifyJob)
    while (await runner.runOnce()) {
      // drain
    }
    const done = await getJob(database.db, system, job!.id)
    expect(done.status).toBe('succeeded')
    expect((done.result as { reclassified: number }).reclassified).toBeGreaterThanOrEqual(1)
    expect(done.progressDone).toBe(done.progressTotal)
    const row = await database.db.selectFrom('household').selectAll().where('id', '=', h.id).executeTakeFirstOrThrow()
    expect(row.hardship_type).toBe('deep')
    // (1 200 000 + (220 000 − 100 000) × 12) / 12 = 220 000
    expect(row.per_capita_monthly_fen).toBe(220_000n)
    const std = await standardInForce(database.db, '410102', '2026-12-31')
    expect(row.standard_id).toBe(std!.id)
    const events = await database.db.selectFrom('household_event').select(['action', 'actor_name']).where('household_id', '=', h.id).where('action', '=', 'household.reclassify').execute()
    expect(events).toEqual([{ action: 'household.reclassify', actor_name: 'system' }])
  })

  it('queues a standard dated ahead on the day it comes into force, once', async () => {
    const created = new Date('2026-03-01T04:00:00Z')
    const { standard, job } = await createStandard(database.db, provinceAdmin, { regionCode: '410103', effectiveFrom: '2026-04-01', dibaoLineFen: '85000', minWageFen: '220000' }, created)
    expect(job).toBeNull()
    // the day before, nothing; on the day (China time), one re-classification of 二七区; then never again
    expect(await applyStandardsNowInForce(database.db, new Date('2026-03-31T15:00:00Z'))).toEqual([])
    const queued = await applyStandardsNowInForce(database.db, new Date('2026-03-31T16:30:00Z'))
    expect(queued.map((j) => j.kind)).toEqual(['households.reclassify'])
    const params = (await database.db.selectFrom('job').select('params').where('id', '=', queued[0]!.id).executeTakeFirstOrThrow()).params
    expect(params).toEqual({ regionPrefix: '410103', standardId: standard.id })
    expect(await applyStandardsNowInForce(database.db, new Date('2026-04-02T00:00:00Z'))).toEqual([])
    const row = await database.db.selectFrom('local_standard').select('applied_on').where('id', '=', standard.id).executeTakeFirstOrThrow()
    expect(row.applied_on).toBe('2026-04-01')
  })
})

describe('demo standards', () => {
  it('seed once, idempotently', async () => {
    await seedStandards(database.db)
    expect((await seedStandards(database.db)).standards).toBe(0)
    const zz = await standardInForce(database.db, '410181', '2026-06-01')
    expect(zz).toMatchObject({ regionCode: '410100', dibaoLineFen: 80_000n, minWageFen: 220_000n })
    const ly = await standardInForce(database.db, '410302', '2026-06-01')
    expect(ly).toMatchObject({ regionCode: '410000', dibaoLineFen: 72_000n })
    expect(demoStandards.length).toBe(3)
  })
})
