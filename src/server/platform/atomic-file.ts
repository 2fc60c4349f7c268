import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

/** A temporary file beside `file`, written and flushed to disk; removed again if that fails. */
function writeSyncedTemp(file: string, data: Uint8Array): string {
  const temp = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.partial-${process.pid}-${randomBytes(4).toString('hex')}`)
  const fd = fs.openSync(temp, 'wx', 0o600)
  try {
    fs.writeSync(fd, data)
    fs.fsyncSync(fd)
  } catch (err) {
    fs.closeSync(fd)
    fs.rmSync(temp, { force: true })
    throw err
  }
  fs.closeSync(fd)
  return temp
}

/**
 * Writes a file so that it is either absent, or the old version, or the whole new version:
 * a temporary file beside it, flushed to disk, then renamed over it. A crash mid-write
 * never leaves a truncated backup under the real name.
 */
export function writeFileAtomic(file: string, data: Uint8Array): void {
  const dir = path.dirname(path.resolve(file))
  const temp = writeSyncedTemp(file, data)
  try {
    fs.renameSync(temp, file)
  } catch (err) {
    fs.rmSync(temp, { force: true })
    throw err
  }
  fsyncDir(dir)
}

/** Makes a rename in `dir` survive a power loss. */
export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r')
  try {
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}

/**
 * Writes the whole file or nothing, and never over an existing one: the flushed temporary
 * file is hard-linked to the real name — a link fails if the name exists, where a rename
 * would replace it. False when the file already existed.
 */
export function createFileExclusively(file: string, content: Uint8Array | string): boolean {
  const temp = writeSyncedTemp(file, typeof content === 'string' ? Buffer.from(content) : content)
  try {
    fs.linkSync(temp, file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  } finally {
    fs.rmSync(temp, { force: true })
  }
  fsyncDir(path.dirname(path.resolve(file)))
  return true
}
