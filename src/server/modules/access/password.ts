import argon2 from 'argon2'
import { type FieldError, text } from '../../platform/errors.ts'

// OWASP's argon2id floor: 19 MiB memory, 2 iterations, 1 lane.
const options = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, options)
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password)
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
