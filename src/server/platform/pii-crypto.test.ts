import { createHmac, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPiiCipher, loadOrCreatePiiKey, PII_KEY_FILE } from './pii-crypto.ts'

const KEY = Buffer.alloc(32, 7)
const OTHER_KEY = Buffer.alloc(32, 8)

describe('sealing personal data (AES-256-GCM)', () => {
  const pii = createPiiCipher(KEY)

  it('round-trips any text, Chinese and empty included', () => {
    for (const plain of ['410102199001011234', '13812345678', '0371-67891234-801', '张三丰', '', '𠮷'.repeat(500)]) {
      expect(pii.decrypt(pii.encrypt(plain))).toBe(plain)
    }
  })

  it('seals equal values differently (a fresh IV each time) in a compact versioned form', () => {
    const a = pii.encrypt('410102199001011234')
    const b = pii.encrypt('410102199001011234')
    expect(a).not.toBe(b)
    expect(a).toMatch(/^v1:[A-Za-z0-9_-]+$/)
    // 12 IV + 16 tag + 18 ciphertext bytes = 46 bytes → 62 base64url characters.
    expect(a).toHaveLength(3 + 62)
  })

  it('refuses a value altered anywhere: IV, tag, ciphertext, version or length', () => {
    const sealed = pii.encrypt('410102199001011234')
    const bytes = Buffer.from(sealed.slice(3), 'base64url')
    for (let i = 0; i < bytes.length; i++) {
      const altered = Buffer.from(bytes)
      altered[i]! ^= 0x01
      expect(() => pii.decrypt(`v1:${altered.toString('base64url')}`), `byte ${i}`).toThrow(/failed authentication/)
    }
    expect(() => pii.decrypt(`v1:${bytes.subarray(0, bytes.length - 1).toString('base64url')}`)).toThrow()
    expect(() => pii.decrypt(`v1:${Buffer.concat([bytes, Buffer.from([0])]).toString('base64url')}`)).toThrow()
    expect(() => pii.decrypt(sealed.replace('v1:', 'v2:'))).toThrow(/Not a sealed PII value/)
    for (const junk of ['', 'v1:', 'v1:AAAA', '410102199001011234', `${sealed}=`, ` ${sealed}`]) {
      expect(() => pii.decrypt(junk), junk).toThrow()
    }
  })

  it('refuses a value sealed under another key, without naming either', () => {
    const sealed = createPiiCipher(OTHER_KEY).encrypt('410102199001011234')
    expect(() => pii.decrypt(sealed)).toThrow(/failed authentication/)
    try {
      pii.decrypt(sealed)
    } catch (err) {
      expect(String(err)).not.toContain(sealed.slice(3))
    }
  })

  it('refuses a key that is not 32 bytes', () => {
    for (const key of [Buffer.alloc(31), Buffer.alloc(33), Buffer.alloc(0)]) expect(() => createPiiCipher(key)).toThrow(/32 bytes/)
  })
})

describe('blind indexes (HMAC-SHA256)', () => {
  const pii = createPiiCipher(KEY)

  it('are deterministic: equal inputs under the same key give equal indexes, in any instance', () => {
    const index = pii.blindIndex('resident_id', '410102199001011234')
    expect(index).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(createPiiCipher(Buffer.from(KEY)).blindIndex('resident_id', '410102199001011234')).toBe(index)
  })

  it('tell different numbers, kinds and keys apart', () => {
    const indexes = [
      pii.blindIndex('resident_id', '410102199001011234'),
      pii.blindIndex('resident_id', '11010519491231002X'),
      pii.blindIndex('phone', '410102199001011234'),
      pii.blindIndex('phone', '13812345678'),
      pii.blindIndex('resident_i', 'd410102199001011234'), // the separator keeps kind and value apart
      createPiiCipher(OTHER_KEY).blindIndex('resident_id', '410102199001011234'),
    ]
    expect(new Set(indexes).size).toBe(indexes.length)
  })

  it('use a key derived for indexing, not the master key itself', () => {
    const withMaster = createHmac('sha256', KEY).update('phone\u000013812345678').digest('base64url')
    expect(pii.blindIndex('phone', '13812345678')).not.toBe(withMaster)
  })

  it('refuse a kind that is empty or holds the separator', () => {
    expect(() => pii.blindIndex('', '13812345678')).toThrow()
    expect(() => pii.blindIndex('phone\u0000x', '13812345678')).toThrow()
  })
})

