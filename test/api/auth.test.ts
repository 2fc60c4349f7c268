import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestApi, testApi } from '../support/api.ts'

let api: TestApi
beforeAll(async () => {
  api = await testApi()
})
afterAll(async () => api?.close())

describe('POST /api/auth/login', () => {
  it('signs in a demo user and returns who they are, with an HttpOnly SameSite cookie', async () => {
    const res = await api.request(null, { method: 'POST', url: '/api/auth/login', payload: { username: 'case_worker', password: 'test-password-1' } })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.user).toMatchObject({
      username: 'case_worker',
      roles: ['case_worker'],
      org: { type: 'county_union', level: 'county', regionCode: '410102' },
      scope: { regionCode: '410102', regionName: '河南省 郑州市 中原区', industry: null },
    })
    expect(body.user.permissions).toContain('household.read')
    expect(body.user.permissions).not.toContain('user.manage')
    expect(body.csrfToken).toMatch(/^[\w-]{20,}$/)
    const cookie = res.cookies.find((c) => c.name === 'jk_sid')
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' })
  })

  it('refuses a wrong password with the same answer as an unknown user', async () => {
    const zh = { 'accept-language': 'zh-CN,zh;q=0.9' }
    const wrong = await api.request(null, { method: 'POST', url: '/api/auth/login', headers: zh, payload: { username: 'approver', password: 'nope-nope-nope' } })
    const unknown = await api.request(null, { method: 'POST', url: '/api/auth/login', headers: zh, payload: { username: 'nobody_here', password: 'nope-nope-nope' } })
    expect(wrong.statusCode).toBe(401)
    expect(unknown.statusCode).toBe(401)
    expect(wrong.json()).toEqual({ error: { code: 'AUTH_INVALID_CREDENTIALS', message: '用户名或密码错误' } })
    expect(unknown.json()).toEqual(wrong.json())
  })

  it('answers in English when the browser asks for it', async () => {
    const res = await api.request(null, {
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'accept-language': 'en-GB,en;q=0.9' },
      payload: { username: 'approver', password: 'nope-nope-nope' },
    })
    expect(res.json()).toEqual({ error: { code: 'AUTH_INVALID_CREDENTIALS', message: 'Wrong username or password' } })
  })

  it('names each missing field, in the caller\'s language', async () => {
    const res = await api.request(null, { method: 'POST', url: '/api/auth/login', payload: {} })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.code).toBe('VALIDATION_FAILED')
    expect(res.json().error.details).toEqual([
      { field: 'username', message: 'is required' },
      { field: 'password', message: 'is required' },
    ])
    const zh = await api.request(null, { method: 'POST', url: '/api/auth/login', headers: { 'accept-language': 'zh-CN' }, payload: { username: 'x' } })
    expect(zh.json().error).toEqual({ code: 'VALIDATION_FAILED', message: '输入有误，请检查标出的字段', details: [{ field: 'password', message: '必填' }] })
  })

  it('locks the account after five failures in a row, even for the right password', async () => {
    for (let i = 0; i < 4; i++) {
      const res = await api.request(null, { method: 'POST', url: '/api/auth/login', payload: { username: 'monitor', password: `wrong-${i}-xxxxx` } })
      expect(res.statusCode).toBe(401)
    }
    const fifth = await api.request(null, { method: 'POST', url: '/api/auth/login', payload: { username: 'monitor', password: 'wrong-5-xxxxx' } })
    expect(fifth.statusCode).toBe(423)
    expect(fifth.json().error).toMatchObject({ code: 'AUTH_LOCKED', details: { retryAfterSeconds: 900 } })
    const right = await api.request(null, { method: 'POST', url: '/api/auth/login', payload: { username: 'monitor', password: 'test-password-1' } })
    expect(right.statusCode).toBe(423)

    const admin = await api.login('province_admin')
    const users = await api.request(admin, { method: 'GET', url: '/api/users?q=monitor' })
    const monitor = users.json().items.find((u: { username: string }) => u.username === 'monitor')
    expect(monitor.locked).toBe(true)
    const unlock = await api.request(admin, { method: 'POST', url: `/api/users/${monitor.id}/unlock` })
    expect(unlock.statusCode).toBe(204)
    await api.login('monitor')
  })
})

describe('sessions', () => {
  it('GET /api/auth/me refuses the anonymous and answers the signed-in', async () => {
    const anon = await api.request(null, { method: 'GET', url: '/api/auth/me', headers: { 'accept-language': 'zh-CN' } })
    expect(anon.statusCode).toBe(401)
    expect(anon.json()).toEqual({ error: { code: 'AUTH_REQUIRED', message: '请先登录' } })
    const s = await api.login('approver')
    const me = await api.request(s, { method: 'GET', url: '/api/auth/me' })
    expect(me.statusCode).toBe(200)
    expect(me.json().user.username).toBe('approver')
    expect(me.json().csrfToken).toBe(s.csrfToken)
  })

  it('refuses a write without the CSRF token, and one from another origin', async () => {
    const s = await api.login('approver')
    const noToken = await api.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: s.cookie } })
    expect(noToken.statusCode).toBe(403)
    expect(noToken.json().error.code).toBe('CSRF_INVALID')
    const foreign = await api.request(s, { method: 'POST', url: '/api/auth/logout', headers: { origin: 'https://evil.example', host: 'jiekun.local' } })
    expect(foreign.statusCode).toBe(403)
    expect(foreign.json().error.code).toBe('CSRF_INVALID')
  })

  it('logout ends the session', async () => {
    const s = await api.login('approver')
    expect((await api.request(s, { method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204)
    expect((await api.request(s, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401)
  })

  it('changing the password checks the current one and the rule, and ends other sessions', async () => {
    const a = await api.login('fund_manager')
    const b = await api.login('fund_manager')
    const wrong = await api.request(a, { method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'not-it-at-all', newPassword: 'a-new-password-9' } })
    expect(wrong.statusCode).toBe(400)
    expect(wrong.json().error.details).toEqual([{ field: 'currentPassword', message: 'is not your current password' }])
    const short = await api.request(a, { method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'test-password-1', newPassword: 'short' } })
    expect(short.json().error.details).toEqual([{ field: 'newPassword', message: 'must be at least 10 characters' }])
    const ok = await api.request(a, { method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'test-password-1', newPassword: 'a-new-password-9' } })
    expect(ok.statusCode).toBe(204)
    expect((await api.request(a, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(200)
    expect((await api.request(b, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401)
    await api.login('fund_manager', 'a-new-password-9')
  })
})

describe('rate limiting', () => {
  it('answers 429 RATE_LIMITED past the per-address limit', async () => {
    const limited = await testApi({ loginRateLimit: 3 })
    try {
      const codes: number[] = []
      for (let i = 0; i < 4; i++) {
        const res = await limited.request(null, { method: 'POST', url: '/api/auth/login', payload: { username: 'x_nobody', password: 'whatever-123' } })
        codes.push(res.statusCode)
      }
      expect(codes).toEqual([401, 401, 401, 429])
      const last = await limited.request(null, { method: 'POST', url: '/api/auth/login', payload: { username: 'x_nobody', password: 'whatever-123' } })
      expect(last.json().error.code).toBe('RATE_LIMITED')
    } finally {
      await limited.close()
    }
  })
})
