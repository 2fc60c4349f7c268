import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createJobRunner } from '../../src/server/jobs.ts'
import { residentIdCheckChar } from '../../src/server/platform/codes/resident-id.ts'
import { type Session, type TestApi, testApi, testCipher } from '../support/api.ts'

let api: TestApi
let worker: Session // case_worker, 410102
let worker2: Session // case_worker2, 410103
let orgId: string

const idOf = (first17: string) => first17 + residentIdCheckChar(first17)

beforeAll(async () => {
  api = await testApi()
  worker = await api.login('case_worker')
  worker2 = await api.login('case_worker2')
  orgId = (await api.request(worker, { method: 'GET', url: '/api/auth/me' })).json().user.org.id
})
afterAll(async () => api?.close())

const BOUNDARY = '----jiekun-test-boundary'
function multipart(fields: Record<string, string>, file: { name: string; content: Buffer | string } | null): { payload: Buffer; headers: Record<string, string> } {
  const parts: Buffer[] = []
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`))
  if (file) {
    parts.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`))
    parts.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content))
    parts.push(Buffer.from('\r\n'))
  }
  parts.push(Buffer.from(`--${BOUNDARY}--\r\n`))
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` } }
}

const CSV = [
  '户编号,县区代码,家庭住址,姓名,与户主关系,身份证号码,健康状况,就业状况,月收入',
  `A1,410102,郑州市中原区建设路2号,李四,户主,${idOf('41010219700707301')},慢性病,失业,800`,
  `A1,,,李小四,子女,${idOf('41010220120303402')},健康,在校学生,0`,
  `A2,410102,郑州市中原区建设路3号,王五,户主,${idOf('41010219700707311')}X,健康,下岗,0`,
].join('\n')

async function drain(): Promise<void> {
  const runner = createJobRunner(api.database.db, { piiCipher: testCipher, importsDir: api.importsDir })
  while (await runner.runOnce()) {
    // every queued job
  }
}

describe('/api/household-imports', () => {
  let id: string

  it('refuses the unauthenticated', async () => {
    expect((await api.request(null, { method: 'GET', url: '/api/household-imports/template.xlsx' })).statusCode).toBe(401)
    const body = multipart({ orgId }, { name: 'a.csv', content: CSV })
    expect((await api.request(null, { method: 'POST', url: '/api/household-imports', ...body })).statusCode).toBe(401)
    expect((await api.request(null, { method: 'GET', url: '/api/household-imports/00000000-0000-4000-8000-000000000000' })).statusCode).toBe(401)
  })

  it('serves the template as an .xlsx with the headers, two example rows and the instructions sheet', async () => {
    const res = await api.request(worker, { method: 'GET', url: '/api/household-imports/template.xlsx' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    expect(res.headers['content-disposition']).toMatch(/^attachment;/)
    expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
    expect(wb.worksheets.map((w) => w.name)).toEqual(['家庭成员', '填写说明'])
    const sheet = wb.worksheets[0]!
    expect(sheet.getRow(1).getCell(1).value).toBe('户编号')
    expect(sheet.actualRowCount).toBe(3)

    // The template as downloaded is itself a valid file: its two example rows make one household.
    const up = await api.request(worker, { method: 'POST', url: '/api/household-imports', ...multipart({ orgId }, { name: 'template.xlsx', content: res.rawPayload }) })
    expect(up.statusCode).toBe(201)
    await drain()
    const v = (await api.request(worker, { method: 'GET', url: `/api/household-imports/${up.json().id}` })).json()
    expect(v).toMatchObject({ status: 'validated', format: 'xlsx', counts: { rows: 2, households: 1, validHouseholds: 1, problems: 0 } })
    expect(v.sample[0].members.map((m: { relation: string }) => m.relation)).toEqual(['head', 'child'])
  })

  it('uploads, validates with row, column and reason, and previews a masked sample', async () => {
    const res = await api.request(worker, { method: 'POST', url: '/api/household-imports', ...multipart({ orgId }, { name: '导入.csv', content: CSV }) })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ status: 'validating', fileName: '导入.csv', format: 'csv' })
    id = res.json().id
    await drain()
    const got = await api.request(worker, { method: 'GET', url: `/api/household-imports/${id}` })
    expect(got.statusCode).toBe(200)
    const v = got.json()
    expect(v).toMatchObject({ status: 'validated', counts: { rows: 3, households: 2, validHouseholds: 1, problems: 1 } })
    expect(v.problems).toMatchObject([{ rowNo: 4, column: '身份证号码', code: 'id_number' }])
    expect(v.problems[0].message).toContain('ID number')
    expect(v.sample).toHaveLength(1)
    expect(v.sample[0].members[0].idNumber).toMatch(/^4101\*+\d{4}$/)

    const page = await api.request(worker, { method: 'GET', url: `/api/household-imports/${id}/problems?limit=1`, headers: { 'accept-language': 'zh-CN' } })
    expect(page.statusCode).toBe(200)
    expect(page.json()).toMatchObject({ items: [{ rowNo: 4 }], nextCursor: null })
    expect(page.json().items[0].message).toContain('身份证')
  })

  it('answers another county’s case worker as if the import did not exist', async () => {
    for (const req of [
      { method: 'GET' as const, url: `/api/household-imports/${id}` },
      { method: 'GET' as const, url: `/api/household-imports/${id}/problems` },
      { method: 'POST' as const, url: `/api/household-imports/${id}/commit`, payload: { mode: 'valid-only' } },
    ]) {
      const res = await api.request(worker2, req)
      expect(res.statusCode).toBe(404)
      expect(res.json().error.code).toBe('NOT_FOUND')
    }
  })

  it('refuses all-or-nothing with problems (409), commits the valid household', async () => {
    const refused = await api.request(worker, { method: 'POST', url: `/api/household-imports/${id}/commit`, payload: { mode: 'all-or-nothing' } })
    expect(refused.statusCode).toBe(409)
    expect(refused.json().error.message).toContain('Nothing was written')
    const res = await api.request(worker, { method: 'POST', url: `/api/household-imports/${id}/commit`, payload: { mode: 'valid-only' } })
    expect(res.statusCode).toBe(202)
    expect(res.json().status).toBe('committing')
    await drain()
    expect((await api.request(worker, { method: 'GET', url: `/api/household-imports/${id}` })).json()).toMatchObject({
      status: 'committed',
      counts: { committedHouseholds: 1, committedMembers: 2 },
    })
  })

  it('reads a CSV saved by Excel on Chinese Windows (GB18030, no BOM)', async () => {
    const gbk = Buffer.from(
      'u6ex4LrFLM/Yx/i0+sLrLLzSzaXXoda3LNDVw/ss0+u7p9b3udjPtSzJ7bfd1qS6xcLrLL2hv7XXtL/2LL7N0rXXtL/2DQpHMSw0MTAxMDIs1qPW3crQ1tDUrcf44dTJvcK3N7rFLMeuufrH7Cy7p9b3LDQxMDEwMjE5NjkxMDAxMzAxNCy9ob+1LM/CuNoNCg==',
      'base64',
    )
    const res = await api.request(worker, { method: 'POST', url: '/api/household-imports', ...multipart({ orgId }, { name: 'gbk.csv', content: gbk }) })
    expect(res.statusCode).toBe(201)
    await drain()
    const v = (await api.request(worker, { method: 'GET', url: `/api/household-imports/${res.json().id}` })).json()
    expect(v).toMatchObject({ status: 'validated', counts: { rows: 1, validHouseholds: 1, problems: 0 } })
    expect(v.sample[0]).toMatchObject({ address: '郑州市中原区嵩山路7号', members: [{ name: '钱国庆' }] })
  })

  it('refuses a file that is neither .xlsx nor .csv, and an organisation out of scope', async () => {
    const exe = await api.request(worker, { method: 'POST', url: '/api/household-imports', ...multipart({ orgId }, { name: 'a.exe', content: 'MZ' }) })
    expect(exe.statusCode).toBe(400)
    expect(exe.json().error.details[0].field).toBe('file')
    const other = await api.request(worker2, { method: 'POST', url: '/api/household-imports', ...multipart({ orgId }, { name: 'a.csv', content: CSV }) })
    expect(other.statusCode).toBe(400)
    expect(other.json().error.details[0].field).toBe('orgId')
  })
})
