// The household import through its real path (upload record → validation job → commit job,
// the services and the job runner, no HTTP), beside its floor: a plain COPY of the same final
// rows into the same tables (household, household_member, person_registry) of a fresh database
// migrated and seeded the same way, in the same run. Goal (issue 3): import ≤ 3 × COPY.
//
//   npx tsx bench/import.ts --engine postgres --members 100000   (BENCH_DATABASE_URL, or a throwaway cluster)
//   npx tsx bench/import.ts --engine pglite   --members 100000
//   NODE_OPTIONS=--max-old-space-size=8192 npx tsx bench/import.ts --engine postgres --members 1000000
//
// The CSV has about three members per household (one to five), spread over the 158 counties of
// 河南省, imported by province_admin for 河南省总工会. The COPY side gets rows already sealed and
// indexed (that work is not timed), so the ratio charges the import with everything it does:
// parsing, validating every cell, the registry checks, sealing, numbering, history and audit.
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import pg from 'pg'
import { type DatabaseHandle, openDatabase } from '../src/server/db/engine.ts'
import { migrateToLatest } from '../src/server/db/migrator.ts'
import { createJobRunner } from '../src/server/jobs.ts'
import { login } from '../src/server/modules/access/auth.service.ts'
import { ensureBuiltInRoles } from '../src/server/modules/access/roles.service.ts'
import { commitImport, createImport, getImport, newStorageKey } from '../src/server/modules/households/import/import.service.ts'
import { residentIdCheckChar } from '../src/server/platform/codes/resident-id.ts'
import { createPiiCipher } from '../src/server/platform/pii-crypto.ts'
import { seedDemo } from '../src/server/seed/demo.ts'

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'pglite' },
    members: { type: 'string', default: '100000' },
  },
})
const engine = values.engine as 'pglite' | 'postgres'
const memberTarget = Number(values.members)
const password = 'bench-password-1'
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'jiekun-import-bench-'))
fs.chmodSync(work, 0o755)
const log = (m: string) => process.stderr.write(`${m}\n`)
const seconds = (ms: number) => (ms / 1000).toFixed(1)

// ——— two fresh stores ———
let stopCluster = () => {}
async function openStore(name: string): Promise<DatabaseHandle> {
  if (engine === 'pglite') return openDatabase({ databaseUrl: null, dataDir: path.join(work, name) })
  let adminUrl = process.env.BENCH_DATABASE_URL
  if (!adminUrl) {
    const out = execFileSync('scripts/pg-throwaway.sh', { encoding: 'utf8' }).trim()
    adminUrl = out.split(' ')[0]!
    const dir = out.split(' ')[1]!
    stopCluster = () => execFileSync('scripts/pg-throwaway.sh', ['stop', dir])
    process.env.BENCH_DATABASE_URL = adminUrl
  }
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const u = new URL(adminUrl)
  u.pathname = `/${name}`
  return openDatabase({ databaseUrl: u.toString(), dataDir: '' })
}

async function prepare(d: DatabaseHandle): Promise<void> {
  await migrateToLatest(d.db)
  await ensureBuiltInRoles(d.db)
  await seedDemo(d.db, { password, grassrootsPerCounty: 1 })
  await sql`ANALYZE`.execute(d.db)
}

const importStore = await openStore('jiekun_bench_import')
const copyStore = await openStore('jiekun_bench_copy')
await prepare(importStore)
await prepare(copyStore)
const counties = (await importStore.db.selectFrom('region').select('code').where('level', '=', 'county').where('province_code', '=', '41').orderBy('code').execute()).map((r) => r.code)

