import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Database, Kysely } from '../../db/database.ts'
import { errorResponses, IdParams } from '../../platform/http-schemas.ts'
import { principal } from '../../platform/http.ts'
import { ItemList, ItemListQuery, ItemParams, ItemSchema, ResolveBody, RunDetailSchema, RunList, RunListQuery, RunSchema, StartRunBody } from './reverification.schemas.ts'
import { getRun, listItems, listRuns, resolveItem, type RunView, startRun, type WorkItem } from './reverification.service.ts'

const runJson = <T extends RunView>(r: T) => ({ ...r, createdAt: r.createdAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null })
const itemJson = (i: WorkItem) => ({ ...i, resolvedAt: i.resolvedAt?.toISOString() ?? null })

/** Yearly re-verification (复核): runs over the caller's scope and their work lists. */
export const reverificationRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database> }> = async (app, { db }) => {
  const tags = ['reverification']
  app.post(
    '/reverification-runs',
    {
      schema: {
        tags,
        summary: 'Start the yearly re-verification of every household on file in your scope (a durable job)',
        body: StartRunBody,
        response: { 201: RunSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(runJson(await startRun(db, principal(req), { year: req.body.year }))),
  )

  app.get(
    '/reverification-runs',
    { schema: { tags, summary: 'Re-verification runs in your scope, newest first', querystring: RunListQuery, response: { 200: RunList, ...errorResponses } } },
    async (req) => {
      const r = await listRuns(db, principal(req), req.query)
      return { items: r.items.map(runJson), nextCursor: r.nextCursor }
    },
  )

  app.get(
    '/reverification-runs/:id',
    { schema: { tags, summary: 'One run with its items per outcome', params: IdParams, response: { 200: RunDetailSchema, ...errorResponses } } },
    async (req) => runJson(await getRun(db, principal(req), req.params.id)),
  )

  app.get(
    '/reverification-runs/:id/items',
    {
      schema: {
        tags,
        summary: "The run's work list in your scope, by file number",
        params: IdParams,
        querystring: ItemListQuery,
        response: { 200: ItemList, ...errorResponses },
      },
    },
    async (req) => {
      const r = await listItems(db, principal(req), req.params.id, req.query)
      return { items: r.items.map(itemJson), nextCursor: r.nextCursor }
    },
  )

  app.post(
    '/reverification-runs/:id/items/:householdId/resolve',
    {
      schema: {
        tags,
        summary: "Resolve one household's item of the work list",
        params: ItemParams,
        body: ResolveBody,
        response: { 200: ItemSchema, ...errorResponses },
      },
    },
    async (req) => itemJson(await resolveItem(db, principal(req), req.params.id, req.params.householdId, req.body)),
  )
}
