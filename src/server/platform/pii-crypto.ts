import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { createFileExclusively } from './atomic-file.ts'

/**
 * Resident ID and phone numbers at rest (domain.md §11): the column holds ciphertext, and
 * a lookup ("is this ID number already in a household file?") goes through a keyed blind
 * index beside it, so the database alone — a backup, a dump, a read replica — shows
 * neither the numbers nor, without the key, a way to test a guess.
 *
 * A blind index is deterministic on purpose, so it tells equal numbers apart from unequal
 * ones and nothing more. Pass it the validator's normalised form (parseResidentId().id,
 * parsePhone().normalised): a 15-digit ID number and its 18-digit form, or a phone number
 * with and without +86, must index the same.
 */
export interface PiiCipher {
  /** `v1:` + base64url(iv ‖ tag ‖ ciphertext); a fresh IV each time, so equal values seal differently. */
  encrypt(plain: string): string
  /** Throws when the value was altered, sealed under another key, or is not a sealed value. */
  decrypt(sealed: string): string
  /** base64url(HMAC-SHA256(indexKey, kind ‖ 0x00 ‖ normalised)), 43 characters. */
  blindIndex(kind: PiiKind, normalised: string): string
}

/** What is indexed; the kind is part of the index, so an ID number and a phone number never collide. */
export type PiiKind = 'resident_id' | 'phone' | (string & {})

export const PII_KEY_BYTES = 32
export const PII_KEY_ENV = 'JIEKUN_PII_KEY'
export const PII_KEY_FILE = 'pii.key'

// The version names both the format and the key generation: rotating the key later means
// a v2 prefix, decrypting either while the table is re-sealed.
const VERSION = 'v1'
const IV_BYTES = 12 // the GCM standard's 96-bit nonce
const TAG_BYTES = 16
// Two keys from one master key (RFC 5869): a leaked index key must not decrypt, and the
// cipher key is never used for two algorithms.
const HKDF_SALT = Buffer.from('jiekun-pii', 'utf8')
const ENCRYPTION_INFO = 'jiekun pii v1 aes-256-gcm'
const INDEX_INFO = 'jiekun pii v1 blind-index hmac-sha256'

export function createPiiCipher(keyMaterial: Buffer): PiiCipher {
  if (!Buffer.isBuffer(keyMaterial) || keyMaterial.length !== PII_KEY_BYTES) {
    throw new Error(`The PII key must be ${PII_KEY_BYTES} bytes`)
  }
  const encryptionKey = Buffer.from(hkdfSync('sha256', keyMaterial, HKDF_SALT, ENCRYPTION_INFO, 32))
  const indexKey = Buffer.from(hkdfSync('sha256', keyMaterial, HKDF_SALT, INDEX_INFO, 32))
  // The version is authenticated with the value, so a prefix cannot be swapped unnoticed.
  const aad = Buffer.from(VERSION, 'utf8')

  return {
    encrypt(plain) {
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv, { authTagLength: TAG_BYTES })
      cipher.setAAD(aad)
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`
    },

    decrypt(sealed) {
      const match = /^v1:([A-Za-z0-9_-]+)$/.exec(sealed)
      const bytes = match ? Buffer.from(match[1]!, 'base64url') : null
      if (!bytes || bytes.length < IV_BYTES + TAG_BYTES) throw new Error('Not a sealed PII value (expected v1:…)')
      const decipher = createDecipheriv('aes-256-gcm', encryptionKey, bytes.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES })
      decipher.setAAD(aad)
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES))
      try {
        return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8')
      } catch {
        // Neither the value nor the key is named: either could end up in a log.
        throw new Error('A sealed PII value failed authentication: it was altered, or sealed under another key')
      }
    },

    blindIndex(kind, normalised) {
      // The 0 byte ends the kind; a kind holding one could make ('a\0b', 'c') and ('a', 'b\0c') meet.
      if (kind.length === 0 || kind.includes('\0')) throw new Error('A blind-index kind must be non-empty and hold no NUL character')
      return createHmac('sha256', indexKey).update(`${kind}\0${normalised}`, 'utf8').digest('base64url')
    },
  }
}

export interface PiiKeyOptions {
  env: NodeJS.ProcessEnv
  dataDir: string
  production: boolean
  /** Which store the server uses; defaults to the environment's DATABASE_URL, as config.ts reads it. */
  databaseUrl?: string | null
}

export interface LoadedPiiKey {
  key: Buffer
  /** `created` is worth a log line: the file must now be backed up with the store (it is not in the store's backup). */
  source: 'env' | 'file' | 'created'
  /** The key file, when the key came from or went to one. */
  file?: string
}

/**
 * The master key, in this order:
 *
 * 1. JIEKUN_PII_KEY, base64 of 32 random bytes (`openssl rand -base64 32`);
 * 2. otherwise DATA_DIR/pii.key, created on the first start (mode 0600) and read after —
 *    for the embedded store, and for PostgreSQL outside production (development, tests);
 * 3. in production on PostgreSQL without the variable, an error: application servers
 *    share one database, and a key file on one of them would be lost with that server and
 *    differ from the others'.
 *
 * An existing key file is never overwritten, not even when unreadable: replacing the key
 * would make every sealed value undecryptable.
 */
export function loadOrCreatePiiKey(options: PiiKeyOptions): LoadedPiiKey {
  const fromEnv = options.env[PII_KEY_ENV]?.trim()
  if (fromEnv) {
    const key = decodeKey(fromEnv)
    if (!key) {
      // The length helps find a truncated paste; the value itself is a secret and stays out of logs.
      throw new Error(
        `${PII_KEY_ENV} is not ${PII_KEY_BYTES} bytes in base64: it has ${fromEnv.length} characters where 44 are expected, as printed by \`openssl rand -base64 32\``,
      )
    }
    return { key, source: 'env' }
  }

  const databaseUrl = options.databaseUrl !== undefined ? options.databaseUrl : options.env.DATABASE_URL?.trim() || null
  if (databaseUrl && options.production) {
    throw new Error(
      `Set ${PII_KEY_ENV} (base64 of ${PII_KEY_BYTES} random bytes, e.g. \`openssl rand -base64 32\`): in production on PostgreSQL the key that protects ID and phone numbers cannot be a file on one server. Keep it apart from the database and its backups.`,
    )
  }

  const file = path.join(path.resolve(options.dataDir), PII_KEY_FILE)
  const existing = readKeyFile(file)
  if (existing) return { key: existing, source: 'file', file }

  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 })
  const key = randomBytes(PII_KEY_BYTES)
  if (!createFileExclusively(file, `${key.toString('base64')}\n`)) {
    // Another process created it between our look and our write: theirs is the key.
    const theirs = readKeyFile(file)
    if (!theirs) throw new Error(`The PII key file ${file} appeared while being created but cannot be read`)
    return { key: theirs, source: 'file', file }
  }
  return { key, source: 'created', file }
}

function decodeKey(text: string): Buffer | null {
  // Buffer.from(…, 'base64') skips characters it does not know; check the alphabet first.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) && !/^[A-Za-z0-9_-]+$/.test(text)) return null
  const key = Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64')
  return key.length === PII_KEY_BYTES ? key : null
}

function readKeyFile(file: string): Buffer | null {
  let content: string
  try {
    content = fs.readFileSync(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
  const key = decodeKey(content.trim())
  if (!key) {
    throw new Error(`The PII key file ${file} does not hold ${PII_KEY_BYTES} bytes in base64. It is not replaced: restore it from a backup, or ID and phone numbers stored under it cannot be read.`)
  }
  return key
}