// ——— the file ———
const csvPath = path.join(work, 'households.csv')
interface GenMember {
  household: number
  county: string
  relation: string
  id: string
  name: string
  phone: string | null
  work: string
  income: number
}
const generated: GenMember[] = []
{
  const out = fs.createWriteStream(csvPath)
  out.write('\ufeff户编号,县区代码,家庭住址,户口类型,住房类型,是否享受低保,家庭年收入,年刚性支出,主要致困原因,次要致困原因,姓名,与户主关系,身份证号码,联系电话,健康状况,就业状况,月收入\n')
  const relations = ['户主', '配偶', '子女', '子女', '父母']
  let n = 0
  let h = 0
  let buffer = ''
  while (n < memberTarget) {
    const size = Math.min(memberTarget - n, 1 + ((h * 7) % 5)) // 1..5, about 3 on average
    const county = counties[h % counties.length]!
    for (let j = 0; j < size; j++, n++) {
      const d = new Date(Date.UTC(1950, 0, 1) + Math.floor(n / 1000) * 86_400_000)
      const first17 = `${county}${d.toISOString().slice(0, 10).replace(/-/g, '')}${String(n % 1000).padStart(3, '0')}`
      const m: GenMember = {
        household: h, county, relation: relations[j]!, id: first17 + residentIdCheckChar(first17), name: `职工${n}`,
        phone: j === 0 ? `13${String(100000000 + (n % 900000000)).slice(0, 9)}` : null, work: j === 2 ? '在校学生' : '下岗', income: (n % 30) * 100,
      }
      generated.push(m)
      const head = j === 0
      buffer += `H${h},${head ? county : ''},${head ? `某街道${h}号` : ''},${head ? '城镇' : ''},${head ? '租房' : ''},${head ? '否' : ''},${head ? '24000.50' : ''},${head ? '6000' : ''},${head ? '下岗失业' : ''},${head ? '子女上学、重特大疾病' : ''},${m.name},${m.relation},${m.id},${m.phone ?? ''},健康,${m.work},${m.income}\n`
    }
    h++
    if (buffer.length > 1 << 20) {
      out.write(buffer)
      buffer = ''
    }
  }
  out.write(buffer)
  await new Promise<void>((resolve) => out.end(resolve))
  log(`generated ${memberTarget} members in ${h} households (${(fs.statSync(csvPath).size / 1024 / 1024).toFixed(1)} MB)`)
}
const householdTotal = generated[generated.length - 1]!.household + 1

// ——— the import ———
const cipher = createPiiCipher(randomBytes(32))
const importsDir = path.join(work, 'imports')
fs.mkdirSync(importsDir)
// The province's administrator files for the whole province: give them the case worker's role too.
const adminId = (await importStore.db.selectFrom('app_user').select('id').where('username', '=', 'province_admin').executeTakeFirstOrThrow()).id
await importStore.db.insertInto('user_role').values({ user_id: adminId, role_code: 'case_worker' }).onConflict((oc) => oc.doNothing()).execute()
const admin = (await login(importStore.db, 'province_admin', password, { ip: null, userAgent: null, requestId: 'bench' })).principal
const storageKey = newStorageKey('csv')
fs.copyFileSync(csvPath, path.join(importsDir, storageKey))
const runner = createJobRunner(importStore.db, { piiCipher: cipher, importsDir, heartbeatMs: 60_000 })

const tv = performance.now()
const created = await createImport(importStore.db, admin, { cipher, importsDir }, { orgId: admin.orgId!, fileName: 'bench.csv', storageKey, sizeBytes: fs.statSync(csvPath).size })
while (await runner.runOnce()) {
  // the validation job
}
const validateMs = performance.now() - tv
const validated = await getImport(importStore.db, admin, created.id)
if (validated.status !== 'validated' || validated.counts.problems !== 0) throw new Error(`validation: ${JSON.stringify(validated.counts)} ${JSON.stringify(validated.problems.slice(0, 3))}`)
log(`validated in ${seconds(validateMs)} s`)

const tc = performance.now()
await commitImport(importStore.db, admin, created.id, 'valid-only')
while (await runner.runOnce()) {
  // the commit job
}
const commitMs = performance.now() - tc
const committed = await getImport(importStore.db, admin, created.id)
if (committed.status !== 'committed' || committed.counts.committedMembers !== memberTarget) throw new Error(`commit: ${committed.status} ${JSON.stringify(committed.counts)}`)
log(`committed in ${seconds(commitMs)} s`)

