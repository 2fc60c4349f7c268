import { createHash, randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { residentIdCheckChar } from '../../src/server/platform/codes/resident-id.ts'
import { type Session, type TestApi, testApi } from '../support/api.ts'

let api: TestApi
let worker: Session // case_worker, 410102, household.write
let worker2: Session // case_worker2, 410103
let approver: Session // approver, city 4101, household.read only
let householdId: string
let otherHouseholdId: string

const idOf = (first17: string) => first17 + residentIdCheckChar(first17)
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('rest of a small picture')])
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n')

/** A multipart/form-data body as a browser sends it. */
function multipart(parts: { name: string; filename?: string; type?: string; data: Buffer | string }[]) {
  const boundary = `----jiekun${randomUUID()}`
  const chunks: Buffer[] = []
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`))
    chunks.push(typeof p.data === 'string' ? Buffer.from(p.data) : p.data)
    chunks.push(Buffer.from('\r\n'))
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

const upload = (session: Session | null, id: string, file: { filename: string; type: string; data: Buffer }, description?: string) =>
  api.request(session, {
    method: 'POST',
    url: `/api/households/${id}/attachments`,
    ...multipart([...(description !== undefined ? [{ name: 'description', data: description }] : []), { name: 'file', ...file }]),
  })

async function file(session: Session, first17: string, regionCode = '410102'): Promise<string> {
  const me = await api.request(session, { method: 'GET', url: '/api/auth/me' })
  const res = await api.request(session, {
    method: 'POST',
    url: '/api/households',
    payload: {
      regionCode,
      orgId: me.json().user.org.id,
      address: '郑州市建设路 1 号',
      members: [{ name: '李四', relation: 'head', idNumber: idOf(first17), health: 'healthy', workStatus: 'laid_off', monthlyIncomeFen: '80000' }],
    },
  })
  expect(res.statusCode).toBe(201)
  return res.json().id
}

const filesOnDisk = () => fs.readdirSync(api.attachmentsDir, { recursive: true }).filter((f) => fs.statSync(path.join(api.attachmentsDir, String(f))).isFile())

beforeAll(async () => {
  api = await testApi()
  worker = await api.login('case_worker')
  worker2 = await api.login('case_worker2')
  approver = await api.login('approver')
  householdId = await file(worker, '41010219700101301')
  otherHouseholdId = await file(worker, '41010219700101402')
})
afterAll(async () => api?.close())

describe('/api/households/:id/attachments', () => {
  let pngId: string

  it('uploads a PNG: the type is read from the bytes, the name kept, the size and hash recorded', async () => {
    const res = await upload(worker, householdId, { filename: '低保证明.png', type: 'image/png', data: PNG }, '低保证明复印件')
    expect(res.statusCode).toBe(201)
    const a = res.json()
    pngId = a.id
    expect(a).toMatchObject({
      householdId,
      fileName: '低保证明.png',
      contentType: 'image/png',
      sizeBytes: PNG.length,
      sha256: createHash('sha256').update(PNG).digest('hex'),
      description: '低保证明复印件',
      uploaderName: expect.any(String),
    })
    expect(filesOnDisk()).toHaveLength(1)
    // Stored under a random key, never under the user's name.
    expect(String(filesOnDisk()[0])).not.toContain('低保')
    expect(fs.readFileSync(path.join(api.attachmentsDir, String(filesOnDisk()[0])))).toEqual(PNG)
  })

  it('lists them for anyone who may read the household, newest first', async () => {
    await upload(worker, householdId, { filename: 'scan', type: 'application/octet-stream', data: PDF })
    const res = await api.request(approver, { method: 'GET', url: `/api/households/${householdId}/attachments` })
    expect(res.statusCode).toBe(200)
    const items = res.json().items
    expect(items.map((i: { contentType: string }) => i.contentType)).toEqual(['application/pdf', 'image/png'])
    // A name without the right extension gets one: what is saved opens as what it is.
    expect(items[0].fileName).toBe('scan.pdf')
  })

  it('refuses executables, HTML and SVG whatever they are called, naming the accepted types and the limit', async () => {
    const before = filesOnDisk().length
    const tries = [
      { filename: 'setup.exe', type: 'application/x-msdownload', data: Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00') },
      { filename: 'photo.png', type: 'image/png', data: Buffer.from('<!DOCTYPE html><script>alert(1)</script>') },
      { filename: 'logo.svg', type: 'image/svg+xml', data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>') },
    ]
    for (const t of tries) {
      const res = await upload(worker, householdId, t)
      expect(res.statusCode).toBe(400)
      expect(res.json().error.code).toBe('VALIDATION_FAILED')
      expect(res.json().error.details).toEqual([{ field: 'file', message: expect.stringMatching(/PDF, JPEG, PNG.*10 MB/) }])
    }
    const body = multipart([{ name: 'file', ...tries[0]! }])
    const zh = await api.request(worker, { method: 'POST', url: `/api/households/${householdId}/attachments`, payload: body.payload, headers: { ...body.headers, 'accept-language': 'zh-CN' } })
    expect(zh.json().error.details[0].message).toContain('PDF、JPEG、PNG')
    expect(filesOnDisk().length).toBe(before)
    expect(fs.readdirSync(path.join(api.attachmentsDir, '.incoming'))).toEqual([])
  })

  it('refuses a file over 10 MB with the limit in the message, and keeps nothing of it', async () => {
    const before = filesOnDisk().length
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0)
    PNG.copy(big)
    const res = await upload(worker, householdId, { filename: 'big.png', type: 'image/png', data: big })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.details).toEqual([{ field: 'file', message: expect.stringContaining('10 MB') }])
    expect(filesOnDisk().length).toBe(before)
    // Exactly 10 MB is accepted.
    const ok = await upload(worker, householdId, { filename: 'max.png', type: 'image/png', data: big.subarray(0, 10 * 1024 * 1024) })
    expect(ok.statusCode).toBe(201)
    expect(ok.json().sizeBytes).toBe(10 * 1024 * 1024)
  })

  it('refuses a request without a file, an empty file, and two files', async () => {
    const none = await api.request(worker, { method: 'POST', url: `/api/households/${householdId}/attachments`, ...multipart([{ name: 'description', data: 'x' }]) })
    expect(none.statusCode).toBe(400)
    expect(none.json().error.details[0].field).toBe('file')
    const empty = await upload(worker, householdId, { filename: 'a.png', type: 'image/png', data: Buffer.alloc(0) })
    expect(empty.statusCode).toBe(400)
    const two = await api.request(worker, {
      method: 'POST',
      url: `/api/households/${householdId}/attachments`,
      ...multipart([
        { name: 'file', filename: 'a.png', type: 'image/png', data: PNG },
        { name: 'file', filename: 'b.png', type: 'image/png', data: PNG },
      ]),
    })
    expect(two.statusCode).toBe(400)
    const json = await api.request(worker, { method: 'POST', url: `/api/households/${householdId}/attachments`, payload: { file: 'x' } })
    expect(json.statusCode).toBe(400)
  })

  it('downloads with the sniffed type, as a download with the UTF-8 name, and audits the view', async () => {
    const res = await api.request(approver, { method: 'GET', url: `/api/households/${householdId}/attachments/${pngId}` })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('image/png')
    expect(res.headers['content-disposition']).toBe(`attachment; filename="____.png"; filename*=UTF-8''${encodeURIComponent('低保证明.png')}`)
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['content-security-policy']).toContain('sandbox')
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.rawPayload).toEqual(PNG)
    const admin = await api.login('province_admin')
    const audit = await api.request(admin, { method: 'GET', url: '/api/audit?action=household.attachment.view' })
    expect(audit.json().items).toHaveLength(1)
    expect(audit.json().items[0]).toMatchObject({ entityId: householdId })
  })

  it('answers 401 to the anonymous on every route', async () => {
    const base = `/api/households/${householdId}/attachments`
    expect((await api.request(null, { method: 'GET', url: base })).statusCode).toBe(401)
    expect((await api.request(null, { method: 'GET', url: `${base}/${pngId}` })).statusCode).toBe(401)
    expect((await api.request(null, { method: 'DELETE', url: `${base}/${pngId}` })).statusCode).toBe(401)
    expect((await upload(null, householdId, { filename: 'a.png', type: 'image/png', data: PNG })).statusCode).toBe(401)
  })

  it('keeps another county out: list, download, upload and delete answer like missing', async () => {
    const base = `/api/households/${householdId}/attachments`
    const missing = await api.request(worker2, { method: 'GET', url: `/api/households/${randomUUID()}/attachments` })
    expect(missing.statusCode).toBe(404)
    for (const res of [
      await api.request(worker2, { method: 'GET', url: base }),
      await api.request(worker2, { method: 'GET', url: `${base}/${pngId}` }),
      await api.request(worker2, { method: 'DELETE', url: `${base}/${pngId}` }),
      await upload(worker2, householdId, { filename: 'a.png', type: 'image/png', data: PNG }),
    ]) {
      expect(res.statusCode).toBe(404)
      expect(res.json()).toEqual(missing.json())
    }
  })

  it('does not reach an attachment through another household', async () => {
    const res = await api.request(worker, { method: 'GET', url: `/api/households/${otherHouseholdId}/attachments/${pngId}` })
    expect(res.statusCode).toBe(404)
    const del = await api.request(worker, { method: 'DELETE', url: `/api/households/${otherHouseholdId}/attachments/${pngId}` })
    expect(del.statusCode).toBe(404)
    expect((await api.request(worker, { method: 'GET', url: `/api/households/${householdId}/attachments/not-a-uuid` })).statusCode).toBe(404)
  })

  it('lets a reader download but not upload or delete', async () => {
    expect((await upload(approver, householdId, { filename: 'a.png', type: 'image/png', data: PNG })).statusCode).toBe(403)
    expect((await api.request(approver, { method: 'DELETE', url: `/api/households/${householdId}/attachments/${pngId}` })).statusCode).toBe(403)
  })

  it('deletes while the file is a draft, removing the bytes; refuses once it is verified', async () => {
    const before = filesOnDisk().length
    const del = await api.request(worker, { method: 'DELETE', url: `/api/households/${householdId}/attachments/${pngId}` })
    expect(del.statusCode).toBe(204)
    expect(filesOnDisk().length).toBe(before - 1)
    expect((await api.request(worker, { method: 'GET', url: `/api/households/${householdId}/attachments/${pngId}` })).statusCode).toBe(404)

    const kept = (await api.request(worker, { method: 'GET', url: `/api/households/${householdId}/attachments` })).json().items[0].id
    await api.database.db.updateTable('household').set({ status: 'verified' }).where('id', '=', householdId).execute()
    const refused = await api.request(worker, { method: 'DELETE', url: `/api/households/${householdId}/attachments/${kept}` })
    expect(refused.statusCode).toBe(409)
    expect(refused.json().error.message).toContain('draft or submitted')
    expect(filesOnDisk().length).toBe(before - 1)
  })
})
