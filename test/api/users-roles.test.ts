import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Session, type TestApi, testApi } from '../support/api.ts'

let api: TestApi
let admin: Session
let provinceAdmin: Session
let erqiUnionId: string

beforeAll(async () => {
  api = await testApi()
  admin = await api.login('admin')
  provinceAdmin = await api.login('province_admin')
  const res = await api.request(provinceAdmin, { method: 'GET', url: `/api/orgs?q=${encodeURIComponent('郑州二七区总工会')}` })
  erqiUnionId = res.json().items[0].id
})
afterAll(async () => api?.close())

describe('users', () => {
  it('an administrator creates a case worker who can then sign in with the scope of their organisation', async () => {
    const res = await api.request(provinceAdmin, {
      method: 'POST',
      url: '/api/users',
      payload: { username: 'zhang.san', displayName: '张三', orgId: erqiUnionId, roles: ['case_worker'], password: 'zhangsan-pass-1' },
    })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ username: 'zhang.san', displayName: '张三', orgName: '郑州二七区总工会', roles: ['case_worker'], active: true, locked: false })
    expect(res.json()).not.toHaveProperty('passwordHash')
    const s = await api.login('zhang.san', 'zhangsan-pass-1')
    const me = await api.request(s, { method: 'GET', url: '/api/auth/me' })
    expect(me.json().user.scope.regionCode).toBe('410103')
  })

  it('names every invalid field at once, and refuses a taken username', async () => {
    const bad = await api.request(provinceAdmin, { method: 'POST', url: '/api/users', payload: { username: 'a b', displayName: ' ', orgId: erqiUnionId, roles: [], password: 'short' } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.details.map((d: { field: string }) => d.field)).toEqual(['username', 'displayName', 'password'])
    const taken = await api.request(provinceAdmin, { method: 'POST', url: '/api/users', payload: { username: 'CASE_WORKER', displayName: 'x', orgId: erqiUnionId, roles: [], password: 'long-enough-pass' } })
    expect(taken.statusCode).toBe(409)
    expect(taken.json().error.code).toBe('USERNAME_TAKEN')
    const role = await api.request(provinceAdmin, { method: 'POST', url: '/api/users', payload: { username: 'li.si', displayName: '李四', orgId: erqiUnionId, roles: ['king'], password: 'long-enough-pass' } })
    expect(role.json().error.details).toEqual([{ field: 'roles', message: 'unknown role: king' }])
  })

  it('lets exactly one of ten simultaneous creations of one username succeed', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api.request(provinceAdmin, {
          method: 'POST',
          url: '/api/users',
          payload: { username: 'same.name', displayName: `同名${i}`, orgId: erqiUnionId, roles: ['case_worker'], password: 'same-name-pass-1' },
        }),
      ),
    )
    expect(attempts.map((r) => r.statusCode).sort()).toEqual([201, ...Array(9).fill(409)])
    expect(attempts.filter((r) => r.statusCode === 409).every((r) => r.json().error.code === 'USERNAME_TAKEN')).toBe(true)
  })

  it('deactivating a user ends their sessions; an administrator cannot deactivate themselves', async () => {
    const s = await api.login('case_worker2')
    const list = await api.request(provinceAdmin, { method: 'GET', url: '/api/users?q=case_worker2' })
    const id = list.json().items[0].id
    const res = await api.request(provinceAdmin, { method: 'PATCH', url: `/api/users/${id}`, payload: { active: false } })
    expect(res.json().active).toBe(false)
    expect((await api.request(s, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401)
    const self = await api.request(provinceAdmin, { method: 'PATCH', url: `/api/users/${provinceAdmin.userId}`, payload: { active: false } })
    expect(self.statusCode).toBe(400)
    await api.request(provinceAdmin, { method: 'PATCH', url: `/api/users/${id}`, payload: { active: true } })
  })

  it('resets a password, which then works and the old one does not', async () => {
    const list = await api.request(provinceAdmin, { method: 'GET', url: '/api/users?q=centre_operator' })
    const id = list.json().items[0].id
    const res = await api.request(provinceAdmin, { method: 'POST', url: `/api/users/${id}/reset-password`, payload: { password: 'fresh-password-7' } })
    expect(res.statusCode).toBe(204)
    await api.login('centre_operator', 'fresh-password-7')
    const old = await api.request(null, { method: 'POST', url: '/api/auth/login', payload: { username: 'centre_operator', password: 'test-password-1' } })
    expect(old.statusCode).toBe(401)
  })
})

describe('roles', () => {
  it('lists the built-in roles with their permissions', async () => {
    const res = await api.request(admin, { method: 'GET', url: '/api/roles' })
    expect(res.statusCode).toBe(200)
    expect(res.json().items.map((r: { code: string }) => r.code)).toEqual(['admin', 'approver', 'case_worker', 'centre_operator', 'fund_manager', 'inspector', 'monitor'])
    expect(res.json().permissions).toContain('pii.view')
  })

  it('lets a national administrator change a role, and no one else', async () => {
    const res = await api.request(admin, { method: 'PUT', url: '/api/roles/monitor', payload: { permissions: ['region.read', 'org.read', 'monitor.read'] } })
    expect(res.statusCode).toBe(200)
    expect(res.json().permissions).toEqual(['monitor.read', 'org.read', 'region.read'])
    const province = await api.request(provinceAdmin, { method: 'PUT', url: '/api/roles/monitor', payload: { permissions: [] } })
    expect(province.statusCode).toBe(403)
    const unknown = await api.request(admin, { method: 'PUT', url: '/api/roles/monitor', payload: { permissions: ['fly'] } })
    expect(unknown.json().error.details).toEqual([{ field: 'permissions', message: 'unknown permission: fly' }])
    const missing = await api.request(admin, { method: 'PUT', url: '/api/roles/nobody', payload: { permissions: [] } })
    expect(missing.statusCode).toBe(404)
  })
})
