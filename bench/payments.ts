// A monthly payment cycle at province scale (issue 5 bench): generation, the approval that reserves
// the money, the bank file export and the bank results import, each timed; beside generation, in the
// same run, the plainest SQL that writes the same lines (one INSERT … SELECT into a copy of the
// table). Household look-ups are made all through the cycle, and their latency is
// reported (the job gives way to requests in flight between chunks, as the server runs it).
//
//   npx tsx bench/payments.ts --engine pglite   --households 1600000
//   npx tsx bench/payments.ts --engine postgres --households 1600000 [--quiet-generation]
//   (PostgreSQL: a throwaway cluster, or BENCH_DATABASE_URL)
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import pg from 'pg'
import { buildApp } from '../src/server/app.ts'
import { openDatabase } from '../src/server/db/engine.ts'
import { migrateToLatest } from '../src/server/db/migrator.ts'
import { createJobRunner, jobOptionsFor } from '../src/server/jobs.ts'
import { createUser } from '../src/server/modules/access/users.service.ts'
import { ensureBuiltInRoles } from '../src/server/modules/access/roles.service.ts'
import { principalOfUsername } from '../src/server/modules/access/auth.service.ts'
import { decide, setPolicy } from '../src/server/modules/approvals/approvals.service.ts'
import { recordReceipt, verifyLedger } from '../src/server/modules/funds/funds.service.ts'
import { bankFolder, lineReference } from '../src/server/modules/payments/bank.jobs.ts'
import { createCycle, getCycle, startExport, startResults, submitCycle } from '../src/server/modules/payments/payments.service.ts'
import { createPiiCipher } from '../src/server/platform/pii-crypto.ts'
import { systemPrincipal } from '../src/server/platform/principal.ts'
import { seedDemo } from '../src/server/seed/demo.ts'
import { seedProgrammes } from '../src/server/seed/programmes.ts'
import { dropSecondaryIndexes, generateHouseholds } from './households.ts'

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'postgres' },
    households: { type: 'string', default: '200000' },
    'no-lookups': { type: 'boolean', default: false },
    // look-ups only after generation and its floor (generation against its floor without other load)
    'quiet-generation': { type: 'boolean', default: false },
    // PGlite only: keep the prepared store in DIR and use it again on the next run (to try a change
    // without 18 minutes of seeding); each run then needs its own --period. Figures for the record
    // come from a fresh store.
    store: { type: 'string' },
    period: { type: 'string', default: '2026-11' },
    'prepare-only': { type: 'boolean', default: false },
  },
})
const engine = values.engine as 'postgres' | 'pglite'
const log = (msg: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`)
const seconds = (from: number) => (performance.now() - from) / 1000

let cleanup = () => {}
let databaseUrl: string | null = null
let dataDir = ''
if (engine === 'postgres') {
  let adminUrl = process.env.BENCH_DATABASE_URL
  if (!adminUrl) {
    const env = { ...process.env, PG_THROWAWAY_OPTIONS: process.env.PG_THROWAWAY_OPTIONS ?? '-c shared_buffers=2GB -c maintenance_work_mem=1GB -c max_wal_size=8GB -c checkpoint_timeout=30min' }
    const [url, clusterDir] = execFileSync('scripts/pg-throwaway.sh', { encoding: 'utf8', env }).trim().split(' ') as [string, string]
    adminUrl = url
    cleanup = () => execFileSync('scripts/pg-throwaway.sh', ['stop', clusterDir])
  }
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query('DROP DATABASE IF EXISTS jiekun_bench_payments WITH (FORCE)')
  await admin.query('CREATE DATABASE jiekun_bench_payments')
  await admin.end()
  const u = new URL(adminUrl)
  u.pathname = '/jiekun_bench_payments'
  databaseUrl = u.toString()
} else {
  if (values.store) {
    dataDir = values.store
    fs.mkdirSync(dataDir, { recursive: true })
  } else {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiekun-bench-payments-'))
    cleanup = () => fs.rmSync(dataDir, { recursive: true, force: true })
  }
}
const importsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiekun-bench-payments-files-'))
const database = await openDatabase({ databaseUrl, dataDir })
const db = database.db
const cipher = createPiiCipher(Buffer.alloc(32, 7))
const password = 'bench-password-1'
const n = Number(values.households)

let t = performance.now()
const prepared = values.store && (await sql<{ ok: boolean }>`SELECT to_regclass('household') IS NOT NULL AS ok`.execute(db)).rows[0]!.ok
await migrateToLatest(db)
if (!prepared) {
  await ensureBuiltInRoles(db)
  await seedDemo(db, { password, grassrootsPerCounty: 1 })
  await seedProgrammes(db)
  await db.connection().execute(async (conn) => {
    const indexes = await dropSecondaryIndexes(conn)
    await sql`SET session_replication_role = replica`.execute(conn)
    await generateHouseholds(conn, cipher, { count: n, regionPrefix: '41', batchSize: 5000, onProgress: (d) => d % 200_000 === 0 && log(`${d} households`) })
    await sql`RESET session_replication_role`.execute(conn)
    for (const index of indexes) await sql.raw(index.def).execute(conn)
  })
  await sql`VACUUM ANALYZE`.execute(db)
  log(`prepared ${n.toLocaleString('en')} households in ${seconds(t).toFixed(0)} s`)
}

if (values['prepare-only']) {
  await database.close()
  process.exit(0)
}

// The payer: the province union; its approver: a province-level approver (a policy for the province).
const system = systemPrincipal('bench')
const province = (await db.selectFrom('org').select('id').where('type', '=', 'province_union').where('region_code', '=', '410000').executeTakeFirstOrThrow()).id
const approverMade = await db.selectFrom('app_user').select('id').where('username', '=', 'bench_approver').executeTakeFirst()
if (!approverMade) {
  await createUser(db, system, { username: 'bench_approver', displayName: '省级审批', orgId: province, roles: ['approver'], password })
  await setPolicy(db, system, { kind: 'payment.cycle', regionPrefix: '41', steps: [{ level: 'province', permission: 'payment.approve' }] })
}
const fund = await principalOfUsername(db, 'fund_manager', 'bench')
const approver = await principalOfUsername(db, 'bench_approver', 'bench')
await recordReceipt(db, fund, { orgId: province, fundType: 'hardship_fund', source: 'central_finance', amountFen: '900000000000' })
const programme = (await db.selectFrom('programme').select('id').where('code', '=', 'living_subsidy_monthly').executeTakeFirstOrThrow()).id

// ---- generation, with look-ups in between on PGlite
const app = await buildApp({ database, loginRateLimit: 1000, piiCipher: cipher, importsDir })
await app.ready()
const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password } })
const cookie = `jk_sid=${login.cookies.find((c) => c.name === 'jk_sid')!.value}`
await sql`INSERT INTO user_role (user_id, role_code) SELECT id, 'inspector' FROM app_user WHERE username = 'admin' ON CONFLICT DO NOTHING`.execute(db)
const sample = (await sql<{ id: string }>`SELECT id FROM household TABLESAMPLE SYSTEM (1) LIMIT 500`.execute(db)).rows.map((r) => r.id)
// Both the job and the floor read the households: read them once first, so that neither pays for a
// cold cache the other does not (the floor runs second).
await sql`SELECT count(*), sum(length(h.head_name)) FROM household h WHERE h.province_code = '41'`.execute(db)

// As main.ts runs them on this engine.
const runner = createJobRunner(db, { piiCipher: cipher, importsDir, ...jobOptionsFor(engine) })
const drain = async () => {
  while (await runner.runOnce()) {
    // every queued job
  }
}
// Household look-ups all through the cycle (unless --no-lookups), each tagged with the step it ran in.
const latencies = new Map<string, number[]>()
let phase = 'generation'
let looking = true
const lookups = async () => {
  let i = 0
  // A look-up is due 20 ms after the last one answered, and its wait counts from then: while a job
  // holds the thread (PGlite runs in it) the timer cannot fire, as a real request would sit in the
  // socket, and measuring from when it got sent would hide that wait.
  let due = performance.now()
  while (looking) {
    const at = phase
    const res = await app.inject({ method: 'GET', url: `/api/households/${sample[i++ % sample.length]}`, headers: { cookie } })
    if (res.statusCode !== 200) throw new Error(`look-up answered ${res.statusCode}`)
    const answered = performance.now()
    if (!latencies.has(at)) latencies.set(at, [])
    latencies.get(at)!.push(answered - due)
    due = answered + 20
    await new Promise((r) => setTimeout(r, 20))
  }
}
t = performance.now()
const cycle = await createCycle(db, fund, { orgId: province, programmeId: programme, period: values.period! })
let lookingDone = values['no-lookups'] || values['quiet-generation'] ? Promise.resolve() : lookups()
await runner.runOnce() // the generation job
const generation = seconds(t)
const made = await getCycle(db, fund, cycle.id)
log(`generation: ${made.lineCount} lines in ${generation.toFixed(1)} s`)
phase = 'supervision scan'
t = performance.now()
await drain() // the supervision scan it queued
const scan = seconds(t)
log(`scan: ${scan.toFixed(1)} s`)
// No look-ups during the floor: its one statement would hold PGlite for its whole length, and that
// wait belongs to the bench, not to the application.
looking = false
await lookingDone

// ---- the floor: the same lines by one plain INSERT … SELECT into a copy of the table
await sql`DROP TABLE IF EXISTS payment_line_floor`.execute(db)
await sql`CREATE TABLE payment_line_floor (LIKE payment_line INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)`.execute(db)
t = performance.now()
await sql`
  INSERT INTO payment_line_floor (province_code, cycle_id, line_no, household_id, programme_id, for_period, region_code, file_no, payee_name, bank_name, bank_account_sealed, bank_account_index, amount_fen, basis)
  SELECT h.province_code, ${cycle.id}::uuid, row_number() OVER (ORDER BY h.id), h.id, ${programme}::uuid, ${values.period!}, h.region_code, h.file_no, h.head_name, h.bank_name, h.bank_account_sealed, h.bank_account_index,
         CASE h.hardship_type WHEN 'deep' THEN 50000 WHEN 'relative' THEN 30000 WHEN 'accident' THEN 40000 END, jsonb_build_object('hardshipType', h.hardship_type)
  FROM household h
  WHERE h.province_code = '41' AND h.status IN ('verified', 'reverifying') AND h.hardship_type IN ('deep', 'relative', 'accident')`.execute(db)
const floor = seconds(t)
const floorRows = Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM payment_line_floor`.execute(db)).rows[0]!.n)
log(`floor: ${floorRows} lines in ${floor.toFixed(1)} s`)

