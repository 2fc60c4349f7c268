import fs from 'node:fs'
import multipart from '@fastify/multipart'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Database, Kysely } from '../../db/database.ts'
import { AppError, text } from '../../platform/errors.ts'
import { errorResponses, IdParams, NoContent } from '../../platform/http-schemas.ts'
import { principal } from '../../platform/http.ts'
import { AttachmentList, AttachmentParams, AttachmentSchema } from './attachments.schemas.ts'
import { type Attachment, deleteAttachment, listAttachments, MAX_ATTACHMENT_BYTES, openAttachment, type UploadPart, uploadAttachment } from './attachments.service.ts'

function toJson(a: Attachment) {
  return { ...a, sizeBytes: Number(a.sizeBytes), createdAt: a.createdAt.toISOString() }
}

/** `attachment; filename="ascii"; filename*=UTF-8''…` (RFC 6266): the browser saves it, never shows or runs it. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_')
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`
}

/**
 * Scans of evidence on a household file. `dir` is the attachments folder (DATA_DIR/attachments);
 * without one the routes answer NOT_READY. Multipart parsing is registered here only, so no
 * other route accepts multipart bodies.
 */
export const attachmentRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database>; dir: string | null }> = async (app, { db, dir }) => {
  await app.register(multipart, {
    // One byte over the limit is enough to know a file is too large; the service refuses it with the limit named.
    limits: { fileSize: MAX_ATTACHMENT_BYTES + 1, files: 2, fields: 4, fieldSize: 4096, parts: 6, headerPairs: 50 },
    throwFileSizeLimit: false,
  })

  const folder = (): string => {
    if (dir === null) throw new AppError('NOT_READY', text('No folder is configured for attachments', '未配置附件存储目录'))
    return dir
  }

  app.post(
    '/households/:id/attachments',
    {
      schema: {
        tags: ['households'],
        summary: `Upload a scan of evidence (multipart: field "file", PDF/JPEG/PNG by contents, at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB; optional field "description")`,
        consumes: ['multipart/form-data'],
        params: IdParams,
        response: { 201: AttachmentSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const where = folder()
      if (!req.isMultipart()) {
        throw new AppError('VALIDATION_FAILED', undefined, [{ field: 'file', message: text('send the file as multipart/form-data', '请以 multipart/form-data 方式上传文件') }])
      }
      const attachment = await uploadAttachment(db, principal(req), where, req.params.id, req.parts() as AsyncIterable<UploadPart>)
      return reply.status(201).send(toJson(attachment))
    },
  )

  app.get(
    '/households/:id/attachments',
    { schema: { tags: ['households'], summary: "A household file's scans of evidence, newest first", params: IdParams, response: { 200: AttachmentList, ...errorResponses } } },
    async (req) => ({ items: (await listAttachments(db, principal(req), req.params.id)).map(toJson) }),
  )

  app.get(
    '/households/:id/attachments/:attachmentId',
    {
      schema: {
        tags: ['households'],
        summary: 'Download one scan (always as a download, never shown inline; audited)',
        params: AttachmentParams,
        response: { 200: Type.Unknown({ description: 'the file: application/pdf, image/jpeg or image/png' }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const opened = await openAttachment(db, principal(req), folder(), req.params.id, req.params.attachmentId)
      const stream = fs.createReadStream(opened.path)
      return reply
        .header('content-type', opened.type.mime)
        .header('content-length', String(opened.attachment.sizeBytes))
        .header('content-disposition', contentDisposition(opened.attachment.fileName))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(stream)
    },
  )

  app.delete(
    '/households/:id/attachments/:attachmentId',
    { schema: { tags: ['households'], summary: 'Remove a scan while the file is a draft or submitted', params: AttachmentParams, response: { 204: NoContent, ...errorResponses } } },
    async (req, reply) => {
      await deleteAttachment(db, principal(req), folder(), req.params.id, req.params.attachmentId)
      return reply.status(204).send(null)
    },
  )
}
