import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { residentIdCheckChar } from '../../src/server/platform/codes/resident-id.ts'
import { type Session, type TestApi, testApi } from '../support/api.ts'

let api: TestApi
let worker: Session // case_worker, 中原区 410102
let worker2: Session // case_worker2, 二七区 410103

beforeAll(async () => {
  api = await testApi()
  worker = await api.login('case_worker')
  worker2 = await api.login('case_worker2')
})
afterAll(async () => api?.close())

const idOf = (first17: string) => first17 + residentIdCheckChar(first17)

async function file(idNumber: string): Promise<string> {
  const me = (await api.request(worker, { method: 'GET', url: '/api/auth/me' })).json()
  const res = await api.request(worker, {
    method: 'POST',
    url: '/api/households',
    payload: { regionCode: '410102', orgId: me.user.org.id, address: '中原区某路 1 号', members: [{ name: '工作台', relation: 'head', idNumber, health: 'healthy', workStatus: 'laid_off', monthlyIncomeFen: '0' }] },
  })
  expect(res.statusCode).toBe(201)
  return res.json().id
}

describe('GET /api/dashboard/summary: household figures', () => {
  it('counts files by status, unpaired and overdue within the scope only; null without household.read', async () => {
    await file(idOf('41010219700101551'))
    const onFile = await file(idOf('41010219700101562'))
    // On file for seven months, never visited, no helper.
    const sevenMonthsAgo = new Date(Date.now() - 213 * 86_400_000)
    await api.database.db.updateTable('household').set({ status: 'verified', verified_at: sevenMonthsAgo }).where('id', '=', onFile).execute()

    const mine = (await api.request(worker, { method: 'GET', url: '/api/dashboard/summary' })).json().households
    expect(mine).toMatchObject({ onFile: 1, unpaired: 1, overdueVisits: 1, pendingApprovals: 0 })
    expect(mine.byStatus).toMatchObject({ draft: 1, verified: 1, submitted: 0 })

    const neighbour = (await api.request(worker2, { method: 'GET', url: '/api/dashboard/summary' })).json().households
    expect(neighbour).toMatchObject({ onFile: 0, unpaired: 0, overdueVisits: 0 })
    expect(neighbour.byStatus.draft).toBe(0)

    const admin = (await api.request(await api.login('admin'), { method: 'GET', url: '/api/dashboard/summary' })).json()
    expect(admin.households).toBeNull()

    expect((await api.request(null, { method: 'GET', url: '/api/dashboard/summary' })).statusCode).toBe(401)
  })
})