describe('loading or creating the PII key', () => {
  let dataDir: string
  const keyFile = () => path.join(dataDir, PII_KEY_FILE)
  const validEnvKey = randomBytes(32).toString('base64')

  beforeEach(() => {
    dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jiekun-pii-key-')), 'data')
  })
  afterEach(() => {
    fs.rmSync(path.dirname(dataDir), { recursive: true, force: true })
  })

  it('creates DATA_DIR/pii.key on the first start, readable by the owner only, and reuses it after', () => {
    const first = loadOrCreatePiiKey({ env: {}, dataDir, production: false })
    expect(first).toMatchObject({ source: 'created', file: keyFile() })
    expect(first.key).toHaveLength(32)
    expect(fs.readFileSync(keyFile(), 'utf8')).toBe(`${first.key.toString('base64')}\n`)
    if (process.platform !== 'win32') expect(fs.statSync(keyFile()).mode & 0o777).toBe(0o600)
    // No temporary file left beside it.
    expect(fs.readdirSync(dataDir)).toEqual([PII_KEY_FILE])

    const again = loadOrCreatePiiKey({ env: {}, dataDir, production: true })
    expect(again).toMatchObject({ source: 'file', file: keyFile() })
    expect(again.key.equals(first.key)).toBe(true)
  })

  it('never replaces a key file, not even one it cannot read', () => {
    fs.mkdirSync(dataDir, { recursive: true })
    fs.writeFileSync(keyFile(), 'not a key\n')
    expect(() => loadOrCreatePiiKey({ env: {}, dataDir, production: false })).toThrow(/does not hold 32 bytes/)
    expect(fs.readFileSync(keyFile(), 'utf8')).toBe('not a key\n')
  })

  it('loses a race to create the file gracefully: the file another process wrote first is the key', () => {
    const winner = loadOrCreatePiiKey({ env: {}, dataDir, production: false })
    // This process looked before the winner wrote: its first read finds nothing.
    const enoent = Object.assign(new Error('ENOENT'), { code: 'ENOENT' })
    const read = vi.spyOn(fs, 'readFileSync').mockImplementationOnce(() => {
      throw enoent
    })
    try {
      const loser = loadOrCreatePiiKey({ env: {}, dataDir, production: false })
      expect(loser.source).toBe('file')
      expect(loser.key.equals(winner.key)).toBe(true)
      // Once finding nothing, once reading the winner's file after the link was refused.
      expect(read).toHaveBeenCalledTimes(2)
    } finally {
      read.mockRestore()
    }
    expect(fs.readFileSync(keyFile(), 'utf8')).toBe(`${winner.key.toString('base64')}\n`)
    expect(fs.readdirSync(dataDir)).toEqual([PII_KEY_FILE])
  })

  it('takes JIEKUN_PII_KEY first, and then writes no file', () => {
    const loaded = loadOrCreatePiiKey({ env: { JIEKUN_PII_KEY: ` ${validEnvKey}\n` }, dataDir, production: true, databaseUrl: 'postgres://db/jiekun' })
    expect(loaded).toEqual({ key: Buffer.from(validEnvKey, 'base64'), source: 'env' })
    expect(fs.existsSync(dataDir)).toBe(false)
    // base64url, as some secret stores hand keys out, is the same key.
    const url = Buffer.from(validEnvKey, 'base64').toString('base64url')
    expect(loadOrCreatePiiKey({ env: { JIEKUN_PII_KEY: url }, dataDir, production: true }).key.toString('base64')).toBe(validEnvKey)
  })

  it('accepts the key file’s content as JIEKUN_PII_KEY, which is how an embedded store moves to PostgreSQL', () => {
    const created = loadOrCreatePiiKey({ env: {}, dataDir, production: false })
    const moved = loadOrCreatePiiKey({ env: { JIEKUN_PII_KEY: fs.readFileSync(keyFile(), 'utf8') }, dataDir: '/nonexistent', production: true, databaseUrl: 'postgres://db/jiekun' })
    expect(moved.key.equals(created.key)).toBe(true)
  })

  it('refuses a JIEKUN_PII_KEY that is not 32 bytes of base64, without echoing it', () => {
    const bad = [
      randomBytes(16).toString('base64'),
      randomBytes(33).toString('base64'),
      `${validEnvKey.slice(0, -2)}!=`,
      'correct horse battery staple correct horse battery',
      `${validEnvKey.slice(0, 20)} ${validEnvKey.slice(20)}`,
    ]
    for (const value of bad) {
      expect(() => loadOrCreatePiiKey({ env: { JIEKUN_PII_KEY: value }, dataDir, production: false }), value).toThrow(/JIEKUN_PII_KEY is not 32 bytes in base64/)
      try {
        loadOrCreatePiiKey({ env: { JIEKUN_PII_KEY: value }, dataDir, production: false })
      } catch (err) {
        expect(String(err)).not.toContain(value)
      }
    }
    expect(fs.existsSync(dataDir)).toBe(false)
  })

  it('refuses to start in production on PostgreSQL without JIEKUN_PII_KEY', () => {
    expect(() => loadOrCreatePiiKey({ env: { DATABASE_URL: 'postgres://db/jiekun' }, dataDir, production: true })).toThrow(/Set JIEKUN_PII_KEY/)
    expect(() => loadOrCreatePiiKey({ env: {}, dataDir, production: true, databaseUrl: 'postgres://db/jiekun' })).toThrow(/Set JIEKUN_PII_KEY/)
    expect(fs.existsSync(dataDir)).toBe(false)
  })

  it('uses the key file on PostgreSQL outside production, and for the embedded store in production', () => {
    expect(loadOrCreatePiiKey({ env: { DATABASE_URL: 'postgres://db/jiekun' }, dataDir, production: false }).source).toBe('created')
    expect(loadOrCreatePiiKey({ env: { DATABASE_URL: '  ' }, dataDir, production: true }).source).toBe('file')
  })
})
