import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { login } from '../../src/server/modules/access/auth.service.ts'
import { verifyChains } from '../../src/server/modules/audit/audit.service.ts'
import {
  fileHousehold,
  findByIdNumber,
  getHousehold,
  type FileHouseholdInput,
  type MemberInput,
} from '../../src/server/modules/households/households.service.ts'
import { getOrg } from '../../src/server/modules/orgs/orgs.service.ts'
import { residentIdCheckChar } from '../../src/server/platform/codes/resident-id.ts'
import { AppError, type ErrorCode, type FieldError } from '../../src/server/platform/errors.ts'
import { createPiiCipher } from '../../src/server/platform/pii-crypto.ts'
import type { Principal } from '../../src/server/platform/principal.ts'
import { type TestDatabase, testDatabase } from '../support/db.ts'
import { TEST_PASSWORD } from '../support/engine.ts'

let database: TestDatabase
// Demo users: case_worker (county 410102, household.write, no pii.view), case_worker2 (county 410103),
// approver (city 4101, household.read and pii.view).
let worker: Principal
let worker2: Principal
let approver: Principal
const cipher = createPiiCipher(Buffer.alloc(32, 7))

async function signIn(username: string): Promise<Principal> {
  return (await login(database.db, username, TEST_PASSWORD, { ip: null, userAgent: null, requestId: `test-${username}` })).principal
}

beforeAll(async () => {
  database = await testDatabase()
  worker = await signIn('case_worker')
  worker2 = await signIn('case_worker2')
  approver = await signIn('approver')
})
afterAll(async () => database?.drop())

/** A valid 18-character ID number from its first 17 digits. */
const idOf = (first17: string) => first17 + residentIdCheckChar(first17)

const HEAD_ID = idOf('41010219800315123') // digit 17 odd: male, born 1980-03-15
const SPOUSE_ID = idOf('41010219820620124') // digit 17 even: female, born 1982-06-20

function member(overrides: Partial<MemberInput> = {}): MemberInput {
  return { name: '张三', relation: 'head', idNumber: HEAD_ID, health: 'healthy', workStatus: 'laid_off', monthlyIncomeFen: 120_000, ...overrides }
}

function filing(p: Principal, members: MemberInput[], regionCode = '410102'): FileHouseholdInput {
  return { regionCode, orgId: p.orgId!, address: '郑州市中原区建设路 1 号', members }
}

async function refusal(promise: Promise<unknown>, code: ErrorCode): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(AppError)
  expect((err as AppError).code).toBe(code)
  return err as AppError
}

const fieldsOf = (err: AppError) => (err.details as FieldError[]).map((d) => d.field)

async function counts() {
  const n = async (table: 'household' | 'household_member' | 'person_registry') =>
    Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll<bigint>().as('n')).executeTakeFirstOrThrow()).n)
  return { households: await n('household'), members: await n('household_member'), registry: await n('person_registry') }
}

const json = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))

