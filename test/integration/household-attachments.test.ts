import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { login } from '../../src/server/modules/access/auth.service.ts'
import { verifyChains } from '../../src/server/modules/audit/audit.service.ts'
import {
  cleanFileName,
  deleteAttachment,
  listAttachments,
  openAttachment,
  storagePath,
  type UploadPart,
  uploadAttachment,
} from '../../src/server/modules/households/attachments.service.ts'
import { fileHousehold } from '../../src/server/modules/households/households.service.ts'
import { residentIdCheckChar } from '../../src/server/platform/codes/resident-id.ts'
import { AppError, type ErrorCode } from '../../src/server/platform/errors.ts'
import { acceptedTypes } from '../../src/server/platform/file-type.ts'
import { createPiiCipher } from '../../src/server/platform/pii-crypto.ts'
import type { Principal } from '../../src/server/platform/principal.ts'
import { type TestDatabase, testDatabase } from '../support/db.ts'
import { TEST_PASSWORD } from '../support/engine.ts'

let database: TestDatabase
let dir: string
let worker: Principal // case_worker, 410102
let worker2: Principal // case_worker2, 410103
let householdId: string
const cipher = createPiiCipher(Buffer.alloc(32, 7))
const PDF = Buffer.from('%PDF-1.4\n% a scanned certificate\n%%EOF\n')
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0 picture')])

async function signIn(username: string): Promise<Principal> {
  return (await login(database.db, username, TEST_PASSWORD, { ip: null, userAgent: null, requestId: `test-${username}` })).principal
}

/** A multipart body as the plugin yields it, the file arriving in chunks. */
async function* parts(data: Buffer, filename = 'scan.pdf', extra: UploadPart[] = []): AsyncGenerator<UploadPart> {
  yield* extra
  async function* chunks() {
    for (let i = 0; i < data.length; i += 3) yield data.subarray(i, i + 3)
  }
  yield { type: 'file', fieldname: 'file', filename, file: chunks() }
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

const stored = () => fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => fs.statSync(path.join(dir, f)).isFile())

beforeAll(async () => {
  database = await testDatabase()
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiekun-att-'))
  worker = await signIn('case_worker')
  worker2 = await signIn('case_worker2')
  const first17 = '41010219650505301'
  const h = await fileHousehold(database.db, worker, cipher, {
    regionCode: '410102',
    orgId: worker.orgId!,
    address: '郑州市中原区建设路 9 号',
    members: [{ name: '赵六', relation: 'head', idNumber: first17 + residentIdCheckChar(first17), health: 'healthy', workStatus: 'laid_off', monthlyIncomeFen: 50_000 }],
  })
  householdId = h.id
})
afterAll(async () => {
  await database?.drop()
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
})

