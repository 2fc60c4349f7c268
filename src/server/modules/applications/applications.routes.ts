import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Database, Kysely } from '../../db/database.ts'
import { errorResponses, IdParams } from '../../platform/http-schemas.ts'
import { principal } from '../../platform/http.ts'
import type { PiiCipher } from '../../platform/pii-crypto.ts'
import { ApplicationList, ApplicationListQuery, ApplicationSchema, ApplyBody, PrecheckBody, PrecheckSchema } from './applications.schemas.ts'
import { type Application, apply, getApplication, listApplications, type Precheck, precheck } from './applications.service.ts'

const str = (n: bigint | null) => (n === null ? null : n.toString())

export function precheckJson(x: Precheck) {
  return {
    ...x,
    amountFen: x.amountFen.toString(),
    interestSubsidyFen: str(x.interestSubsidyFen),
    cap: { capFen: str(x.cap.capFen), grantedThisYearFen: x.cap.grantedThisYearFen.toString(), allowedFen: str(x.cap.allowedFen) },
  }
}

export function applicationJson(x: Application) {
  return {
    ...x,
    request: (x.request ?? {}) as Record<string, unknown>,
    eligibility: x.eligibility as { condition: unknown; passed: boolean; figures: Record<string, unknown> }[],
    benefit: x.benefit as { step: string; figures: Record<string, unknown> }[],
    amountFen: x.amountFen.toString(),
    createdAt: x.createdAt.toISOString(),
    updatedAt: x.updatedAt.toISOString(),
  }
}

/** Applications for a programme (issue 4 §2, §3). */
export const applicationRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database>; cipher: PiiCipher }> = async (app, { db, cipher }) => {
  app.post(
    '/applications/precheck',
    {
      schema: {
        tags: ['applications'],
        summary: 'What an application would get now: each condition with its figures, the benefit lines, the period and the cap; writes nothing',
        body: PrecheckBody,
        response: { 200: PrecheckSchema, ...errorResponses },
      },
    },
    async (req) => precheckJson(await precheck(db, principal(req), cipher, req.body)),
  )

  app.post(
    '/applications',
    {
      schema: {
        tags: ['applications'],
        summary: 'Apply for a programme: recomputed by the server, refused when ineligible or above the cap, submitted for approval',
        body: ApplyBody,
        response: { 201: ApplicationSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(applicationJson(await apply(db, principal(req), cipher, req.body))),
  )

  app.get(
    '/applications',
    { schema: { tags: ['applications'], summary: 'Applications in the caller’s scope, newest first', querystring: ApplicationListQuery, response: { 200: ApplicationList, ...errorResponses } } },
    async (req) => {
      const r = await listApplications(db, principal(req), req.query)
      return { items: r.items.map(applicationJson), nextCursor: r.nextCursor }
    },
  )

  app.get('/applications/:id', { schema: { tags: ['applications'], params: IdParams, response: { 200: ApplicationSchema, ...errorResponses } } }, async (req) =>
    applicationJson(await getApplication(db, principal(req), req.params.id)),
  )
}
