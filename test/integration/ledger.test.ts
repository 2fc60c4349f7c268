import { sql } from 'kysely'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { principalOfUsername } from '../../src/server/modules/access/auth.service.ts'
import { allocate, fundOverview, getEntry, recordReceipt, reverseEntry, statement, verifyLedger } from '../../src/server/modules/funds/funds.service.ts'
import { AppError } from '../../src/server/platform/errors.ts'
import type { Principal } from '../../src/server/platform/principal.ts'
import { type TestDatabase, testDatabase } from '../support/db.ts'

// The ledger (issue 5 §1, §2): receipts, allocations down the tree, the no-overdraft rule under
// concurrency, reversals, append-only entries and lines, statements; the books are proven after
// every test (every entry sums to zero, every kept balance is the sum of its lines).

let database: TestDatabase
let fund: Principal // fund_manager, 河南省总工会 (41)
let caseWorker: Principal // no fund permission
let province: string
let city: string
let county: string
let otherCounty: string

const org = async (type: string, region: string) =>
  (await database.db.selectFrom('org').select('id').where('type', '=', type).where('region_code', '=', region).executeTakeFirstOrThrow()).id

beforeAll(async () => {
  database = await testDatabase()
  fund = await principalOfUsername(database.db, 'fund_manager', 'test')
  caseWorker = await principalOfUsername(database.db, 'case_worker', 'test')
  province = await org('province_union', '410000')
  city = await org('city_union', '410100')
  county = await org('county_union', '410102')
  otherCounty = await org('county_union', '410103')
})
afterAll(async () => database?.drop())
afterEach(async () => {
  expect(await verifyLedger(database.db)).toEqual({ ok: true, unbalancedEntries: [], mismatchedAccounts: [] })
})

async function refusal(work: Promise<unknown>): Promise<AppError> {
  const err = await work.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(AppError)
  return err as AppError
}

const balanceOf = async (orgId: string, fundType = 'hardship_fund') => (await fundOverview(database.db, fund, { orgId, fundType }))[0]

describe('receipts and allocations', () => {
  it('records money by source and shows it available, received by source', async () => {
    const e = await recordReceipt(database.db, fund, { orgId: province, fundType: 'hardship_fund', source: 'central_finance', amountFen: '100000000', reference: '财社〔2026〕12号' })
    expect(e).toMatchObject({ kind: 'receipt', amountFen: 100000000n, reference: '财社〔2026〕12号' })
    expect(e.lines.map((l) => [l.kind, l.source, l.amountFen])).toEqual([
      ['available', '', 100000000n],
      ['receipts', 'central_finance', -100000000n],
    ])
    await recordReceipt(database.db, fund, { orgId: province, fundType: 'hardship_fund', source: 'donation', amountFen: '2500000' })
    expect(await balanceOf(province)).toMatchObject({ availableFen: 102500000n, receivedFen: { central_finance: 100000000n, donation: 2500000n }, receivedTotalFen: 102500000n })
  })

  it('refuses bad input naming each field, and a user without fund.manage', async () => {
    const err = await refusal(recordReceipt(database.db, fund, { orgId: province, fundType: 'pocket_money', source: 'lottery', amountFen: '-5', receivedOn: '2999-01-01' }))
    expect(err.details).toEqual([
      expect.objectContaining({ field: 'fundType' }),
      expect.objectContaining({ field: 'source' }),
      expect.objectContaining({ field: 'amountFen' }),
      expect.objectContaining({ field: 'receivedOn' }),
    ])
    expect((await refusal(recordReceipt(database.db, caseWorker, { orgId: county, fundType: 'hardship_fund', source: 'donation', amountFen: '100' }))).code).toBe('FORBIDDEN')
  })

  it('allocates down the tree only, and never more than is available', async () => {
    await allocate(database.db, fund, { fromOrgId: province, toOrgId: city, fundType: 'hardship_fund', amountFen: '30000000' })
    await allocate(database.db, fund, { fromOrgId: city, toOrgId: county, fundType: 'hardship_fund', amountFen: '10000000' })
    expect((await balanceOf(city))!.availableFen).toBe(20000000n)
    expect((await balanceOf(county))!.availableFen).toBe(10000000n)
    // up the tree, sideways, to itself: refused naming toOrgId
    for (const [from, to] of [
      [county, city],
      [county, otherCounty],
      [city, city],
    ] as const) {
      const err = await refusal(allocate(database.db, fund, { fromOrgId: from, toOrgId: to, fundType: 'hardship_fund', amountFen: '1' }))
      expect(err.details).toEqual([expect.objectContaining({ field: 'toOrgId' })])
    }
    const short = await refusal(allocate(database.db, fund, { fromOrgId: county, toOrgId: (await database.db.selectFrom('org').select('id').where('parent_id', '=', county).executeTakeFirstOrThrow()).id, fundType: 'hardship_fund', amountFen: '10000001' }))
    expect(short.code).toBe('CONFLICT')
    expect((await balanceOf(county))!.availableFen).toBe(10000000n)
  })

  it('lets exactly as many of 50 concurrent allocations through as the account can afford', async () => {
    const stations = await database.db.selectFrom('org').select('id').where('parent_id', '=', county).execute()
    expect(stations.length).toBeGreaterThan(0)
    // the county holds 10,000,000 fen; each allocation is 300,000 fen: 33 fit, with 100,000 left
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => allocate(database.db, fund, { fromOrgId: county, toOrgId: stations[i % stations.length]!.id, fundType: 'hardship_fund', amountFen: '300000' })),
    )
    const ok = results.filter((r) => r.status === 'fulfilled').length
    expect(ok).toBe(33)
    expect(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason instanceof AppError && (r as PromiseRejectedResult).reason.code === 'CONFLICT')).toBe(true)
    expect((await balanceOf(county))!.availableFen).toBe(100000n)
  })
})

