import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Session, type TestApi, testApi } from '../support/api.ts'

let api: TestApi
let admin: Session // national
let provinceAdmin: Session // 河南 (41)
let worker: Session // case_worker, 410102, programme.read
let worker2: Session // case_worker2, 410103
let monitor: Session // neither programme.read nor manage

beforeAll(async () => {
  api = await testApi()
  admin = await api.login('admin')
  provinceAdmin = await api.login('province_admin')
  worker = await api.login('case_worker')
  worker2 = await api.login('case_worker2')
  monitor = await api.login('monitor')
})
afterAll(async () => api?.close())

const body = (over: Record<string, unknown> = {}) => ({
  code: `test_${randomUUID().slice(0, 8)}`,
  nameZh: '测试生活补贴',
  nameEn: 'Test living subsidy',
  kind: 'living_subsidy',
  fundType: 'hardship_fund',
  eligibility: { allOf: [{ kind: 'status', anyOf: ['verified'] }, { kind: 'hardshipType', anyOf: ['deep', 'relative'] }] },
  formula: { kind: 'fixedByHardshipType', amounts: { deep: '50000', relative: '30000' } },
  frequency: 'monthly',
  capPerHouseholdYearFen: '600000',
  policyBasis: '总工发〔2016〕7号 三（三）3',
  ...over,
})
const fieldsOf = (res: { json(): unknown }) => ((res.json() as { error: { details?: { field: string }[] } }).error.details ?? []).map((d) => d.field).sort()
const codesOf = (res: { json(): unknown }) => (res.json() as { items: { code: string }[] }).items.map((p) => p.code)

