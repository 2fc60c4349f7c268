import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Database, Kysely } from '../../db/database.ts'
import { errorResponses, IdParams } from '../../platform/http-schemas.ts'
import { principal } from '../../platform/http.ts'
import type { PiiCipher } from '../../platform/pii-crypto.ts'
import {
  CandidateList,
  CandidatesQuery,
  ItemParams,
  ObjectionBody,
  ObjectionReceipt,
  PostingDetailSchema,
  PostingList,
  PostingListQuery,
  PublicPostingDetail,
  PublicPostingList,
  PublicPostingQuery,
  PublishBody,
  ResolveBody,
} from './postings.schemas.ts'
import { getPosting, getPublicPosting, listCandidates, listPostings, listPublicPostings, lodgeObjection, type Posting, type PostingDetail, publish, resolveObjections } from './postings.service.ts'

const fen = (n: bigint | null) => (n === null ? null : n.toString())
const iso = (d: Date | null) => (d === null ? null : d.toISOString())

function postingJson(x: Posting) {
  return { ...x, createdAt: x.createdAt.toISOString(), closedAt: iso(x.closedAt) }
}

function detailJson(x: PostingDetail) {
  return {
    ...postingJson(x),
    items: x.items.map((i) => ({
      ...i,
      amountFen: fen(i.amountFen),
      resolvedAt: iso(i.resolvedAt),
      objections: i.objections.map((o) => ({ ...o, createdAt: o.createdAt.toISOString(), resolvedAt: iso(o.resolvedAt) })),
    })),
  }
}

/** Postings as staff publish and review them (issue 4 §4). */
export const postingRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database>; cipher: PiiCipher }> = async (app, { db, cipher }) => {
  app.get(
    '/postings/candidates',
    { schema: { tags: ['postings'], summary: 'What the caller’s organisation could post now, oldest first', querystring: CandidatesQuery, response: { 200: CandidateList, ...errorResponses } } },
    async (req) => ({ items: (await listCandidates(db, principal(req), req.query.kind)).map((c) => ({ ...c, amountFen: fen(c.amountFen) })) }),
  )

  app.post(
    '/postings',
    {
      schema: {
        tags: ['postings'],
        summary: 'Publish a posting: the chosen items, masked, from a start to an end (at least the longest posting days of its programmes)',
        body: PublishBody,
        response: { 201: PostingDetailSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(detailJson(await publish(db, principal(req), cipher, req.body))),
  )

  app.get('/postings', { schema: { tags: ['postings'], summary: 'Postings in the caller’s scope, newest first', querystring: PostingListQuery, response: { 200: PostingList, ...errorResponses } } }, async (req) => {
    const r = await listPostings(db, principal(req), req.query)
    return { items: r.items.map(postingJson), nextCursor: r.nextCursor }
  })

  app.get('/postings/:id', { schema: { tags: ['postings'], params: IdParams, response: { 200: PostingDetailSchema, ...errorResponses } } }, async (req) =>
    detailJson(await getPosting(db, principal(req), req.params.id)),
  )

  app.post(
    '/postings/:id/items/:itemId/resolve',
    {
      schema: {
        tags: ['postings'],
        summary: 'Decide the objections against an item: dismiss (posted again, or effective after the period) or uphold (an application is rejected)',
        params: ItemParams,
        body: ResolveBody,
        response: { 200: PostingDetailSchema, ...errorResponses },
      },
    },
    async (req) => detailJson(await resolveObjections(db, principal(req), req.params.id, req.params.itemId, req.body)),
  )
}

/**
 * The public side, no login (domain.md §11): postings in their period by region, with masked
 * names and ID numbers only, and the objection channel. Objections are limited per source.
 */
export const publicPostingRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database>; objectionRateLimit?: number }> = async (app, { db, objectionRateLimit = 5 }) => {
  app.get(
    '/public/postings',
    { schema: { tags: ['public'], security: [], summary: 'Postings in their period, by region (masked)', querystring: PublicPostingQuery, response: { 200: PublicPostingList, ...errorResponses } } },
    async (req) => ({ items: await listPublicPostings(db, req.query.region) }),
  )

  app.get(
    '/public/postings/:id',
    { schema: { tags: ['public'], security: [], summary: 'One posting in its period with its items (masked)', params: IdParams, response: { 200: PublicPostingDetail, ...errorResponses } } },
    async (req) => {
      const x = await getPublicPosting(db, req.params.id)
      return { ...x, items: x.items.map((i) => ({ ...i, amountFen: fen(i.amountFen) })) }
    },
  )

  app.post(
    '/public/postings/:id/items/:itemId/objections',
    {
      config: { rateLimit: { max: objectionRateLimit, timeWindow: '1 minute' } },
      schema: {
        tags: ['public'],
        security: [],
        summary: 'Lodge an objection to an item during its posting period (5 to 500 characters; limited per source)',
        params: ItemParams,
        body: ObjectionBody,
        response: { 201: ObjectionReceipt, ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await lodgeObjection(db, {
        postingId: req.params.id,
        itemId: req.params.itemId,
        content: req.body.content,
        sourceIp: req.ip,
        userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : null,
        requestId: req.id,
      })
      return reply.status(201).send({ id: r.id, createdAt: r.createdAt.toISOString() })
    },
  )
}
