import { createHash, randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Database, Kysely } from '../../db/database.ts'
import { fsyncDir } from '../../platform/atomic-file.ts'
import { acceptedTypeOf, acceptedTypes, SNIFF_BYTES, type SniffedType, sniffFileType } from '../../platform/file-type.ts'
import { AppError, invalid, notFound, text } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import { actorOf, type Principal, requirePermission } from '../../platform/principal.ts'
import { type DataScope, inScope } from '../../platform/scope.ts'
import * as audit from '../audit/audit.service.ts'
import * as repo from './attachments.repository.ts'
import { recordEvent } from './history.ts'

// Scans of evidence on a household file (issue 3 §1). The bytes live in a folder of their own
// (DATA_DIR/attachments), each under a random storage key `<province>/<uuid>` that owes nothing
// to the name the user gave; the row in household_attachment says what they are. What a file is
// is read from its bytes, never from its name or the type the browser declared.

/** Largest file accepted. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
/** Attachments may be removed only before the file is verified; after that they are evidence of record. */
export const ATTACHMENT_DELETABLE_STATUSES = ['draft', 'submitted'] as const
/** No new evidence on a closed file. */
const CLOSED_STATUSES = new Set(['exited', 'removed'])

const INCOMING = '.incoming'
const STORAGE_KEY = /^[0-9]{2}\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

export interface Attachment {
  id: string
  householdId: string
  fileName: string
  contentType: string
  sizeBytes: bigint
  sha256: string
  description: string | null
  uploadedBy: string | null
  uploaderName: string | null
  createdAt: Date
}

/** One part of a multipart upload, as @fastify/multipart yields it (only what is used here). */
export type UploadPart =
  | { type: 'file'; fieldname: string; filename: string; file: AsyncIterable<Buffer> & { truncated?: boolean } }
  | { type: 'field'; fieldname: string; value: unknown }

const limitText = `${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`
const typeNames = acceptedTypes.map((t) => t.label).join(', ')
const typeNamesZh = acceptedTypes.map((t) => t.label).join('、')

export const attachmentProblems = {
  type: text(
    `is not an accepted file: only ${typeNames} files of at most ${limitText} are accepted (the contents decide, not the name)`,
    `文件类型不被接受：只接受不超过 ${limitText} 的 ${typeNamesZh} 文件（按文件内容判断，而非文件名）`,
  ),
  tooLarge: text(`is larger than ${limitText}: only ${typeNames} files of at most ${limitText} are accepted`, `文件超过 ${limitText}：只接受不超过 ${limitText} 的 ${typeNamesZh} 文件`),
  empty: text('is empty', '文件为空'),
  missing: text(`choose a file to upload (${typeNames}, at most ${limitText})`, `请选择要上传的文件（${typeNamesZh}，不超过 ${limitText}）`),
  oneFile: text('upload one file at a time', '每次只能上传一个文件'),
  description: text('must be at most 200 characters', '不能超过200个字符'),
  closed: text('this household file is closed: no attachments can be added', '该档案已关闭，不能再添加附件'),
  notDeletable: text('attachments can be removed only while the file is a draft or submitted', '只有草稿或已提交状态的档案才能删除附件'),
}

interface HouseholdRef {
  id: string
  province_code: string
  region_code: string
  status: string
  episode: number
}

async function householdInScope(db: Kysely<Database>, scope: DataScope, id: string): Promise<HouseholdRef> {
  if (!isUuid(id)) throw notFound()
  const h = await db
    .selectFrom('household as h')
    .select(['h.id', 'h.province_code', 'h.region_code', 'h.status', 'h.episode'])
    .where('h.id', '=', id)
    .where(inScope(scope, { region: 'h.region_code' }))
    .executeTakeFirst()
  if (!h) throw notFound()
  return h
}

function toAttachment(r: repo.AttachmentRecord): Attachment {
  return {
    id: r.id,
    householdId: r.household_id,
    fileName: r.file_name,
    contentType: r.content_type,
    sizeBytes: BigInt(r.size_bytes),
    sha256: r.sha256,
    description: r.description,
    uploadedBy: r.uploaded_by,
    uploaderName: r.uploader_name,
    createdAt: r.created_at,
  }
}

/** The file on disk for a storage key; refuses anything that is not a key this module made. */
export function storagePath(dir: string, storageKey: string): string {
  if (!STORAGE_KEY.test(storageKey)) throw new Error(`not a storage key: ${storageKey}`)
  return path.join(dir, ...storageKey.split('/'))
}

