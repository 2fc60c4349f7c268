import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateHouseholds } from '../../bench/households.ts'
import { residentIdCheckChar } from '../../src/server/platform/codes/resident-id.ts'
import { type Session, type TestApi, testApi, testCipher } from '../support/api.ts'

let api: TestApi
let worker: Session // case_worker, 410102, household.export
let approver: Session // approver, city 4101, no household.export
let filedId: string

const HEAD = (() => {
  const first17 = '41010219710203301'
  return first17 + residentIdCheckChar(first17)
})()

beforeAll(async () => {
  api = await testApi()
  worker = await api.login('case_worker')
  approver = await api.login('approver')
  await generateHouseholds(api.database.db, testCipher, { count: 120, regionPrefix: '4101', batchSize: 120 })
  const me = await api.request(worker, { method: 'GET', url: '/api/auth/me' })
  const res = await api.request(worker, {
    method: 'POST',
    url: '/api/households',
    payload: {
      regionCode: '410102',
      orgId: me.json().user.org.id,
      address: '郑州市中原区建设路 99 号',
      members: [{ name: '欧阳列表', relation: 'head', idNumber: HEAD, phone: '13912345678', health: 'healthy', workStatus: 'laid_off', monthlyIncomeFen: '80000' }],
    },
  })
  expect(res.statusCode).toBe(201)
  filedId = res.json().id
}, 120_000)
afterAll(async () => api?.close())

describe('GET /api/households', () => {
  it('refuses the unauthenticated', async () => {
    expect((await api.request(null, { method: 'GET', url: '/api/households' })).statusCode).toBe(401)
    expect((await api.request(null, { method: 'GET', url: '/api/households/export.xlsx' })).statusCode).toBe(401)
  })

  it('lists the county of a case worker, with masked data only, and pages by cursor', async () => {
    const res = await api.request(worker, { method: 'GET', url: '/api/households?limit=5' })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.items).toHaveLength(5)
    expect(body.nextCursor).toEqual(expect.any(String))
    for (const item of body.items) expect(item.regionCode).toBe('410102')
    const next = await api.request(worker, { method: 'GET', url: `/api/households?limit=5&cursor=${body.nextCursor}` })
    expect(next.json().items[0].fileNo > body.items[4].fileNo).toBe(true)
  })

  it('finds by name (head or member, prefix) and shows the decorated row with the head ID number masked', async () => {
    const res = await api.request(worker, { method: 'GET', url: `/api/households?name=${encodeURIComponent('欧阳')}` })
    expect(res.statusCode).toBe(200)
    const items = res.json().items
    expect(items.map((i: { id: string }) => i.id)).toEqual([filedId])
    expect(items[0]).toMatchObject({ headName: '欧阳列表', memberCount: 1, status: 'draft', regionName: '郑州市中原区', perCapitaMonthlyFen: null, targetGroups: [], batches: [] })
    expect(res.body).not.toContain(HEAD)
    expect(items[0].headIdNumber).toBe(`4101**********${HEAD.slice(-4)}`)
  })

  it('a region filter outside the scope answers an empty page, never 403 or 404', async () => {
    const res = await api.request(worker, { method: 'GET', url: '/api/households?regionCode=410103' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ items: [], nextCursor: null })
    const far = await api.request(worker, { method: 'GET', url: '/api/households?regionCode=110101' })
    expect(far.json()).toEqual({ items: [], nextCursor: null })
  })

  it('validates filters by field', async () => {
    const res = await api.request(worker, { method: 'GET', url: '/api/households?status=nope&sort=name' })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.code).toBe('VALIDATION_FAILED')
  })
})

describe('GET /api/households/export.xlsx', () => {
  it('streams an .xlsx of the list as filtered, masked data only, named 困难职工档案_<date>.xlsx, and audits it', async () => {
    const list = await api.request(worker, { method: 'GET', url: '/api/households?limit=200' })
    const expectedFileNos = list.json().items.map((i: { fileNo: string }) => i.fileNo)
    expect(expectedFileNos.length).toBeGreaterThan(3)

    const res = await api.request(worker, { method: 'GET', url: '/api/households/export.xlsx' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toContain('spreadsheetml')
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename=".*"; filename\*=UTF-8''%E5%9B%B0%E9%9A%BE%E8%81%8C%E5%B7%A5%E6%A1%A3%E6%A1%88_\d{4}-\d{2}-\d{2}\.xlsx$/)

    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
    expect(workbook.worksheets).toHaveLength(1)
    const sheet = workbook.worksheets[0]!
    const header = sheet.getRow(1).values as unknown[]
    expect(header.slice(1, 7)).toEqual(['档案编号', '所在地区', '建档单位', '户主姓名', '户主身份证号（脱敏）', '家庭人口'])
    const rows: unknown[][] = []
    sheet.eachRow((row, n) => {
      if (n > 1) rows.push((row.values as unknown[]).slice(1))
    })
    expect(rows.map((r) => r[0])).toEqual(expectedFileNos)
    const mine = rows.find((r) => r[3] === '欧阳列表')!
    expect(mine.slice(0, 7)).toEqual([expect.stringMatching(/^410102-/), '郑州市中原区', expect.any(String), '欧阳列表', `4101**********${HEAD.slice(-4)}`, 1, '草稿'])
    // the head's ID number masked as on screen; no full ID number and no phone number anywhere in the file
    const text = JSON.stringify(rows)
    expect(text).not.toMatch(/\d{17}[\dX]/)
    expect(text).not.toContain(HEAD)
    expect(text).not.toMatch(/1\d{2}\*{4}\d{4}/)
    // labels, not codes
    expect(text).not.toMatch(/"(verified|draft|deep|relative|serious_illness|employment)"/)

    const audit = await api.database.db.selectFrom('audit_log').select(['actor_name', 'after']).where('action', '=', 'household.export').execute()
    expect(audit).toEqual([{ actor_name: 'case_worker', after: { filters: {}, rows: rows.length } }])
  })

  it('applies the filters; a region outside the scope gives an empty workbook', async () => {
    const res = await api.request(worker, { method: 'GET', url: '/api/households/export.xlsx?status=draft&regionCode=410103' })
    expect(res.statusCode).toBe(200)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
    expect(workbook.worksheets[0]!.actualRowCount).toBe(1)
  })

  it('is refused without household.export (403)', async () => {
    const res = await api.request(approver, { method: 'GET', url: '/api/households/export.xlsx' })
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('FORBIDDEN')
  })
})
