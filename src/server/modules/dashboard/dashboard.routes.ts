import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Database, Kysely } from '../../db/database.ts'
import { errorResponses } from '../../platform/http-schemas.ts'
import { principal } from '../../platform/http.ts'
import { countEntries } from '../audit/audit.service.ts'
import { countOrgs } from '../orgs/orgs.service.ts'
import { countRegions } from '../regions/regions.service.ts'
import { countUsers } from '../access/users.service.ts'

const Summary = Type.Object({
  orgs: Type.Integer(),
  users: Type.Integer(),
  regions: Type.Object({ provinces: Type.Integer(), cities: Type.Integer(), counties: Type.Integer() }),
  auditEntries: Type.Integer(),
})

/** The workbench's first figures, each counted within the caller's scope. */
export const dashboardRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get('/dashboard/summary', { schema: { tags: ['dashboard'], response: { 200: Summary, ...errorResponses } } }, async (req) => {
    const p = principal(req)
    const regions = await countRegions(db)
    return {
      orgs: p.permissions.has('org.read') ? await countOrgs(db, p) : 0,
      users: p.permissions.has('user.read') ? await countUsers(db, p) : 0,
      regions: { provinces: regions.province, cities: regions.city, counties: regions.county },
      auditEntries: p.permissions.has('audit.read') ? await countEntries(db, p.scope) : 0,
    }
  })
}
