import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Database, Kysely } from '../../db/database.ts'
import { errorResponses } from '../../platform/http-schemas.ts'
import { principal } from '../../platform/http.ts'
import { requirePermission } from '../../platform/principal.ts'
import { RegionDetail, RegionList, RegionListQuery, RegionParams } from './regions.schemas.ts'
import { getRegion, listRegions } from './regions.service.ts'

export const regionRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get(
    '/regions',
    {
      schema: {
        tags: ['regions'],
        summary: 'GB/T 2260 regions: children of `parent` (provinces when omitted), or a search by name',
        querystring: RegionListQuery,
        response: { 200: RegionList, ...errorResponses },
      },
    },
    async (req) => {
      requirePermission(principal(req), 'region.read')
      return { items: await listRegions(db, req.query) }
    },
  )

  app.get(
    '/regions/:code',
    { schema: { tags: ['regions'], summary: 'One region with its ancestors', params: RegionParams, response: { 200: RegionDetail, ...errorResponses } } },
    async (req) => {
      requirePermission(principal(req), 'region.read')
      return getRegion(db, req.params.code)
    },
  )
}
