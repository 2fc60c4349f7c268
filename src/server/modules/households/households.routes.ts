import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Database, Kysely } from '../../db/database.ts'
import { notFound } from '../../platform/errors.ts'
import { errorResponses, IdParams } from '../../platform/http-schemas.ts'
import { principal } from '../../platform/http.ts'
import type { PiiCipher } from '../../platform/pii-crypto.ts'
import { FileHouseholdBody, FindByIdNumberBody, HouseholdQuery, HouseholdSchema } from './households.schemas.ts'
import { fileHousehold, findByIdNumber, getHousehold, type Household } from './households.service.ts'

function toJson(h: Household) {
  return {
    ...h,
    createdAt: h.createdAt.toISOString(),
    updatedAt: h.updatedAt.toISOString(),
    members: h.members.map((m) => ({ ...m, monthlyIncomeFen: m.monthlyIncomeFen.toString() })),
  }
}

export const householdRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database>; cipher: PiiCipher }> = async (app, { db, cipher }) => {
  app.post(
    '/households',
    { schema: { tags: ['households'], summary: 'File a household (建档) with its members', body: FileHouseholdBody, response: { 201: HouseholdSchema, ...errorResponses } } },
    async (req, reply) => {
      const body = req.body
      const household = await fileHousehold(db, principal(req), cipher, {
        ...body,
        members: body.members.map((m) => ({ ...m, monthlyIncomeFen: BigInt(m.monthlyIncomeFen) })),
      })
      return reply.status(201).send(toJson(household))
    },
  )

  app.get(
    '/households/:id',
    { schema: { tags: ['households'], summary: 'One household file, masked unless ?full=true', params: IdParams, querystring: HouseholdQuery, response: { 200: HouseholdSchema, ...errorResponses } } },
    async (req) => toJson(await getHousehold(db, principal(req), cipher, req.params.id, { fullView: req.query.full ?? false })),
  )

  app.post(
    '/households/find-by-id-number',
    { schema: { tags: ['households'], summary: 'The household in your scope that holds this ID number', body: FindByIdNumberBody, response: { 200: HouseholdSchema, ...errorResponses } } },
    async (req) => {
      const found = await findByIdNumber(db, principal(req), cipher, req.body.idNumber)
      if (!found) throw notFound()
      return toJson(found)
    },
  )
}
