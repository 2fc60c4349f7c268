// Measures the platform's hot reads on a nation-sized organisation tree, each beside its
// floor: the same rows fetched by the plainest SQL, in the same run, on the same database.
//
//   npm run bench -- --engine pglite   [--per-county 100] [--iterations 200]
//   npm run bench -- --engine postgres [--per-county 1000]   (BENCH_DATABASE_URL, or a throwaway cluster)
//
// Results go to stdout as a Markdown table for docs/benchmarks.md.
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import pg from 'pg'
import { buildApp } from '../src/server/app.ts'
import { createPiiCipher } from '../src/server/platform/pii-crypto.ts'
import { openDatabase } from '../src/server/db/engine.ts'
import { migrateToLatest } from '../src/server/db/migrator.ts'
import { ensureBuiltInRoles } from '../src/server/modules/access/roles.service.ts'
import { seedDemo } from '../src/server/seed/demo.ts'
import { seedNationalUnions } from '../src/server/seed/national.ts'

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'pglite' },
    'per-county': { type: 'string', default: '100' },
    iterations: { type: 'string', default: '200' },
  },
})
const engine = values.engine as 'pglite' | 'postgres'
const perCounty = Number(values['per-county'])
const iterations = Number(values.iterations)
const password = 'bench-password-1'

let cleanup = async () => {}
let databaseUrl: string | null = null
let dataDir = ''
if (engine === 'postgres') {
  let adminUrl = process.env.BENCH_DATABASE_URL
  let clusterDir = ''
  if (!adminUrl) {
    const out = execFileSync('scripts/pg-throwaway.sh', { encoding: 'utf8' }).trim()
    adminUrl = out.split(' ')[0]!
    clusterDir = out.split(' ')[1]!
  }
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query('DROP DATABASE IF EXISTS jiekun_bench WITH (FORCE)')
  await admin.query('CREATE DATABASE jiekun_bench')
  await admin.end()
  const u = new URL(adminUrl)
  u.pathname = '/jiekun_bench'
  databaseUrl = u.toString()
  cleanup = async () => {
    if (clusterDir) execFileSync('scripts/pg-throwaway.sh', ['stop', clusterDir])
  }
} else {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiekun-bench-'))
  cleanup = async () => fs.rmSync(dataDir, { recursive: true, force: true })
}

const database = await openDatabase({ databaseUrl, dataDir })
const db = database.db
const t0 = performance.now()
await migrateToLatest(db)
await ensureBuiltInRoles(db)
await seedDemo(db, { password, grassrootsPerCounty: 3 })
await seedNationalUnions(db, { grassrootsPerCounty: perCounty, onProgress: (m) => process.stderr.write(`  ${m}\n`) })
await sql`ANALYZE`.execute(db)
const orgCount = Number((await sql<{ n: bigint }>`SELECT count(*) AS n FROM org`.execute(db)).rows[0]!.n)
process.stderr.write(`prepared ${orgCount} organisations in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`)

const app = await buildApp({ database, loginRateLimit: 1000, piiCipher: createPiiCipher(randomBytes(32)) })
await app.ready()
async function login(username: string) {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } })
  return `jk_sid=${res.cookies.find((c) => c.name === 'jk_sid')!.value}`
}
const national = await login('admin')
const province = await login('province_admin')
const county = await login('case_worker')
const countyUnion = (await db.selectFrom('org').select('id').where('type', '=', 'county_union').where('region_code', '=', '410102').executeTakeFirstOrThrow()).id

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}
async function measure(fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 10; i++) await fn()
  const times: number[] = []
  for (let i = 0; i < iterations; i++) {
    const start = performance.now()
    await fn()
    times.push(performance.now() - start)
  }
  times.sort((a, b) => a - b)
  return { p50: percentile(times, 50), p95: percentile(times, 95) }
}
async function api(cookie: string, url: string) {
  const res = await app.inject({ method: 'GET', url, headers: { cookie } })
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
}

const cases: { name: string; run: () => Promise<unknown>; floor: () => Promise<unknown> }[] = [
  {
    name: 'children of a county union (50 of ' + (perCounty + 4) + '), national scope',
    run: () => api(national, `/api/orgs?parentId=${countyUnion}&limit=50`),
    floor: () => sql`SELECT * FROM org WHERE parent_id = ${countyUnion}::uuid ORDER BY name, id LIMIT 51`.execute(db),
  },
  {
    name: 'children of a county union (50), county scope',
    run: () => api(county, `/api/orgs?parentId=${countyUnion}&limit=50`),
    floor: () => sql`SELECT * FROM org WHERE parent_id = ${countyUnion}::uuid ORDER BY name, id LIMIT 51`.execute(db),
  },
  {
    name: 'tops of the visible tree, county scope',
    run: () => api(county, '/api/orgs'),
    floor: () => sql`SELECT * FROM org WHERE region_code LIKE '410102%' AND parent_id IS NOT NULL ORDER BY name, id LIMIT 101`.execute(db),
  },
  {
    name: 'name search in a province (contains)',
    run: () => api(province, `/api/orgs?q=${encodeURIComponent('第7基层')}&limit=50`),
    floor: () => sql`SELECT * FROM org WHERE region_code LIKE '41%' AND name LIKE '%第7基层%' ORDER BY name, id LIMIT 51`.execute(db),
  },
  {
    name: 'users list, province scope',
    run: () => api(province, '/api/users?limit=50'),
    floor: () => sql`SELECT u.* FROM app_user u JOIN org o ON o.id = u.org_id WHERE o.region_code LIKE '41%' ORDER BY lower(u.username), u.id LIMIT 51`.execute(db),
  },
  {
    name: 'audit log, newest 50, national scope',
    run: () => api(national, '/api/audit?limit=50'),
    floor: () => sql`SELECT * FROM audit_log ORDER BY at DESC, province_code DESC, seq DESC LIMIT 51`.execute(db),
  },
]

const rows: string[] = []
for (const c of cases) {
  const r = await measure(c.run)
  const f = await measure(c.floor)
  rows.push(`| ${c.name} | ${r.p50.toFixed(2)} | ${r.p95.toFixed(2)} | ${f.p50.toFixed(2)} | ${f.p95.toFixed(2)} |`)
  process.stderr.write(`${c.name}: p50 ${r.p50.toFixed(2)} ms (floor ${f.p50.toFixed(2)})\n`)
}
console.log(`\n### ${engine} — ${orgCount.toLocaleString('en')} organisations (${perCounty} grassroots unions per county), ${iterations} requests each\n`)
console.log('| operation (through HTTP inject: routing, session, scope, serialisation) | p50 ms | p95 ms | floor p50 ms | floor p95 ms |')
console.log('|---|---:|---:|---:|---:|')
for (const r of rows) console.log(r)

await app.close()
await database.close()
await cleanup()
