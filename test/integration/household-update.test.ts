import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { login } from '../../src/server/modules/access/auth.service.ts'
import { fileHousehold, getHousehold, type MemberInput, reclassifyHousehold, updateHousehold } from '../../src/server/modules/households/households.service.ts'
import { residentIdCheckChar } from '../../src/server/platform/codes/resident-id.ts'
import { luhnValid } from '../../src/server/platform/codes/bank-card.ts'
import { creditCodeCheckChar } from '../../src/server/platform/codes/credit-code.ts'
import { AppError, type ErrorCode, type FieldError } from '../../src/server/platform/errors.ts'
import { createPiiCipher } from '../../src/server/platform/pii-crypto.ts'
import type { Principal } from '../../src/server/platform/principal.ts'
import { type TestDatabase, testDatabase } from '../support/db.ts'
import { TEST_PASSWORD } from '../support/engine.ts'

let database: TestDatabase
let worker: Principal
let worker2: Principal
const cipher = createPiiCipher(Buffer.alloc(32, 7))

beforeAll(async () => {
  database = await testDatabase()
  const signIn = async (u: string) => (await login(database.db, u, TEST_PASSWORD, { ip: null, userAgent: null, requestId: `t-${u}` })).principal
  worker = await signIn('case_worker')
  worker2 = await signIn('case_worker2')
  // 郑州市's standard: 低保 800 yuan a month, minimum wage 2,200 yuan.
  await database.db.insertInto('local_standard').values({ region_code: '410100', effective_from: '2026-01-01', dibao_line_fen: 80_000n, min_wage_fen: 220_000n }).execute()
})
afterAll(async () => database?.drop())

const idOf = (first17: string) => first17 + residentIdCheckChar(first17)
const creditOf = (first17: string) => first17 + creditCodeCheckChar(first17)
const cardOf = (body: string) => [...'0123456789'].map((d) => body + d).find(luhnValid)!

async function refusal(promise: Promise<unknown>, code: ErrorCode): Promise<AppError> {
  const err = await promise.then(() => null, (e: unknown) => e)
  expect(err).toBeInstanceOf(AppError)
  expect((err as AppError).code).toBe(code)
  return err as AppError
}
const fieldsOf = (err: AppError) => (err.details as FieldError[]).map((d) => d.field)

const head = (id: string, o: Partial<MemberInput> = {}): MemberInput => ({ name: '王五', relation: 'head', idNumber: id, health: 'healthy', workStatus: 'laid_off', monthlyIncomeFen: 0, ...o })