// ---- approval: the reserve
phase = 'submission and its scan'
looking = true
if (!values['no-lookups']) lookingDone = lookups()
const submitted = await submitCycle(db, fund, cycle.id, { version: made.version })
await drain() // the scan at submission (the last approval waits for it)
phase = 'approval'
t = performance.now()
await decide(db, approver, submitted.approvalId!, { decision: 'approve', version: 1 })
const approval = seconds(t)

// ---- bank file export
phase = 'bank file export'
t = performance.now()
await startExport(db, fund, cycle.id)
await drain()
const exported = seconds(t)
log(`export: ${exported.toFixed(1)} s`)

// ---- bank results: 1 % failed
const results = path.join(bankFolder(importsDir), 'results-bench.csv')
const out = fs.createWriteStream(results)
out.write('参考号,结果,失败原因,银行流水号\r\n')
for (let i = 1; i <= made.lineCount; i++) out.write(i % 100 === 0 ? `${lineReference(cycle.id, i)},失败,账户状态异常,\r\n` : `${lineReference(cycle.id, i)},成功,,B${i}\r\n`)
await new Promise((r) => out.end(r))
phase = 'bank results import'
t = performance.now()
await startResults(db, fund, cycle.id, { storageKey: 'results-bench.csv', fileName: 'results-bench.csv' })
await drain()
const imported = seconds(t)
log(`results import: ${imported.toFixed(1)} s`)
looking = false
await lookingDone
const settled = await getCycle(db, fund, cycle.id)
const books = await verifyLedger(db)

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!.toFixed(1)
const version = (await sql<{ v: string }>`SELECT current_setting('server_version') AS v`.execute(db)).rows[0]!.v
const label = engine === 'postgres' ? `PostgreSQL ${version}` : `PGlite (PG ${version})`
console.log(`\n### ${label} — ${n.toLocaleString('en')} households, a monthly cycle of ${made.lineCount.toLocaleString('en')} lines\n`)
console.log('| step | seconds | floor (plain SQL) | ÷ floor |\n|---|---:|---:|---:|')
console.log(`| generation (job, chunks ${engine === 'pglite' ? 'sized to about 80 ms, at most 5,000' : 'of 50,000'}, each its own transaction) | ${generation.toFixed(1)} | ${floor.toFixed(1)} (one INSERT … SELECT, ${floorRows.toLocaleString('en')} rows) | **${(generation / floor).toFixed(2)} ×** |`)
console.log(`| supervision scan (job, ${engine === 'pglite' ? 'ranges sized to about 80 ms, each its own transaction' : 'the whole cycle in one transaction'}) | ${scan.toFixed(1)} | | |`)
console.log(`| approval: the reserve entry | ${approval.toFixed(2)} | | |`)
console.log(`| bank file export (.csv then .xlsx) | ${exported.toFixed(1)} | | |`)
console.log(`| bank results import (1 % failed) | ${imported.toFixed(1)} | | |`)
console.log(`\nAfter: ${settled.paidCount.toLocaleString('en')} paid, ${settled.failedCount.toLocaleString('en')} failed, status ${settled.status}; ledger proof ${books.ok ? 'holds' : 'FAILS'}.`)
if (latencies.size) {
  console.log('\nHousehold look-ups (`GET /api/households/:id` through inject, each due 20 ms after the last answer, timed from when it was due) during each step:\n')
  console.log('| step | requests | p50 ms | p95 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|---:|')
  for (const [at, xs] of latencies) {
    xs.sort((a, b) => a - b)
    console.log(`| ${at} | ${xs.length} | ${pct(xs, 50)} | ${pct(xs, 95)} | ${pct(xs, 99)} | ${xs.at(-1)!.toFixed(1)} |`)
  }
}
await app.close()
await database.close()
fs.rmSync(importsDir, { recursive: true, force: true })
cleanup()
