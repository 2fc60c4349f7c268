import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createJobRunner } from '../../src/server/jobs.ts'
import { createUser } from '../../src/server/modules/access/users.service.ts'
import { verifyLedger } from '../../src/server/modules/funds/funds.service.ts'
import { systemPrincipal } from '../../src/server/platform/principal.ts'
import { seedDemoHouseholds } from '../../src/server/seed/households.ts'
import { type Session, type TestApi, testApi, testCipher } from '../support/api.ts'

// A monthly cycle through the API (issue 5 §3): create → generate (job) → submit → two approvals
// (the money reserved) → bank file export (job) → bank results with one failure (job) → balances,
// reconciliation, close; the failed line is carried into the next month. Every route refuses the
// unauthenticated; another county's fund manager finds nothing.

let api: TestApi
let fund: Session // fund_manager (province)
let county: Session // county_approver
let city: Session // approver
let otherFund: Session // made here: fund manager of 二七区
let worker: Session // case_worker: no payment permission
let countyOrg: string
let monthly: string
const PASSWORD = 'payments-api-pass-1'

beforeAll(async () => {
  api = await testApi()
  const db = api.database.db
  await seedDemoHouseholds(db, testCipher)
  const org2 = await db.selectFrom('org').select('id').where('type', '=', 'county_union').where('region_code', '=', '410103').executeTakeFirstOrThrow()
  await createUser(db, systemPrincipal('test'), { username: 'pay_other', displayName: '二七区财务', orgId: org2.id, roles: ['fund_manager'], password: PASSWORD })
  countyOrg = (await db.selectFrom('org').select('id').where('type', '=', 'county_union').where('region_code', '=', '410102').executeTakeFirstOrThrow()).id
  monthly = (await db.selectFrom('programme').select('id').where('code', '=', 'living_subsidy_monthly').executeTakeFirstOrThrow()).id
  fund = await api.login('fund_manager')
  county = await api.login('county_approver')
  city = await api.login('approver')
  otherFund = await api.login('pay_other', PASSWORD)
  worker = await api.login('case_worker')
  const receipt = await api.request(fund, { method: 'POST', url: '/api/funds/receipts', payload: { orgId: countyOrg, fundType: 'hardship_fund', source: 'local_finance', amountFen: '5000000' } })
  expect(receipt.statusCode, receipt.body).toBe(201)
}, 120_000)
afterAll(async () => api?.close())
afterEach(async () => {
  expect(await verifyLedger(api.database.db)).toMatchObject({ ok: true })
})

const runner = () => createJobRunner(api.database.db, { piiCipher: testCipher, importsDir: api.importsDir })
async function drain(): Promise<void> {
  const r = runner()
  while (await r.runOnce()) {
    // every queued job
  }
}
const cycleOf = async (id: string) => (await api.request(fund, { method: 'GET', url: `/api/payments/cycles/${id}` })).json()
const balance = async () => (await api.request(fund, { method: 'GET', url: `/api/funds?orgId=${countyOrg}&fundType=hardship_fund` })).json().items