describe('household attachments', () => {
  it('stores the bytes under <province>/<uuid>, with a row, an audit entry and a history event in one go', async () => {
    const a = await uploadAttachment(database.db, worker, dir, householdId, parts(PDF, '../../etc/残疾证.pdf', [{ type: 'field', fieldname: 'description', value: ' 残疾证 ' }]))
    expect(a).toMatchObject({ fileName: '残疾证.pdf', contentType: 'application/pdf', sizeBytes: BigInt(PDF.length), description: '残疾证', uploadedBy: worker.userId })
    const row = await database.db.selectFrom('household_attachment').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow()
    expect(row.storage_key).toMatch(/^41\/[0-9a-f-]{36}$/)
    expect(fs.readFileSync(storagePath(dir, row.storage_key))).toEqual(PDF)
    expect(stored()).toEqual([row.storage_key])

    const events = await database.db.selectFrom('household_event').select(['action', 'after']).where('household_id', '=', householdId).execute()
    expect(events.map((e) => e.action)).toContain('household.attachment_add')
    const audit = await database.db.selectFrom('audit_log').select(['action', 'after']).where('action', '=', 'household.attachment.add').execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]!.after).toMatchObject({ attachmentId: a.id, sha256: a.sha256 })
    expect((await verifyChains(database.db)).ok).toBe(true)
  })

  it('removes the stored file when the row cannot be written', async () => {
    const before = stored()
    // A principal whose user does not exist: the row's foreign key fails inside the transaction.
    const ghost: Principal = { ...worker, userId: '00000000-0000-4000-8000-000000000000' }
    await expect(uploadAttachment(database.db, ghost, dir, householdId, parts(JPEG, 'photo.jpg'))).rejects.toThrow()
    expect(stored()).toEqual(before)
    expect(fs.readdirSync(path.join(dir, '.incoming'))).toEqual([])
  })

  it('refuses an unknown type without keeping a byte, and reads nothing for a household out of scope', async () => {
    const before = stored()
    const err = await refusal(uploadAttachment(database.db, worker, dir, householdId, parts(Buffer.from('GIF89a......'), 'a.gif')), 'VALIDATION_FAILED')
    expect(err.details).toMatchObject([{ field: 'file' }])
    let read = false
    async function* watched(): AsyncGenerator<UploadPart> {
      read = true
      yield* parts(PDF)
    }
    await refusal(uploadAttachment(database.db, worker2, dir, householdId, watched()), 'NOT_FOUND')
    expect(read).toBe(false)
    expect(stored()).toEqual(before)
  })

  it('lists, opens (audited) and deletes only within scope and within the household', async () => {
    const [a] = await listAttachments(database.db, worker, householdId)
    await refusal(listAttachments(database.db, worker2, householdId), 'NOT_FOUND')
    await refusal(openAttachment(database.db, worker2, dir, householdId, a!.id), 'NOT_FOUND')
    const opened = await openAttachment(database.db, worker, dir, householdId, a!.id)
    expect(opened.type.mime).toBe('application/pdf')
    expect(fs.readFileSync(opened.path)).toEqual(PDF)
    const views = await database.db.selectFrom('audit_log').select('after').where('action', '=', 'household.attachment.view').execute()
    expect(views).toHaveLength(1)

    await refusal(deleteAttachment(database.db, worker2, dir, householdId, a!.id), 'NOT_FOUND')
    await deleteAttachment(database.db, worker, dir, householdId, a!.id)
    expect(stored()).toEqual([])
    expect(await listAttachments(database.db, worker, householdId)).toEqual([])
    const events = await database.db.selectFrom('household_event').select('action').where('household_id', '=', householdId).execute()
    expect(events.map((e) => e.action)).toContain('household.attachment_remove')
    await refusal(deleteAttachment(database.db, worker, dir, householdId, a!.id), 'NOT_FOUND')
  })

  it('answers INTERNAL, not a wrong file, when the bytes of a row are gone', async () => {
    const a = await uploadAttachment(database.db, worker, dir, householdId, parts(JPEG, 'photo.jpg'))
    const row = await database.db.selectFrom('household_attachment').select('storage_key').where('id', '=', a.id).executeTakeFirstOrThrow()
    fs.rmSync(storagePath(dir, row.storage_key))
    await refusal(openAttachment(database.db, worker, dir, householdId, a.id), 'INTERNAL')
    await deleteAttachment(database.db, worker, dir, householdId, a.id) // the row can still be removed
    expect(await listAttachments(database.db, worker, householdId)).toEqual([])
  })

  it('refuses storage keys it did not make', () => {
    expect(() => storagePath(dir, '../../etc/passwd')).toThrow()
    expect(() => storagePath(dir, '41/not-a-uuid')).toThrow()
  })

  it('takes no new evidence on a closed file', async () => {
    await database.db.updateTable('household').set({ status: 'exited' }).where('id', '=', householdId).execute()
    await refusal(uploadAttachment(database.db, worker, dir, householdId, parts(PDF)), 'CONFLICT')
    await database.db.updateTable('household').set({ status: 'draft' }).where('id', '=', householdId).execute()
  })
})

describe('cleanFileName', () => {
  const [pdf, jpeg, png] = acceptedTypes as [(typeof acceptedTypes)[number], (typeof acceptedTypes)[number], (typeof acceptedTypes)[number]]
  it('drops folders and control characters, and makes the extension match the contents', () => {
    expect(cleanFileName('C:\\Users\\a\\证明.PDF', pdf)).toBe('证明.PDF')
    expect(cleanFileName('photo.jpeg', jpeg)).toBe('photo.jpeg')
    expect(cleanFileName('evil.html', png)).toBe('evil.html.png')
    expect(cleanFileName('a\u0000b\u202e.png', png)).toBe('ab.png')
    expect(cleanFileName('  ', pdf)).toBe('attachment.pdf')
    expect([...cleanFileName('长'.repeat(300), pdf)]).toHaveLength(200)
  })
})