describe('/api/programmes', () => {
  it('refuses the unauthenticated on every route', async () => {
    const id = randomUUID()
    for (const [method, url] of [
      ['GET', '/api/programmes'],
      ['GET', `/api/programmes/${id}`],
      ['POST', '/api/programmes'],
      ['PATCH', `/api/programmes/${id}`],
      ['POST', `/api/programmes/${id}/deactivate`],
    ] as const) {
      const res = await api.request(null, { method, url, ...(method !== 'GET' ? { payload: { version: 1 } } : {}) })
      expect(res.statusCode, `${method} ${url}`).toBe(401)
      expect(res.json().error.code).toBe('AUTH_REQUIRED')
    }
  })

  it('refuses reading without programme.read and writing without programme.manage', async () => {
    expect((await api.request(monitor, { method: 'GET', url: '/api/programmes' })).statusCode).toBe(403)
    const res = await api.request(worker, { method: 'POST', url: '/api/programmes', payload: body() })
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('FORBIDDEN')
    const list = await api.request(worker, { method: 'GET', url: '/api/programmes' })
    expect(list.statusCode).toBe(200)
    const some = list.json().items[0]
    if (some) {
      const upd = await api.request(worker, { method: 'PATCH', url: `/api/programmes/${some.id}`, payload: { version: some.version, nameZh: 'x' } })
      expect(upd.statusCode).toBe(403)
    }
  })

  it('names each invalid field, down to the condition and the amount', async () => {
    const res = await api.request(admin, {
      method: 'POST',
      url: '/api/programmes',
      payload: body({
        code: 'Bad Code',
        nameZh: '',
        kind: 'lottery',
        frequency: 'weekly',
        capPerHouseholdYearFen: '-1',
        postingDays: 0,
        regionPrefix: '4101x',
        eligibility: { allOf: [{ kind: 'hardshipType', anyOf: ['rich'] }, { kind: 'perCapitaBelowFen', value: 'abc' }] },
        formula: { kind: 'fixedByHardshipType', amounts: { deep: '1.5' } },
      }),
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.code).toBe('VALIDATION_FAILED')
    expect(fieldsOf(res)).toEqual([
      'capPerHouseholdYearFen',
      'code',
      'eligibility.allOf[0].anyOf',
      'eligibility.allOf[1].value',
      'formula.amounts.deep',
      'frequency',
      'kind',
      'nameZh',
      'postingDays',
      'regionPrefix',
    ])
    const zh = await api.request(admin, { method: 'POST', url: '/api/programmes', payload: body({ formula: { kind: 'loan' } }), headers: { 'accept-language': 'zh-CN' } })
    expect(fieldsOf(zh)).toEqual(['formula.interestSubsidyBp', 'formula.maxPrincipalFen', 'formula.termMonths'])
    expect(zh.json().error.details[0].message).toMatch(/分/)
  })

  it('creates, lists by scope, updates with the version, deactivates; audited', async () => {
    // 中原区's own programme, by the province administrator
    const local = await api.request(provinceAdmin, { method: 'POST', url: '/api/programmes', payload: body({ regionPrefix: '410102', postingDays: 5 }) })
    expect(local.statusCode).toBe(201)
    const p = local.json()
    expect(p).toMatchObject({
      regionPrefix: '410102',
      kind: 'living_subsidy',
      capPerHouseholdYearFen: '600000',
      approvalKind: 'programme.application',
      postingRequired: true,
      postingDays: 5,
      active: true,
      version: 1,
      formula: { kind: 'fixedByHardshipType', amounts: { deep: '50000', relative: '30000' } },
    })
    const national = (await api.request(admin, { method: 'POST', url: '/api/programmes', payload: body({ regionPrefix: '', capPerHouseholdYearFen: null, kind: 'temporary_aid', formula: { kind: 'fixed', amountFen: '200000' }, frequency: 'one_off' }) })).json()
    expect(national).toMatchObject({ regionPrefix: '', capPerHouseholdYearFen: null })

    // the worker of 中原区 sees both; the worker of 二七区 only the national one, and the other answers like a missing one
    expect(codesOf(await api.request(worker, { method: 'GET', url: '/api/programmes' }))).toEqual(expect.arrayContaining([p.code, national.code]))
    const other = codesOf(await api.request(worker2, { method: 'GET', url: '/api/programmes' }))
    expect(other).toContain(national.code)
    expect(other).not.toContain(p.code)
    expect((await api.request(worker2, { method: 'GET', url: `/api/programmes/${p.id}` })).statusCode).toBe(404)
    expect((await api.request(worker, { method: 'GET', url: `/api/programmes/${p.id}` })).json().code).toBe(p.code)
    expect((await api.request(worker, { method: 'GET', url: '/api/programmes/not-a-uuid' })).statusCode).toBe(404)

    // a region outside the caller's scope cannot be given; a programme above it cannot be changed
    const outside = await api.request(provinceAdmin, { method: 'POST', url: '/api/programmes', payload: body({ regionPrefix: '42' }) })
    expect(outside.statusCode).toBe(400)
    expect(fieldsOf(outside)).toEqual(['regionPrefix'])
    const above = await api.request(provinceAdmin, { method: 'PATCH', url: `/api/programmes/${national.id}`, payload: { version: 1, nameZh: '改' } })
    expect(above.statusCode).toBe(404)

    // the code is unique
    const dup = await api.request(admin, { method: 'POST', url: '/api/programmes', payload: body({ code: p.code }) })
    expect(dup.statusCode).toBe(409)
    expect(fieldsOf(dup)).toEqual(['code'])

    // update names the version; a stale one is refused
    const upd = await api.request(provinceAdmin, {
      method: 'PATCH',
      url: `/api/programmes/${p.id}`,
      payload: { version: 1, nameZh: '中原区生活补贴', formula: { kind: 'fixedByHardshipType', amounts: { deep: '60000', relative: '35000', accident: '40000' } } },
    })
    expect(upd.statusCode).toBe(200)
    expect(upd.json()).toMatchObject({ nameZh: '中原区生活补贴', version: 2, formula: { amounts: { deep: '60000' } }, code: p.code, regionPrefix: '410102' })
    const stale = await api.request(provinceAdmin, { method: 'PATCH', url: `/api/programmes/${p.id}`, payload: { version: 1, nameZh: '又改' } })
    expect(stale.statusCode).toBe(409)
    const badUpd = await api.request(provinceAdmin, { method: 'PATCH', url: `/api/programmes/${p.id}`, payload: { version: 2, eligibility: { allOf: [{ kind: 'targetGroup', anyOf: [9] }] } } })
    expect(fieldsOf(badUpd)).toEqual(['eligibility.allOf[0].anyOf'])

    // deactivate: gone from the default list, still readable with includeInactive
    const off = await api.request(provinceAdmin, { method: 'POST', url: `/api/programmes/${p.id}/deactivate`, payload: { version: 2 } })
    expect(off.statusCode).toBe(200)
    expect(off.json()).toMatchObject({ active: false, version: 3 })
    expect(codesOf(await api.request(worker, { method: 'GET', url: '/api/programmes' }))).not.toContain(p.code)
    expect(codesOf(await api.request(worker, { method: 'GET', url: '/api/programmes?includeInactive=true' }))).toContain(p.code)

    const audits = await api.database.db.selectFrom('audit_log').select(['action', 'region_code']).where('entity_id', '=', p.id).orderBy('seq').execute()
    expect(audits).toEqual([
      { action: 'programme.create', region_code: '410102' },
      { action: 'programme.update', region_code: '410102' },
      { action: 'programme.deactivate', region_code: '410102' },
    ])
  })
})
