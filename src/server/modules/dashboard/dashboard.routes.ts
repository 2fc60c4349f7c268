import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Database, Kysely } from '../../db/database.ts'
import { errorResponses } from '../../platform/http-schemas.ts'
import { principal } from '../../platform/http.ts'
import { listPendingFor } from '../approvals/approvals.service.ts'
import { countObjectionsWaiting } from '../postings/postings.service.ts'
import { countEntries } from '../audit/audit.service.ts'
import { householdWorkload } from '../households/care.service.ts'
import { countOrgs } from '../orgs/orgs.service.ts'
import { countRegions } from '../regions/regions.service.ts'
import { countUsers } from '../access/users.service.ts'

const Count = Type.Union([Type.Integer(), Type.Null()], { description: 'null when the caller may not read this area' })
const Summary = Type.Object({
  orgs: Count,
  users: Count,
  regions: Type.Object({ provinces: Type.Integer(), cities: Type.Integer(), counties: Type.Integer() }),
  auditEntries: Count,
  households: Type.Union(
    [
      Type.Object({
        byStatus: Type.Record(Type.String(), Type.Integer()),
        onFile: Type.Integer(),
        unpaired: Type.Integer({ description: 'on file without a helper (一帮一 gap)' }),
        overdueVisits: Type.Integer({ description: 'on file and not visited for six months' }),
        pendingApprovals: Type.Integer({ description: 'approvals waiting for the caller (counted up to 100)' }),
        objectionsWaiting: Type.Integer({ description: 'posted items under objection the caller could decide' }),
      }),
      Type.Null(),
    ],
    { description: 'null when the caller may not read household files' },
  ),
})

/** The workbench's first figures, each counted within the caller's scope. */
export const dashboardRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get('/dashboard/summary', { schema: { tags: ['dashboard'], response: { 200: Summary, ...errorResponses } } }, async (req) => {
    const p = principal(req)
    const regions = await countRegions(db)
    return {
      orgs: p.permissions.has('org.read') ? await countOrgs(db, p) : null,
      users: p.permissions.has('user.read') ? await countUsers(db, p) : null,
      regions: { provinces: regions.province, cities: regions.city, counties: regions.county },
      auditEntries: p.permissions.has('audit.read') ? await countEntries(db, p.scope) : null,
      households: p.permissions.has('household.read')
        ? {
            ...(await householdWorkload(db, p)),
            pendingApprovals: (await listPendingFor(db, p, { limit: 100 })).items.length,
            objectionsWaiting: await countObjectionsWaiting(db, p),
          }
        : null,
    }
  })
}
