import { describe, expect, it } from 'vitest'
import { AppError, errorCodes, errorMessage, httpStatusOf, pickLocale, text } from './errors.ts'

describe('error codes', () => {
  it('map every code to a status and a message in both languages', () => {
    for (const code of errorCodes) {
      expect(httpStatusOf[code]).toBeGreaterThanOrEqual(400)
      expect(errorMessage(code, 'zh-CN')).toMatch(/\p{Script=Han}/u)
      expect(errorMessage(code, 'en')).toMatch(/[a-z]/)
    }
  })

  it('keep the localised default unless the thrower wrote a message', () => {
    expect(new AppError('NOT_FOUND').messageIn('zh-CN')).toBe('记录不存在')
    const specific = new AppError('CONFLICT', text('Deactivate its children first', '请先停用下级组织'))
    expect(specific.messageIn('en')).toBe('Deactivate its children first')
    expect(specific.messageIn('zh-CN')).toBe('请先停用下级组织')
  })

  it('choose English only when the caller asks for it first', () => {
    expect(pickLocale('en-US,en;q=0.9')).toBe('en')
    expect(pickLocale('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN')
    expect(pickLocale(undefined)).toBe('zh-CN')
  })
})
