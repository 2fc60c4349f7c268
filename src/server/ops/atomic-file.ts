import fs from 'node:fs'
import path from 'node:path'

/**
 * Writes a file so that it is either absent, or the old version, or the whole new version:
 * a temporary file beside it, flushed to disk, then renamed over it. A crash mid-write
 * never leaves a truncated backup under the real name.
 */
export function writeFileAtomic(file: string, data: Uint8Array): void {
  const dir = path.dirname(path.resolve(file))
  const temp = path.join(dir, `.${path.basename(file)}.partial-${process.pid}`)
  const fd = fs.openSync(temp, 'w', 0o600)
  try {
    fs.writeSync(fd, data)
    fs.fsyncSync(fd)
  } catch (err) {
    fs.closeSync(fd)
    fs.rmSync(temp, { force: true })
    throw err
  }
  fs.closeSync(fd)
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
