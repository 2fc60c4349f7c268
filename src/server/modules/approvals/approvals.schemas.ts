import { Type } from 'typebox'
import { Cursor } from '../../platform/http-schemas.ts'
import { permissions } from '../access/permissions.ts'
import { approvalActionKinds, approvalStatuses, decisions, stepLevels } from './approval-flow.ts'

const Person = Type.Object({ id: Type.String(), name: Type.String() })
const Instant = Type.String({ description: 'ISO 8601 instant' })
const Opinion = Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()]))

export const ApprovalStepSchema = Type.Object({ level: Type.Enum(stepLevels), permission: Type.String() })

export const ApprovalSchema = Type.Object({
  id: Type.String(),
  subjectKind: Type.String({ description: "e.g. 'household.file'" }),
  subjectId: Type.String(),
  subjectLabel: Type.Union([Type.String(), Type.Null()], { description: "the subject as people name it, e.g. a household's file number and head" }),
  regionCode: Type.String(),
  regionName: Type.String(),
  maker: Person,
  status: Type.Enum(approvalStatuses),
  currentStep: Type.Integer({ description: 'the step being decided while pending; the last one reached otherwise' }),
  steps: Type.Array(ApprovalStepSchema),
  policyId: Type.Union([Type.String(), Type.Null()], { description: 'null: the built-in default policy (county, then city)' }),
  round: Type.Integer(),
  version: Type.Integer({ description: 'send it back when deciding: someone acting in between makes the decision fail with 409' }),
  createdAt: Instant,
  updatedAt: Instant,
  decidedAt: Type.Union([Instant, Type.Null()]),
})

export const ApprovalActionSchema = Type.Object({
  seq: Type.Integer(),
  round: Type.Integer(),
  step: Type.Integer(),
  actor: Person,
  action: Type.Enum(approvalActionKinds),
  opinion: Type.Union([Type.String(), Type.Null()]),
  at: Instant,
})

export const ApprovalDetailSchema = Type.Object({
  ...ApprovalSchema.properties,
  actions: Type.Array(ApprovalActionSchema),
  mayDecide: Type.Boolean({ description: 'the caller is a checker of the current step' }),
  mayResubmit: Type.Boolean({ description: 'the caller made it and it was returned for correction' }),
  mayWithdraw: Type.Boolean({ description: 'the caller made it and it is still open' }),
})

export const PendingQuery = Type.Object({ cursor: Cursor, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) })
export const PendingList = Type.Object({ items: Type.Array(ApprovalSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) })

export const DecideBody = Type.Object(
  {
    decision: Type.Enum(decisions),
    opinion: Opinion,
    version: Type.Integer({ minimum: 1, description: 'the version of the approval you saw' }),
  },
  { additionalProperties: false },
)

export const MakerActionBody = Type.Object({ version: Type.Integer({ minimum: 1 }), opinion: Opinion }, { additionalProperties: false })

export const PolicyQuery = Type.Object({
  kind: Type.String({ minLength: 3, maxLength: 100 }),
  regionCode: Type.String({ pattern: '^[0-9]{6}$' }),
})

export const EffectiveStepsSchema = Type.Object({
  kind: Type.String(),
  regionCode: Type.String(),
  policyId: Type.Union([Type.String(), Type.Null()], { description: 'null: the built-in default' }),
  regionPrefix: Type.Optional(Type.String({ description: "the prefix of the policy that applies ('' national); absent for the built-in default" })),
  effectiveFrom: Type.Optional(Type.String({ description: 'the date the applying policy took effect; absent for the built-in default' })),
  regionName: Type.Optional(Type.String({ description: "the applying policy's region, e.g. '河南省 郑州市'; '' nationwide; absent for the built-in default" })),
  steps: Type.Array(ApprovalStepSchema),
})

export const SetPolicyBody = Type.Object(
  {
    kind: Type.String({ minLength: 3, maxLength: 100 }),
    regionPrefix: Type.String({ pattern: '^([0-9]{2}|[0-9]{4}|[0-9]{6})?$', description: "'' national, '41', '4101' or '410102'" }),
    steps: Type.Array(Type.Object({ level: Type.Enum(stepLevels), permission: Type.Enum(permissions) }, { additionalProperties: false }), { minItems: 1, maxItems: 10 }),
    effectiveFrom: Type.Optional(Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'YYYY-MM-DD; today (China time) when left out' })),
  },
  { additionalProperties: false },
)

export const PolicySchema = Type.Object({ id: Type.String(), kind: Type.String(), regionPrefix: Type.String(), steps: Type.Array(ApprovalStepSchema), effectiveFrom: Type.String() })

export const PolicyListQuery = Type.Object({
  kind: Type.Optional(Type.String({ maxLength: 100, description: "only this subject kind, e.g. 'household.file'" })),
  cursor: Cursor,
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
})

export const StoredPolicySchema = Type.Object({
  ...PolicySchema.properties,
  regionName: Type.String({ description: "the prefix's region, e.g. '河南省 郑州市'; '' for the national policy" }),
  status: Type.Union([Type.Literal('current'), Type.Literal('future'), Type.Literal('superseded')], {
    description: "current: the latest in force for its kind and prefix; future: dated after today; superseded: replaced by a later one",
  }),
  setBy: Type.Union([Person, Type.Null()]),
  setAt: Instant,
})

export const PolicyList = Type.Object({ items: Type.Array(StoredPolicySchema), nextCursor: Type.Union([Type.String(), Type.Null()]) })

export const SubjectKindList = Type.Object({
  items: Type.Array(
    Type.Object({
      kind: Type.String(),
      approvePermission: Type.String({ description: "what the default steps need, e.g. 'household.approve'" }),
      base: Type.Union([Type.String(), Type.Null()], { description: "for a policy kind (e.g. a programme's own levels), the subject kind it belongs to" }),
      nameZh: Type.Union([Type.String(), Type.Null()]),
      nameEn: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
})
