import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateHouseholds } from '../../bench/households.ts'
import { login } from '../../src/server/modules/access/auth.service.ts'
import { type HouseholdListItem, type HouseholdListQuery, listHouseholds, planExport } from '../../src/server/modules/households/list.service.ts'
import { AppError } from '../../src/server/platform/errors.ts'
import { createPiiCipher } from '../../src/server/platform/pii-crypto.ts'
import { type Principal, systemPrincipal } from '../../src/server/platform/principal.ts'
import { type TestDatabase, testDatabase } from '../support/db.ts'
import { TEST_PASSWORD } from '../support/engine.ts'

let database: TestDatabase
let nation: Principal
let worker: Principal // case_worker, county 410102
let approver: Principal // city 4101
const cipher = createPiiCipher(Buffer.alloc(32, 7))

/** What the list is checked against: every household, with the facts the filters and sorts read. */
interface Fact {
  id: string
  region_code: string
  file_no: string
  created_key: string
  per_capita: bigint | null
  status: string
  hardship_type: string | null
  primary_cause: string | null
  secondary_causes: string[]
  target_groups: number[]
  batches: string[]
  helper_org_id: string | null
  org_id: string
  head_name: string
  names: string[]
}
let facts: Fact[]

async function signIn(username: string): Promise<Principal> {
  return (await login(database.db, username, TEST_PASSWORD, { ip: null, userAgent: null, requestId: `test-${username}` })).principal
}

beforeAll(async () => {
  database = await testDatabase()
  // 400 households over the counties of 郑州市 (those with a county union), 2–4 members each.
  await generateHouseholds(database.db, cipher, { count: 400, regionPrefix: '4101', batchSize: 200 })
  nation = systemPrincipal('test-list')
  worker = await signIn('case_worker')
  approver = await signIn('approver')
  const { rows } = await sql<Fact & { per_capita: string | null }>`
    SELECT h.id, h.region_code, h.file_no,
           to_char(h.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_key,
           h.per_capita_monthly_fen::text AS per_capita, h.status, h.hardship_type, h.primary_cause, h.secondary_causes,
           h.target_groups, h.batches, h.helper_org_id, h.org_id, h.head_name,
           coalesce((SELECT array_agg(m.name) FROM household_member m WHERE m.province_code = h.province_code AND m.household_id = h.id), '{}') AS names
    FROM household h`.execute(database.db)
  facts = rows.map((r) => ({ ...r, per_capita: r.per_capita === null ? null : BigInt(r.per_capita), target_groups: r.target_groups.map(Number) }))
}, 120_000)
afterAll(async () => database?.drop())

const MAX = 9223372036854775807n
const cmp = (a: string | bigint, b: string | bigint) => (a < b ? -1 : a > b ? 1 : 0)
const orders: Record<string, (a: Fact, b: Fact) => number> = {
  fileNo: (a, b) => cmp(a.region_code, b.region_code) || cmp(a.file_no, b.file_no) || cmp(a.id, b.id),
  createdAt: (a, b) => cmp(a.created_key, b.created_key) || cmp(a.id, b.id),
  perCapita: (a, b) => cmp(a.per_capita ?? MAX, b.per_capita ?? MAX) || cmp(a.id, b.id),
}

/** The ids the list should give, in order. */
function expected(prefix: string, keep: (f: Fact) => boolean, sort = 'fileNo'): string[] {
  const desc = sort.startsWith('-')
  const order = orders[desc ? sort.slice(1) : sort]!
  return facts
    .filter((f) => f.region_code.startsWith(prefix) && keep(f))
    .sort((a, b) => (desc ? -order(a, b) : order(a, b)))
    .map((f) => f.id)
}

/** Every page of the list, following the cursors; fails on a repeated row. */
async function all(p: Principal, q: HouseholdListQuery, limit = 23): Promise<HouseholdListItem[]> {
  const items: HouseholdListItem[] = []
  let cursor: string | undefined
  for (let pages = 0; pages < 1000; pages++) {
    const page = await listHouseholds(database.db, p, { ...q, limit, cursor })
    expect(page.items.length).toBeLessThanOrEqual(limit)
    items.push(...page.items)
    if (!page.nextCursor) break
    expect(page.items.length).toBe(limit)
    cursor = page.nextCursor
  }
  expect(new Set(items.map((i) => i.id)).size).toBe(items.length)
  return items
}

