import { randomUUID } from 'node:crypto'
import ExcelJS from 'exceljs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../src/server/modules/access/users.service.ts'
import * as fundsRepo from '../../src/server/modules/funds/funds.repository.ts'
import { verifyLedger } from '../../src/server/modules/funds/funds.service.ts'
import { postEntry } from '../../src/server/modules/funds/ledger.ts'
import { chinaDate } from '../../src/server/platform/china-date.ts'
import { nationalScope } from '../../src/server/platform/scope.ts'
import { systemPrincipal } from '../../src/server/platform/principal.ts'
import { type Session, type TestApi, testApi } from '../support/api.ts'

// Hardship funds over HTTP (issue 5 §1, §2): receipts, allocations, entries, reversals, statements
// (JSON and .xlsx), the overview and funds raised against funds paid; every route refuses the
// unauthenticated, out-of-scope organisations and entries answer like missing ones, and the books
// are proven after every test.

let api: TestApi
let fund: Session // fund_manager, 河南省总工会: the whole province
let countyFund: Session // made here: fund_manager of the 中原区 county union
let worker: Session // case_worker: no fund permission
let inspector: Session // fund.read only
let province: string
let city: string
let county: string
let otherCounty: string
let station: string // below the county
const PASSWORD = 'funds-api-pass-1'
const today = chinaDate()
const thisMonth = today.slice(0, 7)
const thisYear = Number(today.slice(0, 4))

const org = async (type: string, region: string) =>
  (await api.database.db.selectFrom('org').select('id').where('type', '=', type).where('region_code', '=', region).executeTakeFirstOrThrow()).id

beforeAll(async () => {
  api = await testApi()
  const db = api.database.db
  province = await org('province_union', '410000')
  city = await org('city_union', '410100')
  county = await org('county_union', '410102')
  otherCounty = await org('county_union', '410103')
  station = (await db.selectFrom('org').select('id').where('parent_id', '=', county).orderBy('name').executeTakeFirstOrThrow()).id
  await createUser(db, systemPrincipal('test'), { username: 'fund_county', displayName: '中原区资金管理员', orgId: county, roles: ['fund_manager'], password: PASSWORD })
  fund = await api.login('fund_manager')
  countyFund = await api.login('fund_county', PASSWORD)
  worker = await api.login('case_worker')
  inspector = await api.login('inspector')
})
afterAll(async () => api?.close())
afterEach(async () => {
  expect(await verifyLedger(api.database.db)).toEqual({ ok: true, unbalancedEntries: [], mismatchedAccounts: [] })
})

const receipt = (who: Session, payload: object) =>
  api.request(who, { method: 'POST', url: '/api/funds/receipts', payload: { orgId: province, fundType: 'hardship_fund', source: 'central_finance', ...payload } })
const allocation = (who: Session, payload: object) => api.request(who, { method: 'POST', url: '/api/funds/allocations', payload: { fundType: 'hardship_fund', ...payload } })
const get = (who: Session, url: string) => api.request(who, { method: 'GET', url })
const fieldsOf = (res: { json(): { error: { details?: { field: string }[] } } }) => (res.json().error.details ?? []).map((d) => d.field)
const balance = async (who: Session, orgId: string, fundType = 'hardship_fund') => (await get(who, `/api/funds?orgId=${orgId}&fundType=${fundType}`)).json().items[0]