describe('household files', () => {
  let householdId: string

  it('file a household with its members sealed, sex and birth date derived from the ID number', async () => {
    const h = await fileHousehold(
      database.db,
      worker,
      cipher,
      filing(worker, [
        member({ phone: '138 1234 5678' }),
        member({ name: '李四', relation: 'spouse', idNumber: SPOUSE_ID.toLowerCase(), health: 'chronic_illness', workStatus: 'employed', monthlyIncomeFen: 250_050 }),
      ]),
    )
    householdId = h.id
    expect(h.fileNo).toMatch(/^410102-\d{4}-\d{6}$/)
    expect(h).toMatchObject({ regionCode: '410102', regionName: '河南省 郑州市 中原区', status: 'draft', episode: 1, fullView: false })
    expect(h.members).toHaveLength(2)
    expect(h.members[0]).toMatchObject({ relation: 'head', sex: 'male', birthDate: '1980-03-15', idNumber: `4101**********${HEAD_ID.slice(-4)}`, phone: '138****5678' })
    expect(h.members[1]).toMatchObject({ relation: 'spouse', sex: 'female', birthDate: '1982-06-20', phone: null, monthlyIncomeFen: 250_050n })

    const raw = await database.db.selectFrom('household_member').selectAll().where('household_id', '=', h.id).execute()
    expect(raw).toHaveLength(2)
    const text = json(raw)
    for (const plain of [HEAD_ID, SPOUSE_ID, '13812345678']) expect(text).not.toContain(plain)
    const head = raw.find((r) => r.relation === 'head')!
    expect(cipher.decrypt(head.id_number_sealed)).toBe(HEAD_ID)
    expect(cipher.decrypt(head.phone_sealed!)).toBe('13812345678')
    expect(head.id_number_index).toBe(cipher.blindIndex('resident_id', HEAD_ID))

    const registry = await database.db.selectFrom('person_registry').selectAll().where('household_id', '=', h.id).execute()
    expect(registry.map((r) => r.region_code)).toEqual(['410102', '410102'])

    const entry = await database.db.selectFrom('audit_log').selectAll().where('action', '=', 'household.file').where('entity_id', '=', h.id).executeTakeFirstOrThrow()
    expect(entry.actor_name).toBe('case_worker')
    const logged = json(entry)
    for (const plain of [HEAD_ID, SPOUSE_ID, '13812345678', '张三']) expect(logged).not.toContain(plain)
  })

  it('mask ID and phone numbers unless a user with pii.view asks for the full view, which is audited', async () => {
    const fullViews = () =>
      database.db.selectFrom('audit_log').select(['actor_name', 'region_code']).where('action', '=', 'member.view_full').where('entity_id', '=', householdId).execute()

    const asked = await getHousehold(database.db, worker, cipher, householdId, { fullView: true })
    expect(asked.fullView).toBe(false)
    expect(asked.members[0]!.idNumber).toBe(`4101**********${HEAD_ID.slice(-4)}`)
    expect(await fullViews()).toEqual([])

    const masked = await getHousehold(database.db, approver, cipher, householdId)
    expect(masked.fullView).toBe(false)
    expect(json(masked)).not.toContain(HEAD_ID)
    expect(await fullViews()).toEqual([])

    const full = await getHousehold(database.db, approver, cipher, householdId, { fullView: true })
    expect(full.fullView).toBe(true)
    expect(full.members.map((m) => m.idNumber)).toEqual([HEAD_ID, SPOUSE_ID])
    expect(full.members[0]!.phone).toBe('13812345678')
    expect(await fullViews()).toEqual([{ actor_name: 'approver', region_code: '410102' }])
  })

  it('name each invalid field, all at once, and write nothing', async () => {
    const before = await counts()
    const badCheck = HEAD_ID.slice(0, 17) + (HEAD_ID[17] === '0' ? '1' : '0')

    const err = await refusal(
      fileHousehold(
        database.db,
        worker,
        cipher,
        filing(worker, [
          member({ idNumber: idOf('41010319900101001') }),
          member({ relation: 'spouse', idNumber: badCheck }),
          member({ relation: 'child', idNumber: '410102198002301234' }),
          member({ relation: 'child', idNumber: idOf('41010220100101002'), health: 'fine', workStatus: 'idle', monthlyIncomeFen: 1.5, phone: '12345' }),
        ]),
      ),
      'VALIDATION_FAILED',
    )
    expect(fieldsOf(err)).toEqual([
      'members[1].idNumber',
      'members[2].idNumber',
      'members[3].phone',
      'members[3].health',
      'members[3].workStatus',
      'members[3].monthlyIncomeFen',
    ])
    const details = err.details as FieldError[]
    expect(details[0]!.message['zh-CN']).toContain('校验位')
    expect(details[1]!.message['zh-CN']).toContain('出生日期')

    const twoHeads = await refusal(
      fileHousehold(database.db, worker, cipher, filing(worker, [member({ idNumber: idOf('41010319900101011') }), member({ idNumber: idOf('41010319900101022') })])),
      'VALIDATION_FAILED',
    )
    expect(fieldsOf(twoHeads)).toEqual(['members[1].relation'])

    const noHead = await refusal(
      fileHousehold(database.db, worker, cipher, filing(worker, [member({ relation: 'spouse', idNumber: idOf('41010319900101033') })])),
      'VALIDATION_FAILED',
    )
    expect(fieldsOf(noHead)).toEqual(['members'])
    expect((noHead.details as FieldError[])[0]!.message.en).toContain('head')

    const outside = await refusal(fileHousehold(database.db, worker, cipher, filing(worker, [member({ idNumber: idOf('41010319900101044') })], '410103')), 'VALIDATION_FAILED')
    expect(fieldsOf(outside)).toContain('regionCode')

    expect(await counts()).toEqual(before)
  })

  it('refuse a second filing of the same person anywhere, naming the holding region and organisation only', async () => {
    const before = await counts()
    const holder = await getOrg(database.db, worker, worker.orgId!)
    const err = await refusal(
      fileHousehold(
        database.db,
        worker2,
        cipher,
        filing(worker2, [member({ name: '王五', idNumber: idOf('41010319750505005') }), member({ name: '张三', relation: 'other', idNumber: HEAD_ID })], '410103'),
      ),
      'CONFLICT',
    )
    expect(err.text!['zh-CN']).toContain('河南省 郑州市 中原区')
    expect(err.text!['zh-CN']).toContain(holder.name)
    expect(err.text!.en).toContain('河南省 郑州市 中原区')
    expect(fieldsOf(err)).toEqual(['members[1].idNumber'])
    const said = json({ message: err.text, details: err.details })
    for (const secret of [HEAD_ID, HEAD_ID.slice(-4), householdId, '张三', '建设路']) expect(said).not.toContain(secret)
    expect(await counts()).toEqual(before)
  })

  it('let exactly one of twenty simultaneous filings of one person through', async () => {
    const person = idOf('41010319880808008')
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => fileHousehold(database.db, worker2, cipher, filing(worker2, [member({ name: '赵六', idNumber: person })], '410103'))),
    )
    const filed = results.filter((r) => r.status === 'fulfilled')
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []))
    expect(filed).toHaveLength(1)
    expect(refused).toHaveLength(19)
    for (const e of refused) {
      expect(e).toBeInstanceOf(AppError)
      expect((e as AppError).code).toBe('CONFLICT')
      expect((e as AppError).text!['zh-CN']).toContain('河南省 郑州市 二七区')
    }
    const index = cipher.blindIndex('resident_id', person)
    expect(await database.db.selectFrom('household_member').select('id').where('id_number_index', '=', index).execute()).toHaveLength(1)
    // Refused filings leave no household and no hole in the county's file numbers.
    const fileNos = (await database.db.selectFrom('household').select('file_no').where('region_code', '=', '410103').execute()).map((r) => r.file_no)
    expect(fileNos).toHaveLength(1)
    expect(fileNos[0]).toMatch(/^410103-\d{4}-000001$/)
  })

  it('find a household by exact ID number within scope; outside scope it is as if missing', async () => {
    const found = await findByIdNumber(database.db, worker, cipher, ` ${SPOUSE_ID.toLowerCase()} `)
    expect(found?.id).toBe(householdId)
    expect(found?.fullView).toBe(false)
    expect(await findByIdNumber(database.db, approver, cipher, HEAD_ID)).toMatchObject({ id: householdId })

    expect(await findByIdNumber(database.db, worker2, cipher, HEAD_ID)).toBeNull()
    expect(await findByIdNumber(database.db, worker, cipher, idOf('41010219991231009'))).toBeNull()
    const bad = await refusal(findByIdNumber(database.db, worker, cipher, '4101'), 'VALIDATION_FAILED')
    expect(fieldsOf(bad)).toEqual(['idNumber'])

    const hidden = await refusal(getHousehold(database.db, worker2, cipher, householdId), 'NOT_FOUND')
    const missing = await refusal(getHousehold(database.db, worker2, cipher, '00000000-0000-4000-8000-000000000000'), 'NOT_FOUND')
    expect(hidden.message).toBe(missing.message)
    await refusal(getHousehold(database.db, worker2, cipher, 'not-a-uuid'), 'NOT_FOUND')
  })

  it('keep the audit chain intact', async () => {
    expect((await verifyChains(database.db)).ok).toBe(true)
  })
})
