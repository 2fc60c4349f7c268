import { Type } from 'typebox'
import { Cursor, Limit } from '../../platform/http-schemas.ts'
import { postingKinds } from './postings.tables.ts'

// Request and response schemas of public postings. Money travels as a string of whole fen;
// the public schemas name only masked fields, so serialisation drops anything else.

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
const Id = Type.String({ minLength: 1, maxLength: 64 })
const Day = Type.String({ maxLength: 10, description: 'YYYY-MM-DD (China)' })
const Kind = Type.Enum(postingKinds, { description: 'application: approved applications; household.entry: new files; household.exit: exits' })

export const CandidatesQuery = Type.Object({ kind: Kind })
export const CandidateList = Type.Object({
  items: Type.Array(
    Type.Object({
      subjectId: Type.String(),
      fileNo: Type.String(),
      headName: Type.String(),
      regionCode: Type.String(),
      detailZh: Type.String(),
      detailEn: Type.String(),
      amountFen: Nullable(Type.String()),
      postingDays: Type.Integer(),
    }),
  ),
})

export const PublishBody = Type.Object(
  {
    kind: Kind,
    title: Type.String({ maxLength: 200 }),
    startsOn: Type.Optional(Type.String({ maxLength: 10 })),
    endsOn: Type.Optional(Type.String({ maxLength: 10 })),
    subjectIds: Type.Array(Id, { maxItems: 1000 }),
  },
  { additionalProperties: false },
)

const Objection = Type.Object({
  id: Type.String(),
  content: Type.String(),
  sourceIp: Type.String(),
  userAgent: Nullable(Type.String()),
  createdAt: Type.String(),
  status: Type.Enum(['open', 'dismissed', 'upheld'] as const),
  resolvedAt: Nullable(Type.String()),
  resolution: Nullable(Type.String()),
  resolvedByName: Nullable(Type.String()),
})

const postingFields = {
  id: Type.String(),
  orgId: Type.String(),
  orgName: Type.String(),
  regionCode: Type.String(),
  kind: Kind,
  title: Type.String(),
  startsOn: Day,
  endsOn: Day,
  status: Type.Enum(['open', 'closed'] as const),
  itemCount: Type.Integer(),
  objectedCount: Type.Integer(),
  createdBy: Nullable(Type.String()),
  createdByName: Nullable(Type.String()),
  createdAt: Type.String(),
  closedAt: Nullable(Type.String()),
}
export const PostingSchema = Type.Object(postingFields)
export const PostingDetailSchema = Type.Object({
  ...postingFields,
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      seq: Type.Integer(),
      subjectKind: Kind,
      subjectId: Type.String(),
      householdId: Type.String(),
      regionCode: Type.String(),
      regionName: Nullable(Type.String()),
      maskedName: Type.String(),
      maskedId: Type.String(),
      detailZh: Type.String(),
      detailEn: Type.String(),
      amountFen: Nullable(Type.String()),
      status: Type.Enum(['posted', 'objected', 'effective', 'upheld'] as const),
      resolvedAt: Nullable(Type.String()),
      resolution: Nullable(Type.String()),
      objections: Type.Array(Objection),
    }),
  ),
})
export const PostingList = Type.Object({ items: Type.Array(PostingSchema), nextCursor: Nullable(Type.String()) })
export const PostingListQuery = Type.Object({
  status: Type.Optional(Type.Enum(['open', 'closed'] as const)),
  objected: Type.Optional(Type.Boolean({ description: 'only postings with an item under objection' })),
  cursor: Cursor,
  limit: Limit,
})
export const ItemParams = Type.Object({ id: Id, itemId: Id })
export const ResolveBody = Type.Object(
  { decision: Type.Enum(['dismiss', 'uphold'] as const, { description: 'dismiss: the objection is unfounded; uphold: it is founded' }), opinion: Type.String({ maxLength: 2000 }) },
  { additionalProperties: false },
)

// ---------------------------------------------------------------- public

const publicFields = {
  id: Type.String(),
  kind: Kind,
  title: Type.String(),
  orgName: Type.String(),
  regionCode: Type.String(),
  regionName: Nullable(Type.String()),
  startsOn: Day,
  endsOn: Day,
  itemCount: Type.Integer(),
}
export const PublicPostingList = Type.Object({ items: Type.Array(Type.Object(publicFields)) })
export const PublicPostingQuery = Type.Object({ region: Type.Optional(Type.String({ maxLength: 6, description: 'a province, city or county code (2, 4 or 6 digits)' })) })
export const PublicPostingDetail = Type.Object({
  ...publicFields,
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      seq: Type.Integer(),
      regionName: Nullable(Type.String()),
      maskedName: Type.String({ description: 'masked: 张*三, 张*' }),
      maskedId: Type.String({ description: 'masked: 4101**********1234' }),
      detailZh: Type.String(),
      detailEn: Type.String(),
      amountFen: Nullable(Type.String()),
    }),
  ),
})
export const ObjectionBody = Type.Object({ content: Type.String({ maxLength: 600 }) }, { additionalProperties: false })
export const ObjectionReceipt = Type.Object({ id: Type.String(), createdAt: Type.String() })
