import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { residentIdCheckChar } from '../../src/server/platform/codes/resident-id.ts'
import { type Session, type TestApi, testApi } from '../support/api.ts'

let api: TestApi
let worker: Session // case_worker, 410102
let worker2: Session // case_worker2, 410103
let approver: Session // approver, city 4101, pii.view
let orgId: string

const idOf = (first17: string) => first17 + residentIdCheckChar(first17)
const HEAD = idOf('41010219751108201')
const CHILD = idOf('41010220080901302')

beforeAll(async () => {
  api = await testApi()
  worker = await api.login('case_worker')
  worker2 = await api.login('case_worker2')
  approver = await api.login('approver')
  const me = await api.request(worker, { method: 'GET', url: '/api/auth/me' })
  orgId = me.json().user.org.id
})
afterAll(async () => api?.close())

const filing = (idNumber = HEAD) => ({
  regionCode: '410102',
  orgId,
  address: '郑州市中原区建设路 12 号',
  members: [
    { name: '王大力', relation: 'head', idNumber, phone: '13912345678', health: 'serious_illness', workStatus: 'laid_off', monthlyIncomeFen: '95000' },
    { name: '王小丽', relation: 'child', idNumber: CHILD, health: 'healthy', workStatus: 'student', monthlyIncomeFen: '0' },
  ],
})

describe('/api/households', () => {
  let id: string

  it('a case worker files a household; numbers come back masked, money as whole fen', async () => {
    const res = await api.request(worker, { method: 'POST', url: '/api/households', payload: filing() })
    expect(res.statusCode).toBe(201)
    const h = res.json()
    id = h.id
    expect(h).toMatchObject({ regionCode: '410102', regionName: '河南省 郑州市 中原区', fullView: false, status: 'draft' })
    expect(h.fileNo).toMatch(/^410102-\d{4}-\d{6}$/)
    expect(h.members[0]).toMatchObject({ idNumber: `4101**********${HEAD.slice(-4)}`, phone: '139****5678', sex: 'male', birthDate: '1975-11-08', monthlyIncomeFen: '95000' })
    expect(JSON.stringify(h)).not.toContain(HEAD)
  })

  it('shows numbers in full only to a role with pii.view, and audits the full view', async () => {
    const masked = await api.request(worker, { method: 'GET', url: `/api/households/${id}?full=true` })
    expect(masked.json()).toMatchObject({ fullView: false, members: [{ idNumber: `4101**********${HEAD.slice(-4)}` }, {}] })
    const full = await api.request(approver, { method: 'GET', url: `/api/households/${id}?full=true` })
    expect(full.json()).toMatchObject({ fullView: true, members: [{ idNumber: HEAD, phone: '13912345678' }, { idNumber: CHILD }] })
    const admin = await api.login('province_admin')
    const audit = await api.request(admin, { method: 'GET', url: '/api/audit?action=member.view_full' })
    expect(audit.json().items.length).toBe(1)
    expect(JSON.stringify(audit.json())).not.toContain(HEAD)
  })

  it('finds a household by ID number in the body, never the URL', async () => {
    const found = await api.request(worker, { method: 'POST', url: '/api/households/find-by-id-number', payload: { idNumber: ` ${HEAD.toLowerCase()} ` } })
    expect(found.statusCode).toBe(200)
    expect(found.json().id).toBe(id)
  })

  it('keeps another county out: get and find answer like missing', async () => {
    const outside = await api.request(worker2, { method: 'GET', url: `/api/households/${id}` })
    const missing = await api.request(worker2, { method: 'GET', url: `/api/households/${randomUUID()}` })
    expect(outside.statusCode).toBe(404)
    expect(outside.json()).toEqual(missing.json())
    const find = await api.request(worker2, { method: 'POST', url: '/api/households/find-by-id-number', payload: { idNumber: HEAD } })
    expect(find.statusCode).toBe(404)
  })

  it('refuses a second household for the same person, naming the holder and not the person', async () => {
    const again = await api.request(worker, { method: 'POST', url: '/api/households', payload: filing() })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.message).toContain('河南省 郑州市 中原区')
    expect(JSON.stringify(again.json())).not.toContain(HEAD.slice(-4))
  })

  it('names bad fields: a wrong check character, and fen that are not whole', async () => {
    const badId = HEAD.slice(0, 17) + (HEAD.endsWith('1') ? '2' : '1')
    const res = await api.request(worker, { method: 'POST', url: '/api/households', payload: filing(badId) })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain('members[0].idNumber')
    const money = await api.request(worker, { method: 'POST', url: '/api/households', payload: { ...filing(), members: [{ ...filing().members[0]!, monthlyIncomeFen: '950.5' }] } })
    expect(money.statusCode).toBe(400)
    expect(money.json().error.details[0].field).toBe('members[0].monthlyIncomeFen')
  })

  it('updates a file at its version; a stale version is 409, another county 404 like missing, no session 401', async () => {
    const current = (await api.request(worker, { method: 'GET', url: `/api/households/${id}` })).json()
    const members = current.members.map((m: { id: string; name: string; relation: string; health: string; workStatus: string; monthlyIncomeFen: string }) => ({
      id: m.id,
      name: m.name,
      relation: m.relation,
      health: m.health,
      workStatus: m.workStatus,
      monthlyIncomeFen: m.monthlyIncomeFen,
    }))
    const body = { version: current.version, address: '郑州市中原区建设路 14 号', yearlyIncomeFen: '1800000', primaryCause: 'laid_off', members }
    const res = await api.request(worker, { method: 'PUT', url: `/api/households/${id}`, payload: body })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ address: '郑州市中原区建设路 14 号', version: current.version + 1, yearlyIncomeFen: '1800000', primaryCause: 'laid_off' })
    // the phone was not sent: kept, still masked
    expect(res.json().members[0].phone).toBe('139****5678')

    const stale = await api.request(worker, { method: 'PUT', url: `/api/households/${id}`, payload: body })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().error.details[0].field).toBe('version')

    const outside = await api.request(worker2, { method: 'PUT', url: `/api/households/${id}`, payload: body })
    const missing = await api.request(worker2, { method: 'PUT', url: `/api/households/${randomUUID()}`, payload: body })
    expect(outside.statusCode).toBe(404)
    expect(outside.json()).toEqual(missing.json())

    const anonymous = await api.request(null, { method: 'PUT', url: `/api/households/${id}`, payload: body })
    expect(anonymous.statusCode).toBe(401)
  })
})
