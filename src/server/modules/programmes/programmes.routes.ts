import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Database, Kysely } from '../../db/database.ts'
import { errorResponses, IdParams } from '../../platform/http-schemas.ts'
import { principal } from '../../platform/http.ts'
import { CreateProgrammeBody, ProgrammeList, ProgrammeListQuery, ProgrammeSchema, UpdateProgrammeBody, VersionBody } from './programmes.schemas.ts'
import { createProgramme, deactivateProgramme, getProgramme, listProgrammes, type Programme, updateProgramme } from './programmes.service.ts'

export function programmeJson(x: Programme) {
  return {
    ...x,
    capPerHouseholdYearFen: x.capPerHouseholdYearFen === null ? null : x.capPerHouseholdYearFen.toString(),
    createdAt: x.createdAt.toISOString(),
    updatedAt: x.updatedAt.toISOString(),
  }
}

/** The programme catalogue (issue 4 §1). */
export const programmeRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get(
    '/programmes',
    {
      schema: {
        tags: ['programmes'],
        summary: 'Programmes that apply inside the caller’s scope (national, of the regions above it and inside it)',
        querystring: ProgrammeListQuery,
        response: { 200: ProgrammeList, ...errorResponses },
      },
    },
    async (req) => ({ items: (await listProgrammes(db, principal(req), req.query)).map(programmeJson) }),
  )

  app.get('/programmes/:id', { schema: { tags: ['programmes'], params: IdParams, response: { 200: ProgrammeSchema, ...errorResponses } } }, async (req) =>
    programmeJson(await getProgramme(db, principal(req), req.params.id)),
  )

  app.post(
    '/programmes',
    { schema: { tags: ['programmes'], summary: 'Add a programme; rule and formula checked field by field', body: CreateProgrammeBody, response: { 201: ProgrammeSchema, ...errorResponses } } },
    async (req, reply) => reply.status(201).send(programmeJson(await createProgramme(db, principal(req), req.body))),
  )

  app.patch(
    '/programmes/:id',
    { schema: { tags: ['programmes'], summary: 'Change a programme of the caller’s scope; names the version read', params: IdParams, body: UpdateProgrammeBody, response: { 200: ProgrammeSchema, ...errorResponses } } },
    async (req) => programmeJson(await updateProgramme(db, principal(req), req.params.id, req.body)),
  )

  app.post(
    '/programmes/:id/deactivate',
    { schema: { tags: ['programmes'], summary: 'Take a programme out of the catalogue for new applications', params: IdParams, body: VersionBody, response: { 200: ProgrammeSchema, ...errorResponses } } },
    async (req) => programmeJson(await deactivateProgramme(db, principal(req), req.params.id, req.body.version)),
  )
}
