import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/server/db/engine.ts'
import { verifyChains } from '../../src/server/modules/audit/audit.service.ts'
import { testEngine } from '../support/engine.ts'

// What the embedded store promises a single-machine install: a second process on the same
// folder is turned away, and a server killed mid-write (power cut, OOM killer, kill -9)
// comes back with every write it had acknowledged, and an intact audit chain. PGlite only:
// on PostgreSQL durability and exclusion are the server's, and these tests start their own
// embedded server whichever engine the run is on, so running them twice proves nothing more.
const onPostgres = testEngine() === 'postgres'

const DEMO_PASSWORD = 'durability-demo-1'
const repoRoot = path.resolve(import.meta.dirname, '../..')

interface RunningServer {
  child: ChildProcess
  output(): string
  exited: Promise<number | null>
}

const children: ChildProcess[] = []

/** `npx tsx src/server/main.ts` on `dataDir`, in its own process group so the whole tree can be killed. */
function spawnServer(dataDir: string): RunningServer {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    // Under Vitest the logger is silent by default; the port and the refusal are read from the log.
    LOG_LEVEL: 'info',
    JIEKUN_DEMO_PASSWORD: DEMO_PASSWORD,
    JIEKUN_SEED_DEMO: '1',
    NODE_ENV: 'development',
  }
  delete env.DATABASE_URL
  const child = spawn('npx', ['tsx', 'src/server/main.ts'], { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  let output = ''
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, output: () => output, exited }
}

/** Resolves with the base URL once the server logs that it listens. */
async function listening(server: RunningServer, timeoutMs = 45_000): Promise<string> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(server.output())
    if (match) return match[1]!
    if (server.child.exitCode !== null) throw new Error(`server exited with ${server.child.exitCode}:\n${server.output()}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`server did not start within ${timeoutMs} ms:\n${server.output()}`)
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    // already gone
  }
}

function lockHolder(dataDir: string): number | null {
  try {
    return (JSON.parse(fs.readFileSync(path.join(dataDir, 'jiekun.lock'), 'utf8')) as { pid: number }).pid
  } catch {
    return null
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

interface Session {
  cookie: string
  csrf: string
}

async function signIn(base: string, username: string): Promise<Session> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) })
  if (res.status !== 200) throw new Error(`sign-in of ${username} failed: ${res.status} ${await res.text()}`)
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('jk_sid='))
  if (!cookie) throw new Error('no session cookie')
  const body = (await res.json()) as { csrfToken: string }
  return { cookie: cookie.split(';')[0]!, csrf: body.csrfToken }
}

async function api(base: string, session: Session, method: string, url: string, body?: unknown): Promise<Response> {
  return fetch(`${base}${url}`, {
    method,
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

describe.skipIf(onPostgres)('durability of the embedded store', () => {
  let dataDir: string
  let first: RunningServer
  let firstBase: string

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiekun-durability-'))
    first = spawnServer(dataDir)
    firstBase = await listening(first)
  })

  afterAll(async () => {
    for (const child of children) killGroup(child, 'SIGKILL')
    await Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode !== null ? null : new Promise((r) => c.once('exit', r)))))
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
  })

  it('refuses a second server on the same DATA_DIR with exit code 2, naming the folder and the holder, while the first runs on', async () => {
    const holder = lockHolder(dataDir)
    expect(holder).not.toBeNull()
    const second = spawnServer(dataDir)
    expect(await second.exited).toBe(2)
    expect(second.output()).toContain(`The data folder ${dataDir} is in use by another Jiekun process (pid ${holder} `)
    expect(lockHolder(dataDir)).toBe(holder)
    expect((await fetch(`${firstBase}/healthz`)).status).toBe(200)
  })

  it('keeps every acknowledged write and an intact audit chain after SIGKILL mid-stream', async () => {
    const admin = await signIn(firstBase, 'province_admin')
    const found = (await (await api(firstBase, admin, 'GET', `/api/orgs?q=${encodeURIComponent('中原区总工会')}`)).json()) as { items: { id: string; type: string }[] }
    const countyUnion = found.items.find((o) => o.type === 'county_union')!
    expect(countyUnion).toBeDefined()

    // Four writers in a loop; the server is killed once 40 writes have been answered, while more are in flight.
    const acknowledged = new Map<string, string>()
    const failures: string[] = []
    let sent = 0
    let killed = false
    const writer = async () => {
      while (!killed) {
        const name = `耐久测试第${++sent}工会`
        try {
          const res = await api(firstBase, admin, 'POST', '/api/orgs', { parentId: countyUnion.id, name, type: 'grassroots_union', regionCode: '410102' })
          // Answered 201 even after the kill was sent: it was acknowledged, so it must survive.
          if (res.status === 201) acknowledged.set(((await res.json()) as { id: string }).id, name)
          else if (!killed) failures.push(`${name}: ${res.status} ${await res.text()}`)
        } catch (err) {
          if (!killed) failures.push(`${name}: ${String(err)}`)
        }
        if (failures.length > 0 || (acknowledged.size >= 40 && !killed)) {
          killed = true
          killGroup(first.child, 'SIGKILL')
        }
      }
    }
    await Promise.all([writer(), writer(), writer(), writer()])
    expect(failures).toEqual([])
    await first.exited
    const deadPid = lockHolder(dataDir)
    expect(deadPid).not.toBeNull()
    await expect.poll(() => isAlive(deadPid!), { timeout: 5000 }).toBe(false)

    // The restart finds the dead server's lock and takes it over.
    const restarted = spawnServer(dataDir)
    const base = await listening(restarted)
    expect(lockHolder(dataDir)).not.toBe(deadPid)
    const again = await signIn(base, 'province_admin')
    for (const [id, name] of acknowledged) {
      const res = await api(base, again, 'GET', `/api/orgs/${id}`)
      expect(res.status, `acknowledged org ${name}`).toBe(200)
      expect(((await res.json()) as { name: string }).name).toBe(name)
    }
    const inspector = await signIn(base, 'inspector')
    const verify = (await (await api(base, inspector, 'GET', '/api/audit/verify')).json()) as { ok: boolean; checked: number }
    expect(verify.ok).toBe(true)
    expect(verify.checked).toBeGreaterThanOrEqual(acknowledged.size)

    // Stopped cleanly, the folder itself shows an audit entry for every acknowledged write, and every chain holds.
    killGroup(restarted.child, 'SIGTERM')
    await restarted.exited
    await expect.poll(() => lockHolder(dataDir), { timeout: 10_000 }).toBeNull()
    const store = await openDatabase({ databaseUrl: null, dataDir })
    try {
      const { rows } = await sql<{ entity_id: string }>`SELECT entity_id FROM audit_log WHERE action = 'org.create'`.execute(store.db)
      const audited = new Set(rows.map((r) => r.entity_id))
      for (const id of acknowledged.keys()) expect(audited.has(id), `audit entry for ${id}`).toBe(true)
      expect((await verifyChains(store.db)).ok).toBe(true)
    } finally {
      await store.close()
    }
  })
})