describe('household list', () => {
  it('has enough generated data to mean something', () => {
    expect(facts.length).toBeGreaterThanOrEqual(400)
    expect(facts.filter((f) => f.region_code === '410102').length).toBeGreaterThan(5)
  })

  for (const sort of ['fileNo', '-fileNo', 'createdAt', '-createdAt', 'perCapita', '-perCapita'] as const) {
    it(`sort ${sort}: keyset pages cover every row in order, without gaps or repeats`, async () => {
      const items = await all(nation, { sort })
      expect(items.map((i) => i.id)).toEqual(expected('', () => true, sort))
    })
  }

  it('the default sort is the file number, and a page holds the decorated columns', async () => {
    const page = await listHouseholds(database.db, worker, { limit: 5 })
    expect(page.items.map((i) => i.id)).toEqual(expected('410102', () => true).slice(0, 5))
    const first = page.items[0]!
    const fact = facts.find((f) => f.id === first.id)!
    expect(first.regionName).toBe('郑州市中原区')
    expect(first.orgName).not.toBe('')
    expect(first.memberCount).toBe(fact.names.length)
    expect(fact.names).toContain(first.headName)
    expect(first.perCapitaMonthlyFen).toBe(fact.per_capita)
  })

  const filters: [string, HouseholdListQuery, (f: Fact) => boolean][] = [
    ['status', { status: 'verified' }, (f) => f.status === 'verified'],
    ['hardship type', { hardshipType: 'deep' }, (f) => f.hardship_type === 'deep'],
    ['cause (primary or secondary)', { cause: 'serious_illness' }, (f) => f.primary_cause === 'serious_illness' || f.secondary_causes.includes('serious_illness')],
    ['target group', { group: 3 }, (f) => f.target_groups.includes(3)],
    ['batch', { batch: 'medical' }, (f) => f.batches.includes('medical')],
    ['paired', { paired: true }, (f) => f.helper_org_id !== null],
    ['not paired', { paired: false }, (f) => f.helper_org_id === null],
    ['file number prefix', { fileNo: '410102-2020-00' }, (f) => f.file_no.startsWith('410102-2020-00')],
    ['several at once', { status: 'verified', batch: 'employment', group: 1 }, (f) => f.status === 'verified' && f.batches.includes('employment') && f.target_groups.includes(1)],
  ]
  for (const [name, q, keep] of filters) {
    it(`filter: ${name}`, async () => {
      const want = expected('', keep)
      expect(want.length).toBeGreaterThan(0)
      expect(want.length).toBeLessThan(facts.length)
      expect((await all(nation, q)).map((i) => i.id)).toEqual(want)
    })
  }

  it('filter: helper and holding organisation', async () => {
    const helper = facts.find((f) => f.helper_org_id !== null)!.helper_org_id!
    expect((await all(nation, { helperOrgId: helper })).map((i) => i.id)).toEqual(expected('', (f) => f.helper_org_id === helper))
    const org = facts.find((f) => f.region_code === '410103')!.org_id
    expect((await all(nation, { orgId: org })).map((i) => i.id)).toEqual(expected('', (f) => f.org_id === org))
  })

  it('filter: name is a prefix of any member\'s name (surname, full name, not only the head)', async () => {
    const someone = facts.find((f) => f.names.length >= 3)!
    const full = someone.names[2]!
    const got = await all(nation, { name: full })
    expect(got.map((i) => i.id)).toEqual(expected('', (f) => f.names.some((n) => n.startsWith(full))))
    expect(got.map((i) => i.id)).toContain(someone.id)
    // two characters or more, inside a city (the member search is narrowed to the province)
    const inCity = await all(approver, { name: full })
    expect(inCity.map((i) => i.id)).toEqual(expected('4101', (f) => f.names.some((n) => n.startsWith(full))))
    // LIKE wildcards are literal
    expect((await all(nation, { name: '%' })).length).toBe(0)
    expect((await all(nation, { name: '张%' })).length).toBe(0)
  })

  it('filter: one character is the surname of the head (not of the other members), in every scope and order', async () => {
    // a household whose spouse has another surname than the head
    const mixed = facts.find((f) => f.names.length >= 2 && f.names.some((n) => n[0] !== f.head_name[0]) && f.region_code === '410102')!
    const other = mixed.names.find((n) => n[0] !== mixed.head_name[0])!
    const surname = other.slice(0, 1)
    const heads = (f: Fact) => f.head_name.startsWith(surname)
    const got = (await all(nation, { name: surname })).map((i) => i.id)
    expect(got).toEqual(expected('', heads))
    expect(got).not.toContain(mixed.id)
    expect(got.length).toBeGreaterThan(0)
    // the spouse's full name still finds the household
    expect((await all(nation, { name: other })).map((i) => i.id)).toContain(mixed.id)
    expect((await all(worker, { name: mixed.head_name[0]! })).map((i) => i.id)).toEqual(expected('410102', (f) => f.head_name.startsWith(mixed.head_name[0]!)))
    expect((await all(approver, { name: surname, sort: '-createdAt' })).map((i) => i.id)).toEqual(expected('4101', heads, '-createdAt'))
    expect((await all(nation, { name: surname, sort: 'perCapita' })).map((i) => i.id)).toEqual(expected('', heads, 'perCapita'))
  })

  it('filter: region subtree (province, city, county codes)', async () => {
    expect((await all(nation, { regionCode: '410000' })).length).toBe(expected('41', () => true).length)
    expect((await all(nation, { regionCode: '410100' })).map((i) => i.id)).toEqual(expected('4101', () => true))
    expect((await all(nation, { regionCode: '410103', sort: '-createdAt' })).map((i) => i.id)).toEqual(expected('410103', () => true, '-createdAt'))
    expect((await all(nation, { regionCode: '420100' })).length).toBe(0)
  })

  it('scope: a county user sees only their county; a region filter outside it answers an empty list', async () => {
    const mine = expected('410102', () => true)
    expect((await all(worker, {})).map((i) => i.id)).toEqual(mine)
    // a wider filter is narrowed to the scope, a foreign one is simply empty
    expect((await all(worker, { regionCode: '410000' })).map((i) => i.id)).toEqual(mine)
    expect((await all(worker, { regionCode: '410103' })).length).toBe(0)
    expect((await all(worker, { orgId: facts.find((f) => f.region_code === '410103')!.org_id })).length).toBe(0)
    // a city user sees the city
    expect((await all(approver, { sort: 'perCapita' })).map((i) => i.id)).toEqual(expected('4101', () => true, 'perCapita'))
  })

  it('an industry-scoped user sees no household files (households carry no industry)', async () => {
    const industry: Principal = { ...nation, scope: { regionPrefix: '41', industry: 'railway' } }
    expect((await listHouseholds(database.db, industry, {})).items).toEqual([])
  })

  it('refuses bad filters and forged cursors by field', async () => {
    const fields = async (q: HouseholdListQuery) => {
      const err = await listHouseholds(database.db, nation, q).then(
        () => null,
        (e: unknown) => e,
      )
      expect(err).toBeInstanceOf(AppError)
      return ((err as AppError).details as { field: string }[]).map((d) => d.field)
    }
    expect(await fields({ status: 'nope', cause: 'x', group: 9, helperOrgId: 'x', regionCode: '41' })).toEqual(['status', 'cause', 'group', 'helperOrgId', 'regionCode'])
    expect(await fields({ cursor: 'garbage' })).toEqual(['cursor'])
    const page = await listHouseholds(database.db, nation, { limit: 2, sort: 'createdAt' })
    // a createdAt cursor is no perCapita cursor
    expect(await fields({ sort: 'perCapita', cursor: page.nextCursor! })).toEqual(['cursor'])
  })

  it('a user without household.read is refused', async () => {
    const admin = await signIn('admin')
    await expect(listHouseholds(database.db, admin, {})).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })

  it('export plan: counts, audits, chunks the whole list in order, and refuses beyond the cap', async () => {
    const plan = await planExport(database.db, worker, { status: 'verified' })
    const want = expected('410102', (f) => f.status === 'verified')
    expect(plan.rows).toBe(want.length)
    const got: string[] = []
    for await (const chunk of plan.chunks()) got.push(...chunk.map((i) => i.id))
    expect(got).toEqual(want)
    const entry = await database.db
      .selectFrom('audit_log')
      .select(['action', 'after', 'actor_name', 'region_code'])
      .where('action', '=', 'household.export')
      .orderBy('at', 'desc')
      .executeTakeFirstOrThrow()
    expect(entry).toMatchObject({ actor_name: 'case_worker', region_code: '410102', after: { filters: { status: 'verified' }, rows: want.length } })
    await expect(planExport(database.db, nation, {}, null, 10)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
    await expect(planExport(database.db, approver, {})).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })
})