// ——— the floor: COPY of the same final rows ———
const org = admin.orgId!
const userId = (await copyStore.db.selectFrom('app_user').select('id').where('username', '=', 'province_admin').executeTakeFirstOrThrow()).id
const orgCopy = (await copyStore.db.selectFrom('app_user').select('org_id').where('id', '=', userId).executeTakeFirstOrThrow()).org_id
void org
const esc = (s: string | null) => (s === null ? '\\N' : s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n'))
const line = (cells: (string | null)[]) => `${cells.map(esc).join('\t')}\n`
const codeOf: Record<string, string> = { 户主: 'head', 配偶: 'spouse', 子女: 'child', 父母: 'parent', 在校学生: 'student', 下岗: 'laid_off' }
const CHUNK = 100_000
const files: { table: string; columns: string; parts: string[] }[] = [
  { table: 'household', columns: 'province_code, id, file_no, region_code, org_id, address, status, created_by, head_name, hukou_type, housing_type, in_dibao, yearly_income_fen, yearly_rigid_spending_fen, primary_cause, secondary_causes', parts: [] },
  { table: 'household_member', columns: 'province_code, household_id, name, relation, id_number_sealed, id_number_index, birth_date, sex, phone_sealed, phone_index, health, work_status, monthly_income_fen', parts: [] },
  { table: 'person_registry', columns: 'id_number_index, household_id, province_code, region_code, org_id', parts: [] },
]
{
  const { randomUUID } = await import('node:crypto')
  const hid: string[] = new Array(householdTotal)
  const counters = new Map<string, number>()
  let hBuf = ''
  let mBuf = ''
  let rBuf = ''
  let rows = 0
  const flush = (force: boolean) => {
    if (!force && rows < CHUNK) return
    const write = (i: number, b: string) => {
      if (!b) return
      const f = path.join(work, `${files[i]!.table}-${files[i]!.parts.length}.tsv`)
      fs.writeFileSync(f, b, { mode: 0o644 })
      files[i]!.parts.push(f)
    }
    write(0, hBuf)
    write(1, mBuf)
    write(2, rBuf)
    hBuf = mBuf = rBuf = ''
    rows = 0
  }
  for (const m of generated) {
    const pc = m.county.slice(0, 2)
    if (m.relation === '户主') {
      const id = randomUUID()
      hid[m.household] = id
      const no = (counters.get(m.county) ?? 0) + 1
      counters.set(m.county, no)
      hBuf += line([pc, id, `${m.county}-2026-${String(no).padStart(6, '0')}`, m.county, orgCopy, `某街道${m.household}号`, 'draft', userId, m.name, 'urban', 'rented', 'f', '2400050', '600000', 'laid_off', '{schooling,serious_illness}'])
    }
    const index = cipher.blindIndex('resident_id', m.id)
    const d = m.id.slice(6, 14)
    mBuf += line([
      pc, hid[m.household]!, m.name, codeOf[m.relation]!, cipher.encrypt(m.id), index, `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`,
      Number(m.id[16]) % 2 === 1 ? 'male' : 'female', m.phone === null ? null : cipher.encrypt(m.phone), m.phone === null ? null : cipher.blindIndex('phone', m.phone),
      'healthy', codeOf[m.work]!, String(m.income * 100),
    ])
    rBuf += line([index, hid[m.household]!, pc, m.county, orgCopy])
    rows++
    // a household never straddles two parts of the household file and its members' parts
    if (rows >= CHUNK && m.relation !== '户主') flush(false)
  }
  flush(true)
}

async function copyPart(d: DatabaseHandle, table: string, columns: string, file: string): Promise<void> {
  if (d.pglite) {
    await d.pglite.query(`COPY ${table} (${columns}) FROM '/dev/blob'`, [], { blob: new Blob([fs.readFileSync(file)]) })
  } else {
    await sql.raw(`COPY ${table} (${columns}) FROM '${file}'`).execute(d.db)
  }
}
const tcopy = performance.now()
// Parts in order: households before their members and registry entries (foreign keys).
for (let i = 0; i < files[0]!.parts.length; i++) {
  for (const f of files) if (f.parts[i]) await copyPart(copyStore, f.table, f.columns, f.parts[i]!)
}
const copyMs = performance.now() - tcopy
const copied = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM household_member WHERE name LIKE '职工%'`.execute(copyStore.db)).rows[0]!.n)
if (copied !== memberTarget) throw new Error(`COPY wrote ${copied} members`)

const importMs = validateMs + commitMs
const v = await sql<{ v: string }>`SELECT version() AS v`.execute(importStore.db)
console.log(`| engine | members | households | validate | commit | import total | COPY | import ÷ COPY |`)
console.log(`|---|---:|---:|---:|---:|---:|---:|---:|`)
console.log(
  `| ${engine} (${v.rows[0]!.v.split(' ').slice(0, 2).join(' ')}) | ${memberTarget.toLocaleString('en')} | ${householdTotal.toLocaleString('en')} | ${seconds(validateMs)} s | ${seconds(commitMs)} s | ${seconds(importMs)} s | ${seconds(copyMs)} s | ${(importMs / copyMs).toFixed(2)} × |`,
)
console.log(`(rates: import ${Math.round(memberTarget / (importMs / 1000)).toLocaleString('en')} members/s, COPY ${Math.round(memberTarget / (copyMs / 1000)).toLocaleString('en')} members/s)`)

await importStore.close()
await copyStore.close()
stopCluster()
fs.rmSync(work, { recursive: true, force: true })