describe('corrections and the books', () => {
  it('reverses a receipt once, and refuses to reverse what was already passed on', async () => {
    const e = await recordReceipt(database.db, fund, { orgId: province, fundType: 'education_aid_fund', source: 'enterprise', amountFen: '500000' })
    const r = await reverseEntry(database.db, fund, e.id, { reason: '误录，重复入账' })
    expect(r).toMatchObject({ kind: 'reversal', reversesId: e.id, amountFen: 500000n, memo: '误录，重复入账' })
    expect((await getEntry(database.db, fund, e.id)).reversedBy).toBe(r.id)
    expect(await balanceOf(province, 'education_aid_fund')).toMatchObject({ availableFen: 0n, receivedTotalFen: 0n })
    expect((await refusal(reverseEntry(database.db, fund, e.id, { reason: '再冲一次' }))).code).toBe('CONFLICT')
    // money received, then allocated on: the receipt cannot be reversed any more
    const again = await recordReceipt(database.db, fund, { orgId: province, fundType: 'education_aid_fund', source: 'enterprise', amountFen: '500000' })
    await allocate(database.db, fund, { fromOrgId: province, toOrgId: city, fundType: 'education_aid_fund', amountFen: '400000' })
    expect((await refusal(reverseEntry(database.db, fund, again.id, { reason: '误录' }))).code).toBe('CONFLICT')
  })

  it('keeps entries and lines append-only and refuses an entry that does not balance', async () => {
    await expect(sql`UPDATE ledger_line SET amount_fen = amount_fen + 1`.execute(database.db)).rejects.toThrow(/append-only/)
    await expect(sql`DELETE FROM ledger_entry`.execute(database.db)).rejects.toThrow(/append-only/)
    const account = await database.db.selectFrom('ledger_account').select(['province_code', 'id']).limit(1).executeTakeFirstOrThrow()
    await expect(
      database.db.transaction().execute(async (trx) => {
        const e = await trx
          .insertInto('ledger_entry')
          .values({ province_code: '41', kind: 'receipt', org_id: province, fund_type: 'hardship_fund', amount_fen: 1n, occurred_on: '2026-11-01', memo: null, reference: null, ref_kind: null, ref_id: null, reverses_id: null, created_by: null, created_by_name: 'x' })
          .returning('id')
          .executeTakeFirstOrThrow()
        await trx.insertInto('ledger_line').values({ province_code: '41', entry_id: e.id, seq: 1, account_province_code: account.province_code, account_id: account.id, amount_fen: 1n }).execute()
      }),
    ).rejects.toThrow(/does not balance/)
  })

  it('gives a month’s statement with the running balance, and hides other scopes’ books', async () => {
    const s = await statement(database.db, fund, { orgId: county, fundType: 'hardship_fund' })
    expect(s.openingFen).toBe(0n)
    expect(s.lines.length).toBe(34)
    expect(s.lines[0]).toMatchObject({ kind: 'allocation', amountFen: 10000000n, balanceFen: 10000000n })
    expect(s.closingFen).toBe(100000n)
    expect(s.lines.at(-1)!.balanceFen).toBe(s.closingFen)
    // a county user sees its county's books only; the province is not there
    const countyFund = { ...fund, scope: { regionPrefix: '410102', industry: null } }
    expect((await refusal(statement(database.db, countyFund, { orgId: province, fundType: 'hardship_fund' }))).code).toBe('NOT_FOUND')
    expect((await fundOverview(database.db, countyFund)).map((b) => b.orgId)).not.toContain(province)
  })
})
