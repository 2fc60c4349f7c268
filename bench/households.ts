// Household files at national scale (issue 3 bench): a fast bulk generator, and the list's
// latency (p50, p95) at national, province and county scope beside a plain-SQL floor.
// Results (a Markdown table on stdout, the floors' plans on stderr) go to docs/benchmarks.md.
//
//   npx tsx bench/households.ts --engine postgres --households 3000000 --iterations 200 [--parallel-check]
//   npx tsx bench/households.ts --engine pglite   --households 300000  --iterations 200
//   (PostgreSQL: a throwaway cluster with bulk-load memory settings, or BENCH_DATABASE_URL;
//    --reuse keeps the generated database and measures it again without generating)
import { execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { parseArgs } from 'node:util'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import pg from 'pg'
import type { Database, Kysely } from '../src/server/db/database.ts'
import { residentIdCheckChar } from '../src/server/platform/codes/resident-id.ts'
import type { PiiCipher } from '../src/server/platform/pii-crypto.ts'

const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'
const given = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强文华海燕玉兰红梅国庆春梅建军'.match(/.{1,2}/gu)!
const statuses = ['verified', 'reverifying', 'submitted', 'draft', 'exited', 'removed'] as const
const causes = ['no_work_capacity', 'jobless_able', 'laid_off', 'uninsured', 'benefits_missing', 'serious_illness', 'natural_disaster', 'accident', 'schooling', 'other']
const batchCodes = ['employment', 'social_insurance', 'medical', 'assistance']
const relations = ['head', 'spouse', 'child', 'parent'] as const
const EPOCH_1950 = Date.UTC(1950, 0, 1)
const CREATED_FROM = Date.UTC(2020, 0, 1)

/** A 32-bit integer hash (lowbias32): deterministic "random" figures from the household's number. */
function mix(x: number): number {
  x = (x ^ (x >>> 16)) >>> 0
  x = Math.imul(x, 0x7feb352d) >>> 0
  x = (x ^ (x >>> 15)) >>> 0
  x = Math.imul(x, 0x846ca68b) >>> 0
  return (x ^ (x >>> 16)) >>> 0
}

export interface GenerateOptions {
  /** households to add */
  count: number
  /** the first household number (continue a previous run with its count); default 0 */
  start?: number
  /** only counties under this prefix ('' the nation: needs seedNationalUnions' county unions) */
  regionPrefix?: string
  /** households per statement batch (default 2,000) */
  batchSize?: number
  onProgress?: (done: number) => void
}

/**
 * Adds `count` households, about 3 members each (2–4), with sealed ID numbers and blind indexes
 * (through `cipher`), and the active ones' members in person_registry. Households are spread over
 * every county in `regionPrefix` that has a county union (the union holds the file; a third of the
 * files on record are paired with it). Status mix: 60 % verified, 5 % re-verifying, 5 % submitted,
 * 5 % draft, 20 % exited, 5 % removed. File numbers are <county>-2020-<n>: they never meet files
 * made through the application (which are numbered in the current year).
 *
 * Each batch is three INSERT … SELECT FROM unnest($arrays) statements, so a batch costs three
 * round trips whatever its size; only the sealing of ID numbers runs in JavaScript.
 */
export async function generateHouseholds(db: Kysely<Database>, cipher: PiiCipher, options: GenerateOptions): Promise<{ households: number; members: number }> {
  const prefix = options.regionPrefix ?? ''
  const counties = (
    await sql<{ code: string; org_id: string }>`
      SELECT DISTINCT ON (o.region_code) o.region_code AS code, o.id AS org_id
      FROM org o JOIN region r ON r.code = o.region_code AND r.level = 'county'
      WHERE o.type = 'county_union' AND o.region_code LIKE ${`${prefix}%`}
      ORDER BY o.region_code, o.created_at, o.id`.execute(db)
  ).rows
  if (counties.length === 0) throw new Error(`no county union under '${prefix}': seed organisations first`)
  const start = options.start ?? 0
  const batchSize = options.batchSize ?? 2000
  let members = 0
  // The next batch is built (and its ID numbers sealed) while the previous one is being written:
  // the build yields to the event loop now and then so the driver can send the queued statements.
  let writing: Promise<void> = Promise.resolve()
  for (let from = start; from < start + options.count; from += batchSize) {
    const to = Math.min(start + options.count, from + batchSize)
    const h = {
      province: [] as string[], id: [] as string[], fileNo: [] as string[], region: [] as string[], org: [] as string[], address: [] as string[],
      status: [] as string[], headName: [] as string[], createdAt: [] as string[], type: [] as (string | null)[], perCapita: [] as (string | null)[],
      groups: [] as string[], batches: [] as string[], cause: [] as (string | null)[], secondary: [] as string[], helper: [] as (string | null)[],
      helperPerson: [] as (string | null)[], lastVisit: [] as (string | null)[], income: [] as string[],
    }
    const m = {
      province: [] as string[], household: [] as string[], name: [] as string[], relation: [] as string[], sealed: [] as string[], index: [] as string[],
      birth: [] as string[], sex: [] as string[], health: [] as string[], work: [] as string[], income: [] as string[], registered: [] as boolean[],
      region: [] as string[], org: [] as string[],
    }
    for (let i = from; i < to; i++) {
      if ((i - from) % 250 === 249) await new Promise((resolve) => setImmediate(resolve))
      const county = counties[i % counties.length]!
      const local = Math.floor(i / counties.length)
      const r = mix(i + 1)
      const r2 = mix(r)
      const r3 = mix(r2)
      const pct = r % 100
      const status = pct < 60 ? 'verified' : pct < 65 ? 'reverifying' : pct < 70 ? 'submitted' : pct < 75 ? 'draft' : pct < 95 ? 'exited' : 'removed'
      const classified = status !== 'draft'
      const onFile = status === 'verified' || status === 'reverifying'
      const id = randomUUID()
      const surname = surnames[r2 % surnames.length]!
      const memberCount = 2 + (r3 % 3)
      const createdMs = CREATED_FROM + (r2 % (6 * 365 * 86400)) * 1000 + (r3 % 1000)
      h.province.push(county.code.slice(0, 2))
      h.id.push(id)
      h.fileNo.push(`${county.code}-2020-${String(local + 1).padStart(6, '0')}`)
      h.region.push(county.code)
      h.org.push(county.org_id)
      h.address.push(`第${(r3 % 300) + 1}号院${(r % 20) + 1}号楼`)
      h.status.push(status)
      h.createdAt.push(new Date(createdMs).toISOString().replace('Z', `${String(r % 1000).padStart(3, '0')}Z`))
      h.type.push(classified ? (['deep', 'relative', 'accident'] as const)[r3 % 3]! : null)
      h.perCapita.push(classified ? String((r2 % 150_000) - 10_000) : null)
      const g1 = 1 + (r % 5)
      const g2 = 1 + (r3 % 5)
      h.groups.push(`{${[...new Set([g1, ...(r2 % 3 === 0 ? [g2] : [])])].sort().join(',')}}`)
      h.batches.push(`{${batchCodes[r3 % 4]}${r % 4 === 0 ? `,${batchCodes[(r3 + 1) % 4]}` : ''}}`)
      h.cause.push(classified ? causes[r % 10]! : null)
      h.secondary.push(r2 % 4 === 0 ? `{${causes[(r + 3) % 10]}}` : '{}')
      const paired = onFile && r3 % 3 === 0
      h.helper.push(paired ? county.org_id : null)
      h.helperPerson.push(paired ? `${surnames[r3 % surnames.length]}干事` : null)
      h.lastVisit.push(onFile ? new Date(Date.UTC(2025, 5, 1) + (r % 540) * 86400000).toISOString().slice(0, 10) : null)
      h.income.push(String((r3 % 6_000_000) + 100_000))
      for (let j = 0; j < memberCount; j++) {
        const q = local * 4 + j
        // (birth day, sequence) is unique per county for q < 8,000,000; every birth date lies in 1950–1993
        const day = q % 16000
        const male = j === 0 || (j !== 1 && r % 2 === 0)
        const seq = Math.floor(q / 16000) * 2 + (male ? 1 : 0)
        const birth = new Date(EPOCH_1950 + day * 86400000).toISOString().slice(0, 10)
        const first17 = `${county.code}${birth.replaceAll('-', '')}${String(seq).padStart(3, '0')}`
        const idNumber = first17 + residentIdCheckChar(first17)
        const relation = relations[j]!
        m.province.push(county.code.slice(0, 2))
        m.household.push(id)
        m.name.push(j === 0 ? `${surname}${given[r % given.length]}` : j === 1 ? `${surnames[r3 % surnames.length]}${given[r2 % given.length]}` : `${surname}${given[(r + j) % given.length]}`)
        m.relation.push(relation)
        m.sealed.push(cipher.encrypt(idNumber))
        m.index.push(cipher.blindIndex('resident_id', idNumber))
        m.birth.push(birth)
        m.sex.push(male ? 'male' : 'female')
        m.health.push(j === 0 && r % 7 === 0 ? 'serious_illness' : 'healthy')
        m.work.push(j >= 2 ? 'student' : j === 0 ? 'laid_off' : 'employed')
        m.income.push(j >= 2 ? '0' : String(r2 % 300_000))
        m.registered.push(status !== 'exited' && status !== 'removed')
        m.region.push(county.code)
        m.org.push(county.org_id)
      }
      h.headName.push(m.name[m.name.length - memberCount]!)
    }
    await writing
    writing = writeBatch(db, h, m)
    members += m.name.length
    const done = to - start
    void writing.then(() => options.onProgress?.(done), () => undefined)
  }
  await writing
  return { households: options.count, members }
}

type Columns<T> = { [K in keyof T]: T[K] }

/** The three statements of one batch, in order (members and registry entries refer to the household). */
async function writeBatch(
  db: Kysely<Database>,
  h: Columns<Record<'province' | 'id' | 'fileNo' | 'region' | 'org' | 'address' | 'status' | 'headName' | 'createdAt' | 'groups' | 'batches' | 'secondary' | 'income', string[]> &
    Record<'type' | 'perCapita' | 'cause' | 'helper' | 'helperPerson' | 'lastVisit', (string | null)[]>>,
  m: Columns<Record<'province' | 'household' | 'name' | 'relation' | 'sealed' | 'index' | 'birth' | 'sex' | 'health' | 'work' | 'income' | 'region' | 'org', string[]> & { registered: boolean[] }>,
): Promise<void> {
    await sql`
      INSERT INTO household (province_code, id, file_no, region_code, org_id, address, status, head_name, created_at, updated_at,
        hardship_type, per_capita_monthly_fen, target_groups, batches, primary_cause, secondary_causes, helper_org_id, helper_person,
        paired_on, last_visit_on, yearly_income_fen, classified_at, verified_at)
      SELECT province, id, file_no, region, org, address, status, head_name, created_at, created_at,
        type, per_capita, groups::smallint[], batches::text[], cause, secondary::text[], helper, helper_person,
        CASE WHEN helper IS NULL THEN NULL ELSE created_at::date END, last_visit, income,
        CASE WHEN type IS NULL THEN NULL ELSE created_at END, CASE WHEN status IN ('verified', 'reverifying', 'exited') THEN created_at END
      FROM unnest(${h.province}::text[], ${h.id}::uuid[], ${h.fileNo}::text[], ${h.region}::text[], ${h.org}::uuid[], ${h.address}::text[],
        ${h.status}::text[], ${h.headName}::text[], ${h.createdAt}::timestamptz[], ${h.type}::text[], ${h.perCapita}::bigint[], ${h.groups}::text[],
        ${h.batches}::text[], ${h.cause}::text[], ${h.secondary}::text[], ${h.helper}::uuid[], ${h.helperPerson}::text[], ${h.lastVisit}::date[],
        ${h.income}::bigint[])
        AS t(province, id, file_no, region, org, address, status, head_name, created_at, type, per_capita, groups, batches, cause, secondary,
             helper, helper_person, last_visit, income)`.execute(db)
    await sql`
      INSERT INTO household_member (province_code, household_id, name, relation, id_number_sealed, id_number_index, birth_date, sex, health, work_status, monthly_income_fen)
      SELECT * FROM unnest(${m.province}::text[], ${m.household}::uuid[], ${m.name}::text[], ${m.relation}::text[], ${m.sealed}::text[], ${m.index}::text[],
        ${m.birth}::date[], ${m.sex}::text[], ${m.health}::text[], ${m.work}::text[], ${m.income}::bigint[])`.execute(db)
    await sql`
      INSERT INTO person_registry (id_number_index, household_id, province_code, region_code, org_id)
      SELECT idx, hh, prov, region, org FROM unnest(${m.index}::text[], ${m.household}::uuid[], ${m.province}::text[], ${m.region}::text[], ${m.org}::uuid[], ${m.registered}::boolean[])
        AS t(idx, hh, prov, region, org, registered)
      WHERE registered`.execute(db)
}

export interface ListBenchCase {
  name: string
  /** which signed-in user asks */
  as: 'national' | 'province' | 'county'
  /** the query string of GET /api/households */
  query: string
  /** the same page by the plainest SQL */
  floor: string
}

export interface ListBenchResult {
  name: string
  as: ListBenchCase['as']
  p50: number
  p95: number
  floorP50: number
  floorP95: number
  rows: number
}

/** The cases measured: each scope, the default order, the other orders, and the filters people use most. */
export function householdListCases(ids: { helperOrgId: string; memberName: string }): ListBenchCase[] {
  const cols = 'h.*'
  return [
    { name: 'national, file-number order', as: 'national', query: 'limit=50', floor: `SELECT ${cols} FROM household h ORDER BY region_code, file_no, id LIMIT 51` },
    { name: 'national, on record, newest first', as: 'national', query: 'status=verified&sort=-createdAt&limit=50', floor: `SELECT ${cols} FROM household h WHERE status = 'verified' ORDER BY created_at DESC, id DESC LIMIT 51` },
    { name: 'national, deep hardship, lowest per capita', as: 'national', query: 'hardshipType=deep&sort=perCapita&limit=50', floor: `SELECT ${cols} FROM household h WHERE hardship_type = 'deep' ORDER BY coalesce(per_capita_monthly_fen, 9223372036854775807), id LIMIT 51` },
    { name: `national, full name ${ids.memberName} (any member)`, as: 'national', query: `name=${encodeURIComponent(ids.memberName)}&limit=50`, floor: `SELECT ${cols} FROM household h WHERE EXISTS (SELECT 1 FROM household_member m WHERE m.name LIKE '${ids.memberName}%' AND m.province_code = h.province_code AND m.household_id = h.id) ORDER BY region_code, file_no, id LIMIT 51` },
    { name: 'province, file-number order', as: 'province', query: 'limit=50', floor: `SELECT ${cols} FROM household h WHERE region_code LIKE '41%' ORDER BY region_code, file_no, id LIMIT 51` },
    { name: 'province, submitted (awaiting approval)', as: 'province', query: 'status=submitted&limit=50', floor: `SELECT ${cols} FROM household h WHERE region_code LIKE '41%' AND status = 'submitted' ORDER BY region_code, file_no, id LIMIT 51` },
    { name: 'province, newest first', as: 'province', query: 'sort=-createdAt&limit=50', floor: `SELECT ${cols} FROM household h WHERE region_code LIKE '41%' ORDER BY created_at DESC, id DESC LIMIT 51` },
    { name: 'province, cause serious illness + group 3, per capita', as: 'province', query: 'cause=serious_illness&group=3&sort=perCapita&limit=50', floor: `SELECT ${cols} FROM household h WHERE region_code LIKE '41%' AND (primary_cause = 'serious_illness' OR secondary_causes @> '{serious_illness}') AND target_groups @> '{3}' ORDER BY coalesce(per_capita_monthly_fen, 9223372036854775807), id LIMIT 51` },
    { name: 'province, surname 张 (heads)', as: 'province', query: `name=${encodeURIComponent('张')}&limit=50`, floor: `SELECT ${cols} FROM household h WHERE region_code LIKE '41%' AND head_name LIKE '张%' ORDER BY region_code, file_no, id LIMIT 51` },
    { name: `province, full name ${ids.memberName} (any member)`, as: 'province', query: `name=${encodeURIComponent(ids.memberName)}&limit=50`, floor: `SELECT ${cols} FROM household h WHERE region_code LIKE '41%' AND EXISTS (SELECT 1 FROM household_member m WHERE m.name LIKE '${ids.memberName}%' AND m.province_code = h.province_code AND m.household_id = h.id) ORDER BY region_code, file_no, id LIMIT 51` },
    { name: 'province, helper organisation', as: 'province', query: `helperOrgId=${ids.helperOrgId}&limit=50`, floor: `SELECT ${cols} FROM household h WHERE helper_org_id = '${ids.helperOrgId}' ORDER BY region_code, file_no, id LIMIT 51` },
    { name: 'county, file-number order', as: 'county', query: 'limit=50', floor: `SELECT ${cols} FROM household h WHERE region_code = '410102' ORDER BY region_code, file_no, id LIMIT 51` },
    { name: 'county, on record, newest first', as: 'county', query: 'status=verified&sort=-createdAt&limit=50', floor: `SELECT ${cols} FROM household h WHERE region_code = '410102' AND status = 'verified' ORDER BY created_at DESC, id DESC LIMIT 51` },
    { name: 'county, surname 张 (heads)', as: 'county', query: `name=${encodeURIComponent('张')}&limit=50`, floor: `SELECT ${cols} FROM household h WHERE region_code = '410102' AND head_name LIKE '张%' ORDER BY region_code, file_no, id LIMIT 51` },
    { name: 'county, batch medical, not paired', as: 'county', query: 'batch=medical&paired=false&limit=50', floor: `SELECT ${cols} FROM household h WHERE region_code = '410102' AND batches @> '{medical}' AND helper_org_id IS NULL ORDER BY region_code, file_no, id LIMIT 51` },
  ]
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

async function timed(iterations: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < Math.min(10, iterations); i++) await fn()
  const times: number[] = []
  for (let i = 0; i < iterations; i++) {
    const t = performance.now()
    await fn()
    times.push(performance.now() - t)
  }
  times.sort((a, b) => a - b)
  return { p50: percentile(times, 50), p95: percentile(times, 95) }
}

/**
 * p50 and p95 of GET /api/households through app.inject (routing, session, scope, decoration,
 * serialisation) for each case, and of its floor query on the same database in the same run.
 * `sessions` are cookies (`jk_sid=…`) of users at national, province (41) and county (410102) scope.
 */
export async function benchHouseholdList(options: {
  app: FastifyInstance
  db: Kysely<Database>
  sessions: Record<ListBenchCase['as'], string>
  cases: ListBenchCase[]
  iterations: number
}): Promise<ListBenchResult[]> {
  const results: ListBenchResult[] = []
  for (const c of options.cases) {
    let rows = 0
    const run = async () => {
      const res = await options.app.inject({ method: 'GET', url: `/api/households?${c.query}`, headers: { cookie: options.sessions[c.as] } })
      if (res.statusCode !== 200) throw new Error(`${c.query}: ${res.statusCode} ${res.body}`)
      rows = (res.json() as { items: unknown[] }).items.length
    }
    const api = await timed(options.iterations, run)
    const floor = await timed(options.iterations, () => sql.raw(c.floor).execute(options.db))
    results.push({ name: c.name, as: c.as, p50: api.p50, p95: api.p95, floorP50: floor.p50, floorP95: floor.p95, rows })
  }
  return results
}

/**
 * PostgreSQL only: what the list's `SET LOCAL max_parallel_workers_per_gather = 0` costs against
 * the same setting made once per connection (as `-c jit=off` is in engine.ts). Both run each
 * floor query without parallel workers, so the plans are the same; the difference is the
 * transaction around the query (BEGIN, SET LOCAL, COMMIT: three more round trips).
 */
export async function benchParallelSetting(databaseUrl: string, cases: ListBenchCase[], iterations: number): Promise<{ name: string; perQuery: number; perConnection: number }[]> {
  const local = new pg.Client({ connectionString: databaseUrl, options: '-c jit=off' })
  const conn = new pg.Client({ connectionString: databaseUrl, options: '-c jit=off -c max_parallel_workers_per_gather=0' })
  await local.connect()
  await conn.connect()
  const out: { name: string; perQuery: number; perConnection: number }[] = []
  try {
    for (const c of cases) {
      const a = await timed(iterations, async () => {
        await local.query('BEGIN')
        await local.query('SET LOCAL max_parallel_workers_per_gather = 0')
        await local.query(c.floor)
        await local.query('COMMIT')
      })
      const b = await timed(iterations, () => conn.query(c.floor))
      out.push({ name: c.name, perQuery: a.p50, perConnection: b.p50 })
    }
  } finally {
    await local.end()
    await conn.end()
  }
  return out
}

/** The results as the Markdown table docs/benchmarks.md holds. */
export function resultTable(results: ListBenchResult[]): string {
  const lines = [
    '| list (GET /api/households, through inject) | scope | rows | p50 ms | p95 ms | floor p50 ms | floor p95 ms |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...results.map((r) => `| ${r.name} | ${r.as} | ${r.rows} | ${r.p50.toFixed(2)} | ${r.p95.toFixed(2)} | ${r.floorP50.toFixed(2)} | ${r.floorP95.toFixed(2)} |`),
  ]
  return lines.join('\n')
}

/**
 * The secondary indexes of the household tables (not those behind a primary key or unique
 * constraint), dropped before a bulk load and built again after it: building an index once over
 * 3 million rows is several times faster than keeping ten of them up to date row by row.
 */
export async function dropSecondaryIndexes(db: Kysely<Database>): Promise<{ name: string; def: string }[]> {
  const { rows } = await sql<{ name: string; def: string }>`
    SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
    WHERE i.schemaname = current_schema() AND i.tablename IN ('household', 'household_member', 'person_registry')
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)
    ORDER BY i.tablename, i.indexname`.execute(db)
  for (const r of rows) await sql`DROP INDEX ${sql.id(r.name)}`.execute(db)
  return rows
}

// Run directly: the demo seed, a nation of county unions (seedNationalUnions), N households spread
// over every county, then the list cases beside their floors, and the floors' plans on stderr.
//
//   PostgreSQL: a throwaway cluster started with bulk-load memory settings, or BENCH_DATABASE_URL
//     npx tsx bench/households.ts --engine postgres --households 3000000 --iterations 100
//   PGlite: a temporary data folder
//     npx tsx bench/households.ts --engine pglite --households 300000 --iterations 100
if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      engine: { type: 'string', default: 'postgres' },
      households: { type: 'string', default: '300000' },
      iterations: { type: 'string', default: '100' },
      // keep the generated database (PostgreSQL: the cluster too), and use it again when it is there
      reuse: { type: 'boolean', default: false },
      // PGlite: the data folder to use (kept with --reuse)
      'data-dir': { type: 'string' },
      // PostgreSQL: also compare SET LOCAL max_parallel_workers_per_gather per query with the setting per connection
      'parallel-check': { type: 'boolean', default: false },
      // skip the list cases (with --parallel-check: only that comparison)
      'no-list': { type: 'boolean', default: false },
    },
  })
  const fs = await import('node:fs')
  const os = await import('node:os')
  const path = await import('node:path')
  const { buildApp } = await import('../src/server/app.ts')
  const { createPiiCipher } = await import('../src/server/platform/pii-crypto.ts')
  const { openDatabase } = await import('../src/server/db/engine.ts')
  const { migrateToLatest } = await import('../src/server/db/migrator.ts')
  const { ensureBuiltInRoles } = await import('../src/server/modules/access/roles.service.ts')
  const { seedDemo } = await import('../src/server/seed/demo.ts')
  const { seedNationalUnions } = await import('../src/server/seed/national.ts')
  const engine = values.engine as 'postgres' | 'pglite'
  const log = (msg: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`)
  let cleanup = () => {}
  let databaseUrl: string | null = null
  let dataDir = ''
  let reuse = false
  if (engine === 'postgres') {
    let adminUrl = process.env.BENCH_DATABASE_URL
    if (!adminUrl) {
      // Memory for the bulk load and the index builds; durability is already off in a throwaway cluster.
      const env = { ...process.env, PG_THROWAWAY_OPTIONS: process.env.PG_THROWAWAY_OPTIONS ?? '-c shared_buffers=2GB -c maintenance_work_mem=1GB -c max_wal_size=8GB -c checkpoint_timeout=30min' }
      const out = execFileSync('scripts/pg-throwaway.sh', { encoding: 'utf8', env }).trim()
      const [url, clusterDir] = out.split(' ') as [string, string]
      adminUrl = url
      log(`throwaway cluster ${url} in ${clusterDir}${values.reuse ? ' (kept: BENCH_DATABASE_URL=' + url + ' --reuse next time; scripts/pg-throwaway.sh stop ' + clusterDir + ')' : ''}`)
      if (!values.reuse) cleanup = () => execFileSync('scripts/pg-throwaway.sh', ['stop', clusterDir])
    }
    const admin = new pg.Client({ connectionString: adminUrl })
    await admin.connect()
    const exists = (await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'jiekun_bench_households'`)).rowCount === 1
    reuse = values.reuse && exists
    if (!reuse) {
      await admin.query('DROP DATABASE IF EXISTS jiekun_bench_households WITH (FORCE)')
      await admin.query('CREATE DATABASE jiekun_bench_households')
    }
    await admin.end()
    const u = new URL(adminUrl)
    u.pathname = '/jiekun_bench_households'
    databaseUrl = u.toString()
  } else {
    dataDir = values['data-dir'] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'jiekun-bench-households-'))
    reuse = values.reuse && fs.existsSync(path.join(dataDir, 'pgdata'))
    if (!values.reuse) cleanup = () => fs.rmSync(dataDir, { recursive: true, force: true })
  }
  const database = await openDatabase({ databaseUrl, dataDir })
  const db = database.db
  const password = 'bench-password-1'
  // A fixed key, so a kept database (--reuse) can still be read.
  const cipher = createPiiCipher(Buffer.alloc(32, 7))
  const n = Number(values.households)
  const phases: string[] = []
  let made = { households: n, members: 0 }
  if (!reuse) {
    let t = performance.now()
    await migrateToLatest(db)
    await ensureBuiltInRoles(db)
    await seedDemo(db, { password, grassrootsPerCounty: 1 })
    await seedNationalUnions(db, { grassrootsPerCounty: 0 })
    const demoHouseholds = Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM household`.execute(db)).rows[0]!.n)
    phases.push(`schema, demo seed (${demoHouseholds} households) and national unions ${((performance.now() - t) / 1000).toFixed(0)} s`)
    t = performance.now()
    // One connection for the whole load: its foreign-key triggers are off (session_replication_role
    // = replica; the generator writes households before the rows that refer to them), and the
    // secondary indexes are built once at the end.
    made = await db.connection().execute(async (conn) => {
      const indexes = await dropSecondaryIndexes(conn)
      await sql`SET session_replication_role = replica`.execute(conn)
      const result = await generateHouseholds(conn, cipher, {
        count: n,
        batchSize: 5000,
        onProgress: (d) => d % 100_000 === 0 && log(`${d} households, ${((performance.now() - t) / 1000).toFixed(0)} s`),
      })
      await sql`RESET session_replication_role`.execute(conn)
      phases.push(`${n.toLocaleString('en')} households generated (ID numbers sealed) ${((performance.now() - t) / 1000).toFixed(0)} s`)
      t = performance.now()
      for (const index of indexes) await sql.raw(index.def).execute(conn)
      phases.push(`${indexes.length} secondary indexes built ${((performance.now() - t) / 1000).toFixed(0)} s`)
      return result
    })
    t = performance.now()
    await sql`VACUUM ANALYZE`.execute(db)
    phases.push(`VACUUM ANALYZE ${((performance.now() - t) / 1000).toFixed(0)} s`)
    // The demo's administrators may not read household files; the bench (only) gives them the inspector's reading role.
    await sql`INSERT INTO user_role (user_id, role_code) SELECT id, 'inspector' FROM app_user WHERE username IN ('admin', 'province_admin') ON CONFLICT DO NOTHING`.execute(db)
  } else {
    await migrateToLatest(db)
    await sql`ANALYZE household`.execute(db)
    made.households = Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM household`.execute(db)).rows[0]!.n)
    made.members = Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM household_member`.execute(db)).rows[0]!.n)
  }
  for (const p of phases) log(p)
  const app = await buildApp({ database, loginRateLimit: 1000, piiCipher: cipher })
  await app.ready()
  const login = async (username: string) => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } })
    return `jk_sid=${res.cookies.find((c) => c.name === 'jk_sid')!.value}`
  }
  const sessions = { national: await login('admin'), province: await login('province_admin'), county: await login('case_worker') }
  const helper = (await sql<{ id: string }>`SELECT helper_org_id AS id FROM household WHERE helper_org_id IS NOT NULL AND region_code LIKE '41%' LIMIT 1`.execute(db)).rows[0]!.id
  // a full name the generator gives (surname 张, given name 伟芳): about one member in 4,000
  const cases = householdListCases({ helperOrgId: helper, memberName: `张${given[0]}` })
  const [load] = await import('node:os').then((o) => o.loadavg())
  const results = values['no-list'] ? [] : await benchHouseholdList({ app, db, sessions, cases, iterations: Number(values.iterations) })
  const [loadAfter] = os.loadavg()
  const label = engine === 'postgres' ? 'PostgreSQL' : 'PGlite'
  console.log(`\n### ${label} — ${made.households.toLocaleString('en')} households, ${made.members.toLocaleString('en')} members, ${values.iterations} requests each (load average ${load!.toFixed(2)} before, ${loadAfter!.toFixed(2)} after)\n`)
  console.log(resultTable(results))
  if (phases.length > 0) console.log(`\nPreparation: ${phases.join('; ')}.`)
  if (databaseUrl && values['parallel-check']) {
    const check = await benchParallelSetting(databaseUrl, cases, Number(values.iterations))
    console.log('\n| floor query without parallel workers | SET LOCAL in a transaction, p50 ms | set per connection, p50 ms |\n|---|---:|---:|')
    for (const r of check) console.log(`| ${r.name} | ${r.perQuery.toFixed(2)} | ${r.perConnection.toFixed(2)} |`)
  }
  for (const c of values['no-list'] ? [] : cases) {
    const plan = await sql.raw<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) ${c.floor}`).execute(db)
    process.stderr.write(`\n-- ${c.name}\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}\n`)
  }
  await app.close()
  await database.close()
  cleanup()
}
