import { describe, expect, it } from 'vitest'
import { checkPasswordRule, hashPassword, verifyPassword } from './password.ts'

describe('password rule', () => {
  it('needs ten characters and must not be the username', () => {
    expect(checkPasswordRule('short', 'wang')).toEqual({ field: 'password', message: { en: 'must be at least 10 characters', 'zh-CN': '至少 10 个字符' } })
    expect(checkPasswordRule('Wang.Xiaoming', 'wang.xiaoming')).toEqual({ field: 'password', message: { en: 'must not be the username', 'zh-CN': '不能与用户名相同' } })
    expect(checkPasswordRule('long-enough-1', 'wang')).toBeNull()
  })
})

describe('argon2id hashing', () => {
  it('verifies the right password and refuses a wrong one or a broken hash', async () => {
    const hash = await hashPassword('correct horse battery')
    expect(hash).toMatch(/^\$argon2id\$/)
    expect(await verifyPassword(hash, 'correct horse battery')).toBe(true)
    expect(await verifyPassword(hash, 'correct horse battery!')).toBe(false)
    expect(await verifyPassword('not-a-hash', 'x')).toBe(false)
  })
})