describe('/api/funds', () => {
  it('refuses the unauthenticated on every route', async () => {
    const id = randomUUID()
    for (const [method, url] of [
      ['GET', '/api/funds/codes'],
      ['GET', '/api/funds'],
      ['POST', '/api/funds/receipts'],
      ['POST', '/api/funds/allocations'],
      ['GET', '/api/funds/entries'],
      ['GET', `/api/funds/entries/${id}`],
      ['POST', `/api/funds/entries/${id}/reverse`],
      ['GET', `/api/funds/statement?orgId=${id}&fundType=hardship_fund`],
      ['GET', `/api/funds/statement.xlsx?orgId=${id}&fundType=hardship_fund`],
      ['GET', '/api/funds/raised-vs-paid'],
    ] as const) {
      const res = await api.request(null, { method, url, ...(method === 'POST' ? { payload: {} } : {}) })
      expect(res.statusCode, `${method} ${url}`).toBe(401)
    }
  })

  it('gives the closed lists for the forms, to readers only', async () => {
    const res = await get(inspector, '/api/funds/codes')
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().fundTypes).toContain('hardship_fund')
    expect(res.json().sources).toEqual(['central_finance', 'local_finance', 'enterprise', 'unemployment_insurance', 'union_returned', 'donation', 'income_tax', 'bank_wage_loan'])
    expect(res.json().entryKinds).toContain('reversal')
    expect((await get(worker, '/api/funds/codes')).statusCode).toBe(403)
    expect((await get(worker, '/api/funds')).statusCode).toBe(403)
  })

  it('records receipts by source and shows them in the overview, naming each bad field', async () => {
    const res = await receipt(fund, { amountFen: '100000000', receivedOn: today, reference: '财社〔2026〕12号', memo: '中央财政专项' })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({ kind: 'receipt', orgId: province, amountFen: '100000000', reference: '财社〔2026〕12号', occurredOn: today, reversedBy: null })
    expect(res.json().lines).toEqual([
      expect.objectContaining({ kind: 'available', source: '', amountFen: '100000000' }),
      expect.objectContaining({ kind: 'receipts', source: 'central_finance', amountFen: '-100000000' }),
    ])
    expect((await receipt(fund, { source: 'donation', amountFen: '2500050' })).statusCode).toBe(201)
    expect(await balance(fund, province)).toMatchObject({
      orgName: '河南省总工会',
      availableFen: '102500050',
      reservedFen: '0',
      paidFen: '0',
      receivedFen: { central_finance: '100000000', donation: '2500050' },
      receivedTotalFen: '102500050',
    })

    const bad = await receipt(fund, { fundType: 'pocket_money', source: 'lottery', amountFen: '12.5', receivedOn: '2999-01-01' })
    expect(bad.statusCode).toBe(400)
    expect(fieldsOf(bad)).toEqual(['fundType', 'source', 'amountFen', 'receivedOn'])
    expect(fieldsOf(await receipt(fund, { amountFen: '0' }))).toEqual(['amountFen'])
    // a missing field is named by the schema
    const missing = await api.request(fund, { method: 'POST', url: '/api/funds/receipts', payload: { orgId: province, fundType: 'hardship_fund', source: 'donation' } })
    expect(missing.statusCode).toBe(400)
    expect(fieldsOf(missing)).toEqual(['amountFen'])
    // writes need fund.manage; an organisation out of scope is not there
    expect((await receipt(worker, { amountFen: '100' })).statusCode).toBe(403)
    expect((await receipt(inspector, { amountFen: '100' })).statusCode).toBe(403)
    expect((await receipt(countyFund, { amountFen: '100' })).statusCode).toBe(404)
    expect((await receipt(fund, { orgId: randomUUID(), amountFen: '100' })).statusCode).toBe(404)
    expect((await receipt(fund, { orgId: 'not-an-id', amountFen: '100' })).statusCode).toBe(404)
  })

  it('allocates down the tree only, never more than is available, within the caller’s scope', async () => {
    const a = await allocation(fund, { fromOrgId: province, toOrgId: city, amountFen: '30000000', memo: '第一批' })
    expect(a.statusCode, a.body).toBe(201)
    expect(a.json()).toMatchObject({ kind: 'allocation', orgId: province, amountFen: '30000000' })
    expect(a.json().lines.map((l: { orgId: string; amountFen: string }) => [l.orgId, l.amountFen])).toEqual([
      [province, '-30000000'],
      [city, '30000000'],
    ])
    expect((await allocation(fund, { fromOrgId: city, toOrgId: county, amountFen: '10000000' })).statusCode).toBe(201)
    expect((await balance(fund, city)).availableFen).toBe('20000000')

    // up or sideways: named toOrgId; more than the county holds: a conflict naming the amount
    expect(fieldsOf(await allocation(fund, { fromOrgId: county, toOrgId: city, amountFen: '1' }))).toEqual(['toOrgId'])
    expect(fieldsOf(await allocation(fund, { fromOrgId: county, toOrgId: otherCounty, amountFen: '1' }))).toEqual(['toOrgId'])
    const short = await allocation(fund, { fromOrgId: county, toOrgId: station, amountFen: '10000001' })
    expect(short.statusCode).toBe(409)
    expect(fieldsOf(short)).toEqual(['amountFen'])

    // the county's fund manager sees the county's books, not the province's
    expect((await allocation(countyFund, { fromOrgId: province, toOrgId: city, amountFen: '1' })).statusCode).toBe(404)
    expect(fieldsOf(await allocation(countyFund, { fromOrgId: county, toOrgId: otherCounty, amountFen: '1' }))).toEqual(['toOrgId'])
    expect((await allocation(countyFund, { fromOrgId: county, toOrgId: station, amountFen: '1000000' })).statusCode).toBe(201)
    const seen = (await get(countyFund, '/api/funds')).json().items.map((b: { orgId: string }) => b.orgId)
    expect(seen).toContain(county)
    expect(seen).toContain(station)
    expect(seen).not.toContain(province)
    expect(seen).not.toContain(city)
    expect((await get(countyFund, `/api/funds?orgId=${province}`)).json().items).toEqual([])
    expect((await allocation(worker, { fromOrgId: county, toOrgId: station, amountFen: '1' })).statusCode).toBe(403)
    expect((await balance(fund, county)).availableFen).toBe('9000000')
  })

  it('lists entries newest first in keyset pages with filters, and shows one with its lines', async () => {
    const first = await get(fund, '/api/funds/entries?limit=2')
    expect(first.statusCode, first.body).toBe(200)
    expect(first.json().items).toHaveLength(2)
    expect(first.json().items[0]).toMatchObject({ kind: 'allocation', orgId: county, amountFen: '1000000' })
    expect(first.json().nextCursor).toEqual(expect.any(String))
    const all: string[] = [...first.json().items.map((e: { id: string }) => e.id)]
    let cursor = first.json().nextCursor as string | null
    while (cursor) {
      const next = (await get(fund, `/api/funds/entries?limit=2&cursor=${encodeURIComponent(cursor)}`)).json()
      all.push(...next.items.map((e: { id: string }) => e.id))
      cursor = next.nextCursor
    }
    expect(all).toHaveLength(5)
    expect(new Set(all).size).toBe(5)
    const receipts = (await get(fund, '/api/funds/entries?kind=receipt')).json().items
    expect(receipts.map((e: { kind: string }) => e.kind)).toEqual(['receipt', 'receipt'])
    expect((await get(fund, `/api/funds/entries?orgId=${city}`)).json().items).toHaveLength(1)
    expect((await get(fund, '/api/funds/entries?kind=payday')).statusCode).toBe(400)

    const one = await get(inspector, `/api/funds/entries/${receipts[1].id}`)
    expect(one.statusCode, one.body).toBe(200)
    expect(one.json()).toMatchObject({ id: receipts[1].id, kind: 'receipt', reference: '财社〔2026〕12号', createdByName: expect.any(String) })
    expect(one.json().lines).toHaveLength(2)

    // the county sees its own entries only; the province's receipt answers like a missing one
    const countyEntries = (await get(countyFund, '/api/funds/entries')).json().items
    expect(countyEntries.map((e: { orgId: string }) => e.orgId)).toEqual([county])
    expect((await get(countyFund, `/api/funds/entries/${receipts[1].id}`)).statusCode).toBe(404)
    expect((await get(fund, `/api/funds/entries/${randomUUID()}`)).statusCode).toBe(404)
    expect((await get(fund, '/api/funds/entries/nonsense')).statusCode).toBe(404)
    expect((await get(worker, '/api/funds/entries')).statusCode).toBe(403)
  })

  it('reverses a receipt once with a reason; the reversed entry points to its reversal', async () => {
    const r = await receipt(fund, { fundType: 'education_aid_fund', source: 'enterprise', amountFen: '500000' })
    const id = r.json().id as string
    const reverse = (who: Session, payload: object, entryId = id) => api.request(who, { method: 'POST', url: `/api/funds/entries/${entryId}/reverse`, payload })
    expect(fieldsOf(await reverse(fund, { reason: ' ' }))).toEqual(['reason'])
    expect(fieldsOf(await reverse(fund, {}))).toEqual(['reason'])
    expect((await reverse(worker, { reason: '误录' })).statusCode).toBe(403)
    expect((await reverse(inspector, { reason: '误录' })).statusCode).toBe(403)
    expect((await reverse(countyFund, { reason: '误录' })).statusCode).toBe(404)
    expect((await reverse(fund, { reason: '误录' }, randomUUID())).statusCode).toBe(404)

    const done = await reverse(fund, { reason: '误录，重复入账' })
    expect(done.statusCode, done.body).toBe(201)
    expect(done.json()).toMatchObject({ kind: 'reversal', reversesId: id, amountFen: '500000', memo: '误录，重复入账' })
    expect(done.json().lines.map((l: { kind: string; amountFen: string }) => [l.kind, l.amountFen])).toEqual([
      ['available', '-500000'],
      ['receipts', '500000'],
    ])
    expect((await get(fund, `/api/funds/entries/${id}`)).json().reversedBy).toBe(done.json().id)
    expect(await balance(fund, province, 'education_aid_fund')).toMatchObject({ availableFen: '0', receivedTotalFen: '0' })
    const again = await reverse(fund, { reason: '再冲一次' })
    expect(again.statusCode).toBe(409)
    expect((await reverse(fund, { reason: '冲正的冲正' }, done.json().id)).statusCode).toBe(409)
  })
})

