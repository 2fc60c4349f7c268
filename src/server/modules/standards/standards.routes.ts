import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Database, Kysely } from '../../db/database.ts'
import { errorResponses, IdParams, NoContent } from '../../platform/http-schemas.ts'
import { principal } from '../../platform/http.ts'
import { CreateStandardBody, CreateStandardResponse, InForceQuery, InForceResponse, StandardList, StandardListQuery } from './standards.schemas.ts'
import { createStandard, deleteStandard, getStandardInForce, listStandards, type Standard } from './standards.service.ts'

function toJson(s: Standard) {
  return {
    ...s,
    dibaoLineFen: s.dibaoLineFen.toString(),
    minWageFen: s.minWageFen.toString(),
    laidOffAllowanceFen: s.laidOffAllowanceFen === null ? null : s.laidOffAllowanceFen.toString(),
    createdAt: s.createdAt.toISOString(),
  }
}

/** Local standards (低保 line, minimum wage, hardship thresholds) per region with effective dates. */
export const standardRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get(
    '/standards',
    {
      schema: {
        tags: ['standards'],
        summary: 'Local standards of the regions in scope and above it, by region then newest first',
        querystring: StandardListQuery,
        response: { 200: StandardList, ...errorResponses },
      },
    },
    async (req) => {
      const r = await listStandards(db, principal(req), req.query)
      return { items: r.items.map(toJson), nextCursor: r.nextCursor }
    },
  )

  app.get(
    '/standards/in-force',
    {
      schema: {
        tags: ['standards'],
        summary: 'The standard in force for a region on a day: the most specific region first, its latest effective date',
        querystring: InForceQuery,
        response: { 200: InForceResponse, ...errorResponses },
      },
    },
    async (req) => {
      const s = await getStandardInForce(db, principal(req), req.query.regionCode, req.query.on)
      return { standard: s ? toJson(s) : null }
    },
  )

  app.post(
    '/standards',
    {
      schema: {
        tags: ['standards'],
        summary: 'Add a standard; the households of its region are re-classified by a job',
        body: CreateStandardBody,
        response: { 201: CreateStandardResponse, ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await createStandard(db, principal(req), req.body)
      return reply.status(201).send({ standard: toJson(r.standard), job: r.job })
    },
  )

  app.delete(
    '/standards/:id',
    { schema: { tags: ['standards'], summary: 'Delete a standard not yet in force', params: IdParams, response: { 204: NoContent, ...errorResponses } } },
    async (req, reply) => {
      await deleteStandard(db, principal(req), req.params.id)
      return reply.status(204).send(null)
    },
  )
}
