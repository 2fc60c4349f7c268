import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemoHouseholds } from '../../src/server/seed/households.ts'
import { seedDemoPostings } from '../../src/server/seed/postings.ts'
import { type TestApi, testApi, testCipher } from '../support/api.ts'

// Issue 4, done when: "No public page or export ever shows an unmasked name, ID number, address or
// phone (a test crawls the public pages of the demo and checks)". This builds the demo's households,
// applications and postings (as `npm start` seeds it), follows every link of
// the public posting API from its list, and looks for every member's name, ID number and phone and
// every household's address in every answer. The browser side of the same check is
// test/e2e/public-postings.test.ts.

let api: TestApi
let seeded: { applications: number; postings: number }
beforeAll(async () => {
  api = await testApi()
  await seedDemoHouseholds(api.database.db, testCipher)
  seeded = await seedDemoPostings(api.database.db, testCipher)
}, 120_000)
afterAll(async () => api?.close())

describe('the public posting pages of the demo', () => {
  it('show masked names and ID numbers and never a full name, ID number, address or phone', async () => {
    expect(seeded.postings).toBe(2)
    const bodies: string[] = []
    const list = await api.request(null, { method: 'GET', url: '/api/public/postings' })
    expect(list.statusCode).toBe(200)
    bodies.push(list.body)
    const postings = list.json().items as { id: string; regionCode: string }[]
    expect(postings).toHaveLength(2)
    for (const region of new Set(postings.flatMap((p) => [p.regionCode.slice(0, 2), p.regionCode.slice(0, 4), p.regionCode]))) {
      bodies.push((await api.request(null, { method: 'GET', url: `/api/public/postings?region=${region}` })).body)
    }
    let items = 0
    for (const p of postings) {
      const res = await api.request(null, { method: 'GET', url: `/api/public/postings/${p.id}` })
      expect(res.statusCode).toBe(200)
      bodies.push(res.body)
      for (const item of res.json().items as { maskedName: string; maskedId: string }[]) {
        items++
        expect(item.maskedName).toMatch(/\*/)
        expect(item.maskedId).toMatch(/^\d{4}\*{10}[\dX]{4}$/)
      }
    }
    expect(items).toBeGreaterThan(6)

    const db = api.database.db
    const members = await db.selectFrom('household_member').select(['name', 'id_number_sealed', 'phone_sealed']).execute()
    const households = await db.selectFrom('household').select(['address', 'bank_account_sealed']).execute()
    const secrets = [
      ...members.flatMap((m) => [m.name, testCipher.decrypt(m.id_number_sealed), ...(m.phone_sealed ? [testCipher.decrypt(m.phone_sealed)] : [])]),
      ...households.flatMap((h) => [h.address, ...(h.bank_account_sealed ? [testCipher.decrypt(h.bank_account_sealed)] : [])]),
    ].filter((s) => s.length >= 2)
    expect(secrets.length).toBeGreaterThan(1000)
    const text = bodies.join('\n')
    const leaked = secrets.filter((s) => text.includes(s))
    expect(leaked).toEqual([])
  }, 60_000)
})
