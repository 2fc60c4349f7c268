import type { Database, Kysely, Transaction } from '../../db/database.ts'

type Executor = Kysely<Database> | Transaction<Database>

export interface AttachmentRecord {
  id: string
  province_code: string
  household_id: string
  file_name: string
  content_type: string
  size_bytes: bigint
  sha256: string
  storage_key: string
  description: string | null
  uploaded_by: string | null
  uploader_name: string | null
  created_at: Date
}

const columns = [
  'a.id',
  'a.province_code',
  'a.household_id',
  'a.file_name',
  'a.content_type',
  'a.size_bytes',
  'a.sha256',
  'a.storage_key',
  'a.description',
  'a.uploaded_by',
  'u.display_name as uploader_name',
  'a.created_at',
] as const

function base(db: Executor) {
  return db.selectFrom('household_attachment as a').leftJoin('app_user as u', 'u.id', 'a.uploaded_by').select(columns)
}

/** The household's attachments, newest first. The caller has already found the household in scope. */
export function listOf(db: Executor, provinceCode: string, householdId: string): Promise<AttachmentRecord[]> {
  return base(db)
    .where('a.province_code', '=', provinceCode)
    .where('a.household_id', '=', householdId)
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id', 'desc')
    .execute()
}

/** One attachment, only if it belongs to this household. */
export function findOf(db: Executor, provinceCode: string, householdId: string, id: string): Promise<AttachmentRecord | undefined> {
  return base(db)
    .where('a.province_code', '=', provinceCode)
    .where('a.household_id', '=', householdId)
    .where('a.id', '=', id)
    .executeTakeFirst()
}

export interface NewAttachment {
  provinceCode: string
  householdId: string
  fileName: string
  contentType: string
  sizeBytes: bigint
  sha256: string
  storageKey: string
  description: string | null
  uploadedBy: string | null
}

export async function insert(trx: Executor, a: NewAttachment): Promise<string> {
  const row = await trx
    .insertInto('household_attachment')
    .values({
      province_code: a.provinceCode,
      household_id: a.householdId,
      file_name: a.fileName,
      content_type: a.contentType,
      size_bytes: a.sizeBytes,
      sha256: a.sha256,
      storage_key: a.storageKey,
      description: a.description,
      uploaded_by: a.uploadedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function remove(trx: Executor, provinceCode: string, id: string): Promise<boolean> {
  const res = await trx.deleteFrom('household_attachment').where('province_code', '=', provinceCode).where('id', '=', id).executeTakeFirst()
  return res.numDeletedRows > 0n
}

/** The household's status, its row locked until the transaction ends. */
export async function lockHouseholdStatus(trx: Transaction<Database>, provinceCode: string, householdId: string): Promise<string | undefined> {
  const row = await trx.selectFrom('household').select('status').where('province_code', '=', provinceCode).where('id', '=', householdId).forUpdate().executeTakeFirst()
  return row?.status
}
