import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Database, Kysely } from '../../db/database.ts'
import { invalid, text } from '../../platform/errors.ts'
import { errorResponses } from '../../platform/http-schemas.ts'
import { principal } from '../../platform/http.ts'
import { requirePermission } from '../../platform/principal.ts'
import { AuditList, AuditListQuery, VerifyResultSchema } from './audit.schemas.ts'
import { JobSchema } from '../jobs/jobs.schemas.ts'
import { assertMayVerify, listEntries, startVerification, verifyChains } from './audit.service.ts'

function parseInstant(field: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined
  const at = new Date(value)
  if (Number.isNaN(at.getTime())) throw invalid(field, text('must be an ISO date or date-time', '必须是日期或日期时间（ISO 格式）'))
  return at
}

export const auditRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get(
    '/audit',
    { schema: { tags: ['audit'], summary: 'Audit entries in scope, newest first', querystring: AuditListQuery, response: { 200: AuditList, ...errorResponses } } },
    async (req) => {
      const p = principal(req)
      requirePermission(p, 'audit.read')
      const { from, to, ...rest } = req.query
      return listEntries(db, p.scope, { ...rest, from: parseInstant('from', from), to: parseInstant('to', to) })
    },
  )

  app.get(
    '/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary: 'Re-computes every hash chain and names the first broken link',
        response: { 200: VerifyResultSchema, ...errorResponses },
      },
    },
    async (req) => {
      const p = principal(req)
      assertMayVerify(p)
      return verifyChains(db, { provinceCode: p.scope.regionPrefix || undefined })
    },
  )

  app.post(
    '/audit/verify-jobs',
    {
      schema: {
        tags: ['audit'],
        summary: 'Starts chain verification as a job; watch it at /api/jobs/{id}',
        response: { 202: JobSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(202).send(await startVerification(db, principal(req))),
  )
}
