import type { PiiCipher } from '../../platform/pii-crypto.ts'
import { PassThrough } from 'node:stream'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Database, Kysely } from '../../db/database.ts'
import { errorResponses } from '../../platform/http-schemas.ts'
import { principal } from '../../platform/http.ts'
import { exportFileName, writeHouseholdWorkbook } from './export.ts'
import { HouseholdExportQuerySchema, HouseholdListQuerySchema, HouseholdListSchema } from './list.schemas.ts'
import { type HouseholdListItem, listHouseholds, planExport } from './list.service.ts'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

const toJson = (h: HouseholdListItem) => ({
  ...h,
  perCapitaMonthlyFen: h.perCapitaMonthlyFen === null ? null : h.perCapitaMonthlyFen.toString(),
  createdAt: h.createdAt.toISOString(),
})

/** `attachment; filename="ascii"; filename*=UTF-8''…` (RFC 6266). */
function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`
}

export const householdListRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database>; cipher: PiiCipher }> = async (app, { db, cipher }) => {
  app.get(
    '/households',
    {
      schema: {
        tags: ['households'],
        summary: 'Household files in scope: filters, sort, keyset pages',
        querystring: HouseholdListQuerySchema,
        response: { 200: HouseholdListSchema, ...errorResponses },
      },
    },
    async (req) => {
      const result = await listHouseholds(db, principal(req), req.query, cipher)
      return { items: result.items.map(toJson), nextCursor: result.nextCursor }
    },
  )

  app.get(
    '/households/export.xlsx',
    {
      schema: {
        tags: ['households'],
        summary: 'The list as filtered, as an .xlsx workbook (household.export; audited; at most 100,000 rows)',
        querystring: HouseholdExportQuerySchema,
        response: { 200: Type.Unknown({ description: 'the workbook' }), ...errorResponses },
      },
    },
    async (req, reply) => {
      // Size, permission and audit are settled before the first byte, so refusals are ordinary JSON errors.
      const plan = await planExport(db, principal(req), req.query, cipher)
      const body = new PassThrough()
      writeHouseholdWorkbook(plan, body).catch((err: unknown) => {
        req.log.error({ err }, 'household export failed mid-stream')
        body.destroy(err instanceof Error ? err : new Error(String(err)))
      })
      return reply.header('content-type', XLSX).header('content-disposition', attachment(exportFileName())).send(body)
    },
  )
}