function multipart(fileName: string, data: string) {
  const boundary = `----jiekun${randomUUID()}`
  const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n${data}\r\n--${boundary}--\r\n`
  return { payload: Buffer.from(body), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

/** Creates, generates, submits and approves a monthly cycle; answers it. */
async function approvedCycle(period: string) {
  const created = await api.request(fund, { method: 'POST', url: '/api/payments/cycles', payload: { orgId: countyOrg, programmeId: monthly, period } })
  expect(created.statusCode, created.body).toBe(201)
  await drain()
  const draft = await cycleOf(created.json().id)
  expect(draft.status).toBe('draft')
  const submitted = await api.request(fund, { method: 'POST', url: `/api/payments/cycles/${draft.id}/submit`, payload: { version: draft.version } })
  expect(submitted.statusCode, submitted.body).toBe(200)
  expect(submitted.json().scanning).toBe(true) // the supervision scan it queued
  await drain()
  expect((await cycleOf(draft.id)).scanning).toBe(false)
  const approvalId = submitted.json().approvalId
  // the inbox names the cycle: organisation, programme, period, households and total
  const label = (await api.request(county, { method: 'GET', url: `/api/approvals/${approvalId}` })).json().subjectLabel
  expect(label).toBe(`郑州中原区总工会 · 送温暖常态化生活补贴（按月）（${period}）· ${draft.lineCount} 户 ${BigInt(draft.totalFen) / 100n}.${String(BigInt(draft.totalFen) % 100n).padStart(2, '0')} 元`)
  const a1 = await api.request(county, { method: 'POST', url: `/api/approvals/${approvalId}/decide`, payload: { decision: 'approve', version: 1 } })
  expect(a1.statusCode, a1.body).toBe(200)
  const a2 = await api.request(city, { method: 'POST', url: `/api/approvals/${approvalId}/decide`, payload: { decision: 'approve', version: a1.json().version } })
  expect(a2.statusCode, a2.body).toBe(200)
  return cycleOf(draft.id)
}

describe('/api/payments/cycles', () => {
  it('refuses the unauthenticated on every route', async () => {
    const id = randomUUID()
    for (const [method, url] of [
      ['POST', '/api/payments/cycles'],
      ['GET', '/api/payments/cycles'],
      ['GET', `/api/payments/cycles/${id}`],
      ['GET', `/api/payments/cycles/${id}/lines`],
      ['POST', `/api/payments/cycles/${id}/regenerate`],
      ['POST', `/api/payments/cycles/${id}/submit`],
      ['POST', `/api/payments/cycles/${id}/cancel`],
      ['POST', `/api/payments/cycles/${id}/export`],
      ['GET', `/api/payments/cycles/${id}/bank-file`],
      ['POST', `/api/payments/cycles/${id}/results`],
      ['GET', `/api/payments/cycles/${id}/reconciliation`],
      ['POST', `/api/payments/cycles/${id}/close`],
    ] as const) {
      const res = await api.request(null, { method, url, ...(method === 'POST' ? { payload: {} } : {}) })
      expect(res.statusCode, `${method} ${url}`).toBe(401)
    }
  })

  it('names bad fields, refuses a case worker, and hides the cycle from another county', async () => {
    const bad = await api.request(fund, { method: 'POST', url: '/api/payments/cycles', payload: { orgId: countyOrg, programmeId: monthly, period: '2026Q4' } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.details).toEqual([{ field: 'period', message: 'must be a period like 2026-11' }])
    expect((await api.request(worker, { method: 'POST', url: '/api/payments/cycles', payload: { orgId: countyOrg, programmeId: monthly, period: '2026-10' } })).statusCode).toBe(403)
    const theirs = await api.request(otherFund, { method: 'POST', url: '/api/payments/cycles', payload: { orgId: countyOrg, programmeId: monthly, period: '2026-10' } })
    expect(theirs.statusCode).toBe(404)
  })

  it('runs a month: reserve on approval, bank file, results with one failure, reconciliation, close; the failure is carried into the next month', async () => {
    const before = (await balance())[0]
    const c = await approvedCycle('2026-11')
    expect(c.status).toBe('approved')
    expect(BigInt((await balance())[0].reservedFen)).toBe(BigInt(c.totalFen))
    expect((await api.request(otherFund, { method: 'GET', url: `/api/payments/cycles/${c.id}` })).statusCode).toBe(404)
    const lines = (await api.request(fund, { method: 'GET', url: `/api/payments/cycles/${c.id}/lines?limit=500` })).json().items
    expect(lines).toHaveLength(c.lineCount)
    expect(lines.find((l: { bankAccountMasked: string | null }) => l.bankAccountMasked)?.bankAccountMasked).toMatch(/^\*+\d{4}$/)

    // the bank file: every line, full accounts
    const exported = await api.request(fund, { method: 'POST', url: `/api/payments/cycles/${c.id}/export` })
    expect(exported.statusCode, exported.body).toBe(202)
    await drain()
    expect((await cycleOf(c.id)).status).toBe('exported')
    const csv = await api.request(fund, { method: 'GET', url: `/api/payments/cycles/${c.id}/bank-file?format=csv` })
    expect(csv.statusCode).toBe(200)
    const rows = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n')
    expect(rows[0]).toBe('参考号,户名,开户行,账号,金额（元）')
    expect(rows).toHaveLength(c.lineCount + 1)
    const xlsx = await api.request(fund, { method: 'GET', url: `/api/payments/cycles/${c.id}/bank-file?format=xlsx` })
    expect(xlsx.statusCode).toBe(200)
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK')

    // a results file with a bad row changes nothing, and the job names the row and column
    const refs = rows.slice(1).map((r) => r.split(',')[0]!)
    const wrong = await api.request(fund, { method: 'POST', url: `/api/payments/cycles/${c.id}/results`, ...multipart('结果.csv', `参考号,结果,失败原因,银行流水号\r\n${refs[0]},成功,,S1\r\n${refs[1]},也许,,S2\r\n`) })
    expect(wrong.statusCode, wrong.body).toBe(202)
    await drain()
    const failedJob = (await api.request(fund, { method: 'GET', url: `/api/jobs/${wrong.json().job.id}` })).json()
    expect(failedJob).toMatchObject({ status: 'failed' })
    expect(failedJob.error).toContain('第 3 行“结果”列')
    expect((await cycleOf(c.id)).status).toBe('exported')

    // the real results: all paid but one, which failed with a reason
    const results = ['参考号,结果,失败原因,银行流水号', ...refs.map((r, i) => (i === 1 ? `${r},失败,账户已销户,` : `${r},成功,,B${i}`))].join('\r\n')
    const ok = await api.request(fund, { method: 'POST', url: `/api/payments/cycles/${c.id}/results`, ...multipart('results.csv', results) })
    expect(ok.statusCode, ok.body).toBe(202)
    await drain()
    const settled = await cycleOf(c.id)
    const failedLine = lines[1]
    expect(settled).toMatchObject({ status: 'partly_failed', paidCount: c.lineCount - 1, failedCount: 1, failedFen: failedLine.amountFen })
    const after = (await balance())[0]
    expect(BigInt(after.reservedFen)).toBe(0n)
    expect(BigInt(after.paidFen)).toBe(BigInt(c.totalFen) - BigInt(failedLine.amountFen))
    expect(BigInt(after.availableFen)).toBe(BigInt(before.availableFen) - BigInt(c.totalFen) + BigInt(failedLine.amountFen))
    const failed = (await api.request(fund, { method: 'GET', url: `/api/payments/cycles/${c.id}/lines?status=failed` })).json().items
    expect(failed).toEqual([expect.objectContaining({ lineNo: failedLine.lineNo, failReason: '账户已销户', status: 'failed' })])

    const rec = (await api.request(fund, { method: 'GET', url: `/api/payments/cycles/${c.id}/reconciliation` })).json()
    expect(rec).toMatchObject({ balanced: true, problems: [], pending: { count: 0, totalFen: '0' }, ledger: { reservedFen: c.totalFen, returnedFen: failedLine.amountFen } })
    const closed = await api.request(fund, { method: 'POST', url: `/api/payments/cycles/${c.id}/close` })
    expect(closed.statusCode, closed.body).toBe(200)
    expect(closed.json().status).toBe('closed')

    // next month: the failed line of November comes again, for November
    const next = await approvedCycle('2026-12')
    const nextLines = (await api.request(fund, { method: 'GET', url: `/api/payments/cycles/${next.id}/lines?limit=500` })).json().items
    expect(nextLines.filter((l: { forPeriod: string }) => l.forPeriod === '2026-11')).toEqual([expect.objectContaining({ householdId: failedLine.householdId, carriedFromCycle: c.id, amountFen: failedLine.amountFen })])
    expect(nextLines).toHaveLength(c.lineCount + 1)
  })
})
