import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Database, Kysely } from '../../db/database.ts'
import { errorResponses, IdParams } from '../../platform/http-schemas.ts'
import { principal } from '../../platform/http.ts'
import { JobList, JobListQuery, JobSchema } from './jobs.schemas.ts'
import { cancelJob, getJob, listJobs } from './jobs.service.ts'

/** Watching long work: any job whose region the caller's scope covers. */
export const jobRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get('/jobs', { schema: { tags: ['jobs'], summary: 'Jobs in scope, newest first', querystring: JobListQuery, response: { 200: JobList, ...errorResponses } } }, async (req) =>
    listJobs(db, principal(req), req.query),
  )
  app.get('/jobs/:id', { schema: { tags: ['jobs'], summary: 'One job with its progress', params: IdParams, response: { 200: JobSchema, ...errorResponses } } }, async (req) =>
    getJob(db, principal(req), req.params.id),
  )
  app.post(
    '/jobs/:id/cancel',
    { schema: { tags: ['jobs'], summary: 'Asks a job to stop at its next chunk boundary', params: IdParams, response: { 200: JobSchema, ...errorResponses } } },
    async (req) => cancelJob(db, principal(req), req.params.id),
  )
}
