import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Database, Kysely } from '../../db/database.ts'
import { errorResponses, IdParams } from '../../platform/http-schemas.ts'
import { principal } from '../../platform/http.ts'
import { CreateOrgBody, OrgList, OrgListQuery, OrgSchema, UpdateOrgBody } from './orgs.schemas.ts'
import { createOrg, getOrg, listOrgs, updateOrg } from './orgs.service.ts'

export const orgRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get(
    '/orgs',
    {
      schema: {
        tags: ['orgs'],
        summary: 'Organisations in scope: children of parentId, or the tops of the visible tree, or a name search',
        querystring: OrgListQuery,
        response: { 200: OrgList, ...errorResponses },
      },
    },
    async (req) => listOrgs(db, principal(req), req.query),
  )

  app.get('/orgs/:id', { schema: { tags: ['orgs'], params: IdParams, response: { 200: OrgSchema, ...errorResponses } } }, async (req) =>
    getOrg(db, principal(req), req.params.id),
  )

  app.post('/orgs', { schema: { tags: ['orgs'], body: CreateOrgBody, response: { 201: OrgSchema, ...errorResponses } } }, async (req, reply) => {
    const org = await createOrg(db, principal(req), req.body)
    return reply.status(201).send(org)
  })

  app.patch('/orgs/:id', { schema: { tags: ['orgs'], params: IdParams, body: UpdateOrgBody, response: { 200: OrgSchema, ...errorResponses } } }, async (req) =>
    updateOrg(db, principal(req), req.params.id, req.body),
  )
}