/** The user's file name made safe to store and show: no folders, no control characters, at most 200 characters. */
export function cleanFileName(given: string, type: SniffedType): string {
  const base = (given.split(/[\\/]/).pop() ?? '').normalize('NFC')
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim()
  if (cleaned === '' || /^\.+$/.test(cleaned)) return `attachment.${type.ext}`
  // The name ends as the contents are: a PNG named report.html must never be saved as an .html file.
  const fits = type.names.some((ext) => cleaned.toLowerCase().endsWith(`.${ext}`))
  const suffix = fits ? '' : `.${type.ext}`
  const room = 200 - suffix.length
  const chars = [...cleaned]
  return (chars.length > room ? chars.slice(0, room).join('') : cleaned) + suffix
}

interface Received {
  temp: string
  size: number
  sha256: string
  type: SniffedType | null
  tooLarge: boolean
}

/**
 * Streams one file into a private temporary file under `dir`/.incoming, hashing it on the way
 * and reading its type from the first bytes. Past the limit, or once the type is known to be
 * refused, the rest is read and dropped (the request must still be consumed). The file is
 * flushed to disk before this returns.
 */
async function receive(dir: string, stream: AsyncIterable<Buffer> & { truncated?: boolean }): Promise<Received> {
  const incoming = path.join(dir, INCOMING)
  fs.mkdirSync(incoming, { recursive: true, mode: 0o700 })
  const temp = path.join(incoming, `${randomUUID()}.partial`)
  const handle = await fs.promises.open(temp, 'wx', 0o600)
  const hash = createHash('sha256')
  let size = 0
  let head = Buffer.alloc(0)
  let type: SniffedType | null | undefined
  let writing = true
  try {
    for await (const chunk of stream) {
      size += chunk.length
      if (!writing) continue
      if (size > MAX_ATTACHMENT_BYTES) {
        writing = false
        continue
      }
      if (type === undefined) {
        head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES)]).subarray(0, SNIFF_BYTES)
        if (head.length >= SNIFF_BYTES) {
          type = sniffFileType(head)
          if (type === null) {
            writing = false
            continue
          }
        }
      }
      hash.update(chunk)
      await handle.write(chunk)
    }
    if (type === undefined) type = sniffFileType(head)
    await handle.sync()
  } catch (err) {
    await handle.close()
    fs.rmSync(temp, { force: true })
    throw err
  }
  await handle.close()
  return { temp, size, sha256: hash.digest('hex'), type: type ?? null, tooLarge: size > MAX_ATTACHMENT_BYTES || stream.truncated === true }
}

/**
 * Adds one scan to a household file (household.write, household in scope and not closed).
 * `parts` is the multipart body: exactly one file in the field `file`, optionally a
 * `description` field. The bytes are written to a temporary file, renamed under a random
 * storage key once they are known to be acceptable, and only then is the row written, with
 * its audit entry and history event, in one transaction; if that fails the file is removed.
 * The household is checked before any byte is read.
 */
export async function uploadAttachment(
  db: Kysely<Database>,
  p: Principal,
  dir: string,
  householdId: string,
  parts: AsyncIterable<UploadPart>,
): Promise<Attachment> {
  requirePermission(p, 'household.write')
  const h = await householdInScope(db, p.scope, householdId)
  if (CLOSED_STATUSES.has(h.status)) throw new AppError('CONFLICT', attachmentProblems.closed)

  let received: (Received & { fileName: string }) | null = null
  let files = 0
  let description: string | null = null
  let descriptionTooLong = false
  try {
    for await (const part of parts) {
      if (part.type === 'field') {
        if (part.fieldname === 'description' && typeof part.value === 'string') {
          const d = part.value.trim()
          description = d === '' ? null : d
          descriptionTooLong = [...d].length > 200
        }
        continue
      }
      files++
      if (part.fieldname !== 'file' || received !== null) {
        for await (const _ of part.file) void _ // drop it, but read it: the request goes on behind it
        continue
      }
      const r = await receive(dir, part.file)
      received = { ...r, fileName: part.filename ?? '' }
    }

    if (received === null) throw invalid('file', attachmentProblems.missing)
    if (files > 1) throw invalid('file', attachmentProblems.oneFile)
    if (received.tooLarge) throw invalid('file', attachmentProblems.tooLarge)
    if (received.size === 0) throw invalid('file', attachmentProblems.empty)
    if (received.type === null) throw invalid('file', attachmentProblems.type)
    if (descriptionTooLong) throw invalid('description', attachmentProblems.description)
  } catch (err) {
    if (received) fs.rmSync(received.temp, { force: true })
    throw err
  }

  const type = received.type
  const storageKey = `${h.province_code}/${randomUUID()}`
  const file = storagePath(dir, storageKey)
  const folder = path.dirname(file)
  try {
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 })
    fs.renameSync(received.temp, file)
    fsyncDir(folder)
  } catch (err) {
    fs.rmSync(received.temp, { force: true })
    throw err
  }

  const fileName = cleanFileName(received.fileName, type)
  try {
    const id = await db.transaction().execute(async (trx) => {
      const attachmentId = await repo.insert(trx, {
        provinceCode: h.province_code,
        householdId: h.id,
        fileName,
        contentType: type.mime,
        sizeBytes: BigInt(received.size),
        sha256: received.sha256,
        storageKey,
        description,
        uploadedBy: p.userId,
      })
      const facts = { attachmentId, fileName, contentType: type.mime, sizeBytes: received.size, sha256: received.sha256 }
      await audit.record(trx, {
        actor: actorOf(p),
        action: 'household.attachment.add',
        entityType: 'household',
        entityId: h.id,
        regionCode: h.region_code,
        after: facts,
        requestId: p.requestId,
      })
      await recordEvent(trx, p, { provinceCode: h.province_code, householdId: h.id, episode: h.episode, action: 'household.attachment_add', after: facts })
      return attachmentId
    })
    const row = await repo.findOf(db, h.province_code, h.id, id)
    return toAttachment(row!)
  } catch (err) {
    fs.rmSync(file, { force: true })
    throw err
  }
}

