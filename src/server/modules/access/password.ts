import { type Algorithm, hash, verify } from '@node-rs/argon2'
import { type FieldError, text } from '../../platform/errors.ts'

// OWASP's argon2id floor: 19 MiB memory, 2 iterations, 1 lane. @node-rs/argon2 ships a
// prebuilt binary per platform (no compiler at install), and reads hashes of any argon2 library.
// `Algorithm` is a const enum, which isolated modules cannot read by name: 2 is Argon2id.
const options = { algorithm: 2 as Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 }

export function hashPassword(password: string): Promise<string> {
  return hash(password, options)
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password)
  } catch {
    return false
  }
}

/** Verified against when the username does not exist, so both cases take the same time. */
let dummyHash: Promise<string> | null = null
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('jiekun-no-such-user')
  return dummyHash
}

export const PASSWORD_MIN_LENGTH = 10

/** The password rule, shared by create, reset and change. */
export function checkPasswordRule(password: string, username: string, field = 'password'): FieldError | null {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return { field, message: text(`must be at least ${PASSWORD_MIN_LENGTH} characters`, `至少 ${PASSWORD_MIN_LENGTH} 个字符`) }
  }
  if (password.toLowerCase() === username.toLowerCase()) {
    return { field, message: text('must not be the username', '不能与用户名相同') }
  }
  return null
}