describe('the whole household file', () => {
  it('files the form facts, seals the account, and computes the classification with its standard', async () => {
    const filed = await fileHousehold(database.db, worker, cipher, {
      regionCode: '410102',
      orgId: worker.orgId!,
      address: '中原区桐柏路 8 号',
      hukouType: 'urban',
      housingType: 'rented',
      housingArea: '42.5',
      employerCreditCode: creditOf('91410100MA3X00001'),
      employerName: '郑州某纺织厂',
      restructuring: 'bankruptcy',
      socialInsurance: 'partial',
      yearlyIncomeFen: 1_200_000n,
      yearlyRigidSpendingFen: 300_000n,
      primaryCause: 'laid_off',
      secondaryCauses: ['serious_illness'],
      bankName: '中国工商银行',
      bankAccount: cardOf('622202020000000000'),
      members: [head(idOf('41010219750101001'), { maritalStatus: 'married' }), { name: '赵六', relation: 'child', idNumber: idOf('41010220100101002'), health: 'healthy', workStatus: 'student', monthlyIncomeFen: 0, schoolStage: 'junior' }],
    })
    expect(filed).toMatchObject({ headName: '王五', housingArea: '42.5', restructuring: 'bankruptcy', primaryCause: 'laid_off', secondaryCauses: ['serious_illness'], version: 1 })
    expect(filed.bankAccount).toMatch(/^\*+\d{4}$/)
    const raw = await database.db.selectFrom('household').selectAll().where('id', '=', filed.id).executeTakeFirstOrThrow()
    expect(raw.bank_account_sealed).toMatch(/^v1:/)
    expect(cipher.decrypt(raw.bank_account_sealed!)).toMatch(/^\d{16,19}$/)
    // classified against 郑州市's standard, with the reason stored
    expect(filed.classification.standardId).not.toBeNull()
    expect(filed.classification.classifiedAt).not.toBeNull()
    expect(filed.classification.typeScheme).toBe('gb2026')
    const events = await database.db.selectFrom('household_event').select(['action', 'after']).where('household_id', '=', filed.id).execute()
    expect(events.map((e) => e.action)).toEqual(['household.file'])
    expect(JSON.stringify(events[0]!.after)).not.toContain('王五')
  })

  it('names every bad fact by its field and writes nothing', async () => {
    const before = await database.db.selectFrom('household').select((eb) => eb.fn.countAll<bigint>().as('n')).executeTakeFirstOrThrow()
    const err = await refusal(
      fileHousehold(database.db, worker, cipher, {
        regionCode: '410102',
        orgId: worker.orgId!,
        address: '某地',
        hukouType: 'martian',
        housingArea: '-3',
        employerCreditCode: '91410100MA3X00000X',
        primaryCause: 'bad_luck',
        secondaryCauses: ['accident', 'accident'],
        yearlyIncomeFen: -5 as unknown as bigint,
        bankAccount: '6222020200000000001',
        members: [head(idOf('41010219750101011'), { maritalStatus: 'complicated' })],
      }),
      'VALIDATION_FAILED',
    )
    expect(fieldsOf(err).sort()).toEqual(
      ['bankAccount', 'bankName', 'employerCreditCode', 'housingArea', 'hukouType', 'members[0].maritalStatus', 'primaryCause', 'secondaryCauses', 'yearlyIncomeFen'].sort(),
    )
    const after = await database.db.selectFrom('household').select((eb) => eb.fn.countAll<bigint>().as('n')).executeTakeFirstOrThrow()
    expect(after.n).toBe(before.n)
  })

  it('updates a file at the version read: members kept, removed and added move in the register; a stale version is refused', async () => {
    const a = idOf('41010219700101021')
    const b = idOf('41010219720101022')
    const c = idOf('41010219900101023')
    const h = await fileHousehold(database.db, worker, cipher, {
      regionCode: '410102',
      orgId: worker.orgId!,
      address: '旧地址',
      members: [head(a, { phone: '13812345678' }), { name: '配偶', relation: 'spouse', idNumber: b, health: 'healthy', workStatus: 'employed', monthlyIncomeFen: 100_000 }],
    })
    const headId = h.members.find((m) => m.relation === 'head')!.id
    const updated = await updateHousehold(database.db, worker, cipher, h.id, {
      version: 1,
      address: '新地址',
      yearlyIncomeFen: 2_400_000n,
      members: [
        { id: headId, name: '王五', relation: 'head', health: 'serious_illness', workStatus: 'unable_to_work', monthlyIncomeFen: 0 },
        { name: '儿子', relation: 'child', idNumber: c, health: 'healthy', workStatus: 'employed', monthlyIncomeFen: 300_000 },
      ],
    })
    expect(updated).toMatchObject({ address: '新地址', version: 2, yearlyIncomeFen: 2_400_000n })
    expect(updated.members.map((m) => m.relation).sort()).toEqual(['child', 'head'])
    // the phone was not sent, so it was kept
    expect(updated.members.find((m) => m.relation === 'head')).toMatchObject({ phone: '138****5678', health: 'serious_illness' })
    const registry = await database.db.selectFrom('person_registry').select('id_number_index').where('household_id', '=', h.id).execute()
    expect(registry.map((r) => r.id_number_index).sort()).toEqual([a, c].map((x) => cipher.blindIndex('resident_id', x)).sort())

    // the removed spouse may now be filed elsewhere; the editor with the old version is refused
    await fileHousehold(database.db, worker2, cipher, { regionCode: '410103', orgId: worker2.orgId!, address: '二七区', members: [head(b)] })
    const stale = await refusal(updateHousehold(database.db, worker, cipher, h.id, { version: 1, address: 'x', members: [{ id: headId, name: '王五', relation: 'head', health: 'healthy', workStatus: 'employed', monthlyIncomeFen: 0 }] }), 'CONFLICT')
    expect(fieldsOf(stale)).toEqual(['version'])

    // adding a person on another file is refused naming where, and changes nothing
    const other = await refusal(
      updateHousehold(database.db, worker, cipher, h.id, { version: 2, address: 'x', members: [{ id: headId, name: '王五', relation: 'head', health: 'healthy', workStatus: 'employed', monthlyIncomeFen: 0 }, head(b, { relation: 'spouse' })] }),
      'CONFLICT',
    )
    expect(fieldsOf(other)).toEqual(['members[1].idNumber'])
    expect(other.text?.['zh-CN']).toContain('二七区')
    expect((await getHousehold(database.db, worker, cipher, h.id)).version).toBe(2)

    const history = await database.db.selectFrom('household_event').select('action').where('household_id', '=', h.id).orderBy('at').execute()
    expect(history.map((e) => e.action)).toEqual(['household.file', 'household.update'])
  })

  it('answers an out-of-scope or submitted file as the rules say', async () => {
    const h = await fileHousehold(database.db, worker, cipher, { regionCode: '410102', orgId: worker.orgId!, address: '某地', members: [head(idOf('41010219700101031'))] })
    await refusal(updateHousehold(database.db, worker2, cipher, h.id, { version: 1, address: 'x', members: [] }), 'NOT_FOUND')
    await database.db.updateTable('household').set({ status: 'submitted' }).where('id', '=', h.id).execute()
    const err = await refusal(updateHousehold(database.db, worker, cipher, h.id, { version: 1, address: 'x', members: [] }), 'CONFLICT')
    expect(fieldsOf(err)).toEqual(['status'])
  })

  it('reclassifies a stored file and records a change of type in its history', async () => {
    const h = await fileHousehold(database.db, worker, cipher, { regionCode: '410102', orgId: worker.orgId!, address: '某地', yearlyIncomeFen: 100_000n, members: [head(idOf('41010219700101041'), { health: 'serious_illness', workStatus: 'unable_to_work' })] })
    await database.db.insertInto('local_standard').values({ region_code: '410102', effective_from: '2026-02-01', dibao_line_fen: 90_000n, min_wage_fen: 220_000n }).execute()
    const c = await database.db.transaction().execute((trx) => reclassifyHousehold(trx, worker, { provinceCode: '41', id: h.id }))
    const again = await getHousehold(database.db, worker, cipher, h.id)
    expect(again.classification.hardshipType).toBe(c.hardshipType)
    expect(again.classification.standardId).not.toBe(h.classification.standardId)
  })
})
