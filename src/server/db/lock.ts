import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/**
 * Two processes opening one PGlite folder lose data silently, so the embedded
 * store holds an exclusive lock file for as long as it is open. A lock left by a
 * process that no longer runs (killed with SIGKILL, power loss) is taken over.
 */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
    readonly holderHost: string,
  ) {
    super(
      `The data folder ${dataDir} is in use by another Jiekun process (pid ${holderPid} on ${holderHost}). ` +
        'Stop that process first, or set DATA_DIR to another folder.',
    )
    this.name = 'DataDirLockedError'
  }
}

interface LockBody {
  pid: number
  host: string
  startedAt: string
}

export interface DataDirLock {
  readonly file: string
  release(): void
}

export function acquireDataDirLock(dataDir: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true })
  const file = path.join(dataDir, 'jiekun.lock')
  const body: LockBody = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(body), { flag: 'wx' })
      return makeLock(file)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const holder = readHolder(file)
      if (holder && holder.host === os.hostname() && isAlive(holder.pid)) {
        throw new DataDirLockedError(dataDir, holder.pid, holder.host)
      }
      if (holder && holder.host !== os.hostname()) {
        // Another machine on a shared folder: we cannot see its processes, so never take over.
        throw new DataDirLockedError(dataDir, holder.pid, holder.host)
      }
      fs.rmSync(file, { force: true }) // stale: its process is gone
    }
  }
  throw new Error(`Could not take the lock ${file}`)
}

function makeLock(file: string): DataDirLock {
  let held = true
  const release = () => {
    if (!held) return
    held = false
    const holder = readHolder(file)
    if (holder?.pid === process.pid) fs.rmSync(file, { force: true })
    process.off('exit', release)
  }
  process.on('exit', release)
  return { file, release }
}

function readHolder(file: string): LockBody | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockBody>
    return typeof parsed.pid === 'number' ? { pid: parsed.pid, host: String(parsed.host ?? ''), startedAt: String(parsed.startedAt ?? '') } : null
  } catch {
    return null // half-written by a process that died while writing it
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
  // A killed server nobody has reaped (a container without an init) is a zombie: dead for our purposes.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return true // no /proc (not Linux): trust kill(0)
  }
}
