import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Database, Kysely } from '../../db/database.ts'
import { notFound } from '../../platform/errors.ts'
import { errorResponses, IdParams } from '../../platform/http-schemas.ts'
import { principal } from '../../platform/http.ts'
import type { PiiCipher } from '../../platform/pii-crypto.ts'
import { FileHouseholdBody, FindByIdNumberBody, HouseholdQuery, HouseholdSchema, UpdateHouseholdBody } from './households.schemas.ts'
import { fileHousehold, findByIdNumber, getHousehold, type Household, updateHousehold } from './households.service.ts'

const iso = (d: Date | null) => d?.toISOString() ?? null

export function householdJson(h: Household) {
  const c = h.classification
  return {
    ...h,
    yearlyIncomeFen: h.yearlyIncomeFen.toString(),
    yearlyRigidSpendingFen: h.yearlyRigidSpendingFen.toString(),
    yearlyHardshipSpendingFen: h.yearlyHardshipSpendingFen.toString(),
    classification: { ...c, perCapitaMonthlyFen: c.perCapitaMonthlyFen?.toString() ?? null, classifiedAt: iso(c.classifiedAt) },
    submittedAt: iso(h.submittedAt),
    verifiedAt: iso(h.verifiedAt),
    endedAt: iso(h.endedAt),
    createdAt: h.createdAt.toISOString(),
    updatedAt: h.updatedAt.toISOString(),
    members: h.members.map((m) => ({ ...m, monthlyIncomeFen: m.monthlyIncomeFen.toString() })),
  }
}

type Money = { yearlyIncomeFen?: string; yearlyRigidSpendingFen?: string; yearlyHardshipSpendingFen?: string; members: { monthlyIncomeFen: string }[] }

/** JSON strings of fen become bigint at the edge; the service never sees a float. */
function withBigints<T extends Money>(
  body: T,
): Omit<T, keyof Money> & {
  yearlyIncomeFen?: bigint
  yearlyRigidSpendingFen?: bigint
  yearlyHardshipSpendingFen?: bigint
  members: (Omit<T['members'][number], 'monthlyIncomeFen'> & { monthlyIncomeFen: bigint })[]
} {
  const big = (s: string | undefined) => (s === undefined ? undefined : BigInt(s))
  // The spread of a generic is typed loosely; the shape is exactly the declared one.
  return <ReturnType<typeof withBigints<T>>>(<unknown>{
    ...body,
    yearlyIncomeFen: big(body.yearlyIncomeFen),
    yearlyRigidSpendingFen: big(body.yearlyRigidSpendingFen),
    yearlyHardshipSpendingFen: big(body.yearlyHardshipSpendingFen),
    members: body.members.map((m) => ({ ...m, monthlyIncomeFen: BigInt(m.monthlyIncomeFen) })),
  })
}

export const householdRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database>; cipher: PiiCipher }> = async (app, { db, cipher }) => {
  app.post(
    '/households',
    { schema: { tags: ['households'], summary: 'File a household (建档) with its members', body: FileHouseholdBody, response: { 201: HouseholdSchema, ...errorResponses } } },
    async (req, reply) => reply.status(201).send(householdJson(await fileHousehold(db, principal(req), cipher, withBigints(req.body)))),
  )

  app.get(
    '/households/:id',
    { schema: { tags: ['households'], summary: 'One household file, masked unless ?full=true', params: IdParams, querystring: HouseholdQuery, response: { 200: HouseholdSchema, ...errorResponses } } },
    async (req) => householdJson(await getHousehold(db, principal(req), cipher, req.params.id, { fullView: req.query.full ?? false })),
  )

  app.put(
    '/households/:id',
    {
      schema: {
        tags: ['households'],
        summary: 'Correct or update a file (draft or on file) at the version you read; the classification is recomputed',
        params: IdParams,
        body: UpdateHouseholdBody,
        response: { 200: HouseholdSchema, ...errorResponses },
      },
    },
    async (req) => householdJson(await updateHousehold(db, principal(req), cipher, req.params.id, withBigints(req.body))),
  )

  app.post(
    '/households/find-by-id-number',
    { schema: { tags: ['households'], summary: 'The household in your scope that holds this ID number', body: FindByIdNumberBody, response: { 200: HouseholdSchema, ...errorResponses } } },
    async (req) => {
      const found = await findByIdNumber(db, principal(req), cipher, req.body.idNumber)
      if (!found) throw notFound()
      return householdJson(found)
    },
  )
}