describe('/api/funds/statement', () => {
  it('gives a month’s statement with the running balance, as JSON and as an Excel sheet', async () => {
    const s = await get(fund, `/api/funds/statement?orgId=${county}&fundType=hardship_fund&month=${thisMonth}`)
    expect(s.statusCode, s.body).toBe(200)
    expect(s.json()).toMatchObject({ orgId: county, orgName: expect.stringContaining('中原区'), kind: 'available', from: `${thisMonth}-01`, openingFen: '0', closingFen: '9000000', truncated: false })
    expect(s.json().lines.map((l: { kind: string; amountFen: string; balanceFen: string }) => [l.kind, l.amountFen, l.balanceFen])).toEqual([
      ['allocation', '10000000', '10000000'],
      ['allocation', '-1000000', '9000000'],
    ])
    // a month before any movement: empty, opening and closing zero; next month opens with the closing balance
    const [y, m] = thisMonth.split('-').map(Number) as [number, number]
    const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`
    expect((await get(fund, `/api/funds/statement?orgId=${county}&fundType=hardship_fund&month=2000-01`)).json()).toMatchObject({ openingFen: '0', closingFen: '0', lines: [] })
    expect((await get(fund, `/api/funds/statement?orgId=${county}&fundType=hardship_fund&month=${next}`)).json()).toMatchObject({ openingFen: '9000000', closingFen: '9000000', lines: [] })

    const bad = await get(fund, `/api/funds/statement?orgId=${county}&fundType=nope&kind=receipts&month=2026-13`)
    expect(bad.statusCode).toBe(400)
    expect(fieldsOf(bad)).toEqual(['fundType', 'kind', 'month'])
    expect((await get(countyFund, `/api/funds/statement?orgId=${province}&fundType=hardship_fund`)).statusCode).toBe(404)
    expect((await get(countyFund, `/api/funds/statement?orgId=${randomUUID()}&fundType=hardship_fund`)).statusCode).toBe(404)
    expect((await get(worker, `/api/funds/statement?orgId=${county}&fundType=hardship_fund`)).statusCode).toBe(403)

    const x = await get(countyFund, `/api/funds/statement.xlsx?orgId=${county}&fundType=hardship_fund&month=${thisMonth}`)
    expect(x.statusCode, x.body).toBe(200)
    expect(x.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    expect(x.headers['content-disposition']).toContain(encodeURIComponent('资金对账单_'))
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(x.rawPayload as unknown as ArrayBuffer)
    const sheet = workbook.getWorksheet('资金对账单')!
    expect(String(sheet.getCell('A1').value)).toContain('困难职工帮扶资金')
    const rows = sheet.getSheetValues().slice(2).map((r) => (r as unknown[]).slice(1))
    expect(rows[0]!.slice(0, 8)).toEqual(['日期', '类型', '文号/凭证号', '摘要', '经办人', '收入（元）', '支出（元）', '余额（元）'])
    expect(rows[1]![1]).toBe('期初余额')
    expect(rows[1]![7]).toBe(0)
    expect([rows[2]![1], rows[2]![5], rows[2]![7]]).toEqual(['下拨', 100000, 100000])
    expect([rows[3]![1], rows[3]![6], rows[3]![7]]).toEqual(['下拨', 10000, 90000])
    expect([rows[4]![1], rows[4]![7]]).toEqual(['期末余额', 90000])
    expect((await get(countyFund, `/api/funds/statement.xlsx?orgId=${province}&fundType=hardship_fund`)).statusCode).toBe(404)
    expect((await api.request(null, { method: 'GET', url: `/api/funds/statement.xlsx?orgId=${county}&fundType=hardship_fund` })).statusCode).toBe(401)
  })
})

describe('/api/funds/raised-vs-paid', () => {
  it('sets funds received by source this year against what was paid, per fund type, in the caller’s scope', async () => {
    // a payment as a payment cycle would post it: reserve, then pay, at the county
    const db = api.database.db
    const countyOrg = (await fundsRepo.orgInScope(db, nationalScope, county))!
    const system = systemPrincipal('test')
    await db.transaction().execute((trx) =>
      postEntry(trx, system, {
        kind: 'reserve',
        org: countyOrg,
        fundType: 'hardship_fund',
        amountFen: 300000n,
        occurredOn: today,
        lines: [
          { account: { org: countyOrg, fundType: 'hardship_fund', kind: 'available' }, amountFen: -300000n },
          { account: { org: countyOrg, fundType: 'hardship_fund', kind: 'reserved' }, amountFen: 300000n },
        ],
      }),
    )
    await db.transaction().execute((trx) =>
      postEntry(trx, system, {
        kind: 'payment',
        org: countyOrg,
        fundType: 'hardship_fund',
        amountFen: 250000n,
        occurredOn: today,
        lines: [
          { account: { org: countyOrg, fundType: 'hardship_fund', kind: 'reserved' }, amountFen: -250000n },
          { account: { org: countyOrg, fundType: 'hardship_fund', kind: 'paid' }, amountFen: 250000n },
        ],
      }),
    )
    expect(await balance(fund, county)).toMatchObject({ availableFen: '8700000', reservedFen: '50000', paidFen: '250000' })

    const res = await get(inspector, '/api/funds/raised-vs-paid')
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().year).toBe(thisYear)
    expect(res.json().items).toHaveLength(7)
    const hardship = res.json().items.find((i: { fundType: string }) => i.fundType === 'hardship_fund')
    expect(hardship).toEqual({ fundType: 'hardship_fund', receivedFen: { central_finance: '100000000', donation: '2500050' }, receivedTotalFen: '102500050', paidFen: '250000' })
    // the education receipt and its reversal cancel out
    expect(res.json().items.find((i: { fundType: string }) => i.fundType === 'education_aid_fund')).toMatchObject({ receivedFen: { enterprise: '0' }, receivedTotalFen: '0', paidFen: '0' })
    expect(res.json().totals).toEqual({ receivedFen: { central_finance: '100000000', donation: '2500050', enterprise: '0' }, receivedTotalFen: '102500050', paidFen: '250000' })

    // the county's manager: nothing received in the county, what it paid
    const mine = (await get(countyFund, `/api/funds/raised-vs-paid?year=${thisYear}`)).json()
    expect(mine.totals).toEqual({ receivedFen: {}, receivedTotalFen: '0', paidFen: '250000' })
    expect((await get(fund, '/api/funds/raised-vs-paid?year=2001')).json().totals).toEqual({ receivedFen: {}, receivedTotalFen: '0', paidFen: '0' })
    const bad = await get(fund, '/api/funds/raised-vs-paid?year=1999')
    expect(bad.statusCode).toBe(400)
    expect(fieldsOf(bad)).toEqual(['year'])
    expect((await get(worker, '/api/funds/raised-vs-paid')).statusCode).toBe(403)
  })
})