/** The scans on a household file, newest first (household.read, household in scope). */
export async function listAttachments(db: Kysely<Database>, p: Principal, householdId: string): Promise<Attachment[]> {
  requirePermission(p, 'household.read')
  const h = await householdInScope(db, p.scope, householdId)
  return (await repo.listOf(db, h.province_code, h.id)).map(toAttachment)
}

export interface OpenedAttachment {
  attachment: Attachment
  type: SniffedType
  /** the file on disk */
  path: string
}

/**
 * One scan to download (household.read). An attachment of another household, or of a
 * household out of scope, is not found. Every opening is audited before the bytes are sent.
 */
export async function openAttachment(db: Kysely<Database>, p: Principal, dir: string, householdId: string, attachmentId: string): Promise<OpenedAttachment> {
  requirePermission(p, 'household.read')
  const h = await householdInScope(db, p.scope, householdId)
  if (!isUuid(attachmentId)) throw notFound()
  const row = await repo.findOf(db, h.province_code, h.id, attachmentId)
  if (!row) throw notFound()
  const type = acceptedTypeOf(row.content_type)
  const file = storagePath(dir, row.storage_key)
  if (!type || !fs.existsSync(file)) {
    // The row says there is a file and there is none (or it is of a type never accepted): lost data, our fault.
    throw new AppError('INTERNAL', text(`attachment ${row.id} is missing from the attachments folder`, `附件 ${row.id} 的文件缺失`))
  }
  await db.transaction().execute((trx) =>
    audit.record(trx, {
      actor: actorOf(p),
      action: 'household.attachment.view',
      entityType: 'household',
      entityId: h.id,
      regionCode: h.region_code,
      after: { attachmentId: row.id, fileName: row.file_name },
      requestId: p.requestId,
    }),
  )
  return { attachment: toAttachment(row), type, path: file }
}

/**
 * Removes a scan (household.write) while the file is a draft or submitted. The row goes, with
 * its audit entry and history event, in one transaction; the bytes are deleted after it commits
 * (a crash in between leaves an orphan file, never a row without its file).
 */
export async function deleteAttachment(db: Kysely<Database>, p: Principal, dir: string, householdId: string, attachmentId: string): Promise<void> {
  requirePermission(p, 'household.write')
  const h = await householdInScope(db, p.scope, householdId)
  if (!isUuid(attachmentId)) throw notFound()
  const row = await db.transaction().execute(async (trx) => {
    const found = await repo.findOf(trx, h.province_code, h.id, attachmentId)
    if (!found) throw notFound()
    // Read under a lock: a verification committing meanwhile must not let a removal through.
    const status = await repo.lockHouseholdStatus(trx, h.province_code, h.id)
    if (!(ATTACHMENT_DELETABLE_STATUSES as readonly string[]).includes(status ?? '')) throw new AppError('CONFLICT', attachmentProblems.notDeletable)
    if (!(await repo.remove(trx, h.province_code, found.id))) throw notFound()
    const facts = { attachmentId: found.id, fileName: found.file_name, contentType: found.content_type, sizeBytes: Number(found.size_bytes), sha256: found.sha256 }
    await audit.record(trx, {
      actor: actorOf(p),
      action: 'household.attachment.delete',
      entityType: 'household',
      entityId: h.id,
      regionCode: h.region_code,
      before: facts,
      requestId: p.requestId,
    })
    await recordEvent(trx, p, { provinceCode: h.province_code, householdId: h.id, episode: h.episode, action: 'household.attachment_remove', before: facts })
    return found
  })
  fs.rmSync(storagePath(dir, row.storage_key), { force: true })
}
