import fs from 'node:fs'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import multipart from '@fastify/multipart'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Database, Kysely } from '../../../db/database.ts'
import { AppError, text } from '../../../platform/errors.ts'
import { errorResponses, IdParams } from '../../../platform/http-schemas.ts'
import { principal } from '../../../platform/http.ts'
import type { PiiCipher } from '../../../platform/pii-crypto.ts'
import { requirePermission } from '../../../platform/principal.ts'
import { contentDisposition } from '../attachments.routes.ts'
import { formatOf } from './parse.ts'
import { CommitBody, ImportProblemList, ImportSchema, ProblemQuery } from './import.schemas.ts'
import { commitImport, createImport, defaultImportsDir, discardImport, getImport, IMPORT_SIZE_LIMIT, type ImportView, listImportProblems, newStorageKey } from './import.service.ts'
import { TEMPLATE_FILE_NAME, templateWorkbook } from './template.ts'

const invalidFile = (en: string, zh: string) => new AppError('VALIDATION_FAILED', undefined, [{ field: 'file', message: text(en, zh) }])

/** Importing household files: template, upload, preview, problems, commit. Multipart is accepted here only. */
export const householdImportRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database>; cipher: PiiCipher; importsDir?: string | null }> = async (app, opts) => {
  const { db } = opts
  const deps = { cipher: opts.cipher, importsDir: opts.importsDir ?? defaultImportsDir() }
  await app.register(multipart, { limits: { fileSize: IMPORT_SIZE_LIMIT, files: 1, fields: 4, fieldSize: 4096, parts: 6, headerPairs: 50 }, throwFileSizeLimit: false })

  const localise = (v: ImportView, lang: string | undefined) => {
    const en = /^en\b/i.test((lang ?? '').trim())
    return { ...v, problems: v.problems.map((p) => ({ ...p, message: en ? p.messageEn : p.messageZh })) }
  }

  app.get(
    '/household-imports/template.xlsx',
    { schema: { tags: ['household-imports'], summary: 'The import template (.xlsx): header row, two example rows, instructions and code lists', response: { 200: Type.Unknown({ description: 'the .xlsx file' }), ...errorResponses } } },
    async (req, reply) => {
      requirePermission(principal(req), 'household.write')
      const body = await templateWorkbook()
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', contentDisposition(TEMPLATE_FILE_NAME))
        .send(body)
    },
  )

  app.post(
    '/household-imports',
    {
      schema: {
        tags: ['household-imports'],
        summary: `Upload a household file (multipart: field "orgId" first, then "file": .xlsx or .csv, at most ${IMPORT_SIZE_LIMIT / 1024 / 1024} MB); validation starts as a job`,
        consumes: ['multipart/form-data'],
        response: { 201: ImportSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const p = principal(req)
      requirePermission(p, 'household.write')
      if (!req.isMultipart()) throw invalidFile('send the file as multipart/form-data', '请以 multipart/form-data 方式上传文件')
      let orgId = ''
      let saved: { fileName: string; storageKey: string; sizeBytes: number } | null = null
      fs.mkdirSync(deps.importsDir, { recursive: true })
      try {
        for await (const part of req.parts()) {
          if (part.type === 'field') {
            if (part.fieldname === 'orgId') orgId = String(part.value ?? '')
            continue
          }
          if (part.fieldname !== 'file' || saved) {
            part.file.resume()
            continue
          }
          const format = formatOf(part.filename ?? '')
          if (!format) {
            part.file.resume()
            throw invalidFile('Upload an .xlsx or .csv file made from the template', '请上传按模板填写的 .xlsx 或 .csv 文件')
          }
          const storageKey = newStorageKey(format)
          const target = path.join(deps.importsDir, storageKey)
          saved = { fileName: path.basename(part.filename), storageKey, sizeBytes: 0 }
          await pipeline(part.file, fs.createWriteStream(target, { flags: 'wx', mode: 0o600 }))
          if (part.file.truncated) {
            throw invalidFile(`The file is larger than ${IMPORT_SIZE_LIMIT / 1024 / 1024} MB; split it into several files`, `文件超过${IMPORT_SIZE_LIMIT / 1024 / 1024} MB，请拆分为多个文件上传`)
          }
          saved.sizeBytes = fs.statSync(target).size
        }
        if (!saved) throw invalidFile('Choose a file to upload', '请选择要上传的文件')
      } catch (err) {
        if (saved) fs.rmSync(path.join(deps.importsDir, saved.storageKey), { force: true })
        throw err
      }
      const created = await createImport(db, p, deps, { orgId, ...saved })
      return reply.status(201).send(localise(created, req.headers['accept-language']))
    },
  )

  app.get(
    '/household-imports/:id',
    { schema: { tags: ['household-imports'], summary: 'An import: status, counts, first problems, a masked sample of valid households', params: IdParams, response: { 200: ImportSchema, ...errorResponses } } },
    async (req) => localise(await getImport(db, principal(req), req.params.id), req.headers['accept-language']),
  )

  app.get(
    '/household-imports/:id/problems',
    { schema: { tags: ['household-imports'], summary: "Every problem of an import, in file order (keyset pages)", params: IdParams, querystring: ProblemQuery, response: { 200: ImportProblemList, ...errorResponses } } },
    async (req) => {
      const en = /^en\b/i.test((req.headers['accept-language'] ?? '').trim())
      const page = await listImportProblems(db, principal(req), req.params.id, req.query)
      return { ...page, items: page.items.map((p) => ({ ...p, message: en ? p.messageEn : p.messageZh })) }
    },
  )

  app.post(
    '/household-imports/:id/commit',
    { schema: { tags: ['household-imports'], summary: 'Write the valid households (valid-only) or all of them only if all are valid (all-or-nothing); runs as a job', params: IdParams, body: CommitBody, response: { 202: ImportSchema, ...errorResponses } } },
    async (req, reply) => reply.status(202).send(localise(await commitImport(db, principal(req), req.params.id, req.body.mode), req.headers['accept-language'])),
  )

  app.post(
    '/household-imports/:id/discard',
    { schema: { tags: ['household-imports'], summary: 'Throw away a validated import without writing anything', params: IdParams, response: { 200: ImportSchema, ...errorResponses } } },
    async (req) => localise(await discardImport(db, principal(req), deps, req.params.id), req.headers['accept-language']),
  )
}
