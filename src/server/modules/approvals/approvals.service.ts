import type { Database, Kysely, Transaction } from '../../db/database.ts'
import { decodeCursor, page } from '../../platform/cursor.ts'
import { AppError, invalid, isUniqueViolation, notFound, text } from '../../platform/errors.ts'
import { chinaDate } from '../../platform/china-date.ts'
import { isUuid } from '../../platform/ids.ts'
import { actorOf, type Principal, requirePermission } from '../../platform/principal.ts'
import { regionPrefixOf, scopeCovers } from '../../platform/scope.ts'
import { isPermission, type Permission } from '../access/permissions.ts'
import * as audit from '../audit/audit.service.ts'
import { findOrgInScope } from '../orgs/orgs.service.ts'
import type { OrgLevel } from '../orgs/orgs.tables.ts'
import { findRegion, regionFullName } from '../regions/regions.service.ts'
import {
  type ApprovalActionKind,
  type ApprovalStatus,
  type Decision,
  decisions,
  type FlowState,
  initialState,
  isFinal,
  type MakerAction,
  next,
  type Party,
  type Refusal,
  type StepLevel,
  stepLevels,
} from './approval-flow.ts'
import * as repo from './approvals.repository.ts'

/**
 * The generic maker-checker service (domain.md §1, §5, §6): household files, assistance
 * applications and payment batches submit through it and are decided step by step by
 * the levels their region's policy names. The maker never checks their own work, and a
 * checker decides at most one step of any approval.
 */

export interface ApprovalStep {
  /** the level of the organisation whose approvers decide this step */
  level: StepLevel
  /** what the approver must hold, e.g. 'household.approve' */
  permission: Permission
}

export interface ApprovalActionView {
  /** the approval's version this action produced */
  seq: number
  round: number
  step: number
  actor: { id: string; name: string }
  action: ApprovalActionKind
  opinion: string | null
  at: string
}

export interface Approval {
  id: string
  subjectKind: string
  subjectId: string
  regionCode: string
  maker: { id: string; name: string }
  status: ApprovalStatus
  /** the step being decided while pending; the last one reached otherwise */
  currentStep: number
  /** the policy's steps as they were at submission */
  steps: ApprovalStep[]
  /** null: the built-in default policy */
  policyId: string | null
  /** 1 + the number of resubmissions */
  round: number
  /** changes with every action: a checker decides the version they saw */
  version: number
  createdAt: string
  updatedAt: string
  decidedAt: string | null
}

export interface ApprovalDetail extends Approval {
  actions: ApprovalActionView[]
}

/** What a subject's module hears when one of its approvals changes. */
export interface ApprovalEvent {
  approval: Approval
  action: Exclude<ApprovalActionKind, 'submit'>
  from: ApprovalStatus
  opinion: string | null
  actor: Principal
}

/**
 * A kind of subject that goes through approval. Its module registers it once, at load.
 * `onTransition` runs inside the transaction that records the action (approve, return,
 * reject, resubmit, withdraw), so the subject's own state change (e.g. a household file
 * becoming 在档 when its approval is approved) commits or fails together with it. The
 * submission itself is started by the subject's service, which can pass its own
 * transaction to `submit`.
 */
export interface SubjectKind {
  kind: string
  /** who may read a subject's approvals besides its maker and its checkers */
  readPermission: Permission
  /** the permission of the built-in default policy's steps */
  approvePermission: Permission
  onTransition?: (trx: Transaction<Database>, event: ApprovalEvent) => Promise<void>
}

const SUBJECT_KIND = /^[a-z][a-z_]*\.[a-z][a-z_]*$/
const kinds = new Map<string, SubjectKind>()

export function registerSubjectKind(kind: SubjectKind): void {
  if (!SUBJECT_KIND.test(kind.kind)) throw new Error(`subject kind must read 'domain.thing': ${kind.kind}`)
  kinds.set(kind.kind, kind)
}

/**
 * Policy kinds besides the subject kinds: names under which policies may be set for a part of one
 * subject kind's subjects, e.g. a programme's own approval levels ('programme.temporary_aid') for
 * applications (subject kind 'programme.application'). A submission names its policy kind; when no
 * policy of that name is in force for its region, the subject kind's policy applies, then the default.
 * The provider reads them from the owning module's data (the programme catalogue).
 */
type PolicyKindProvider = (db: Kysely<Database>) => Promise<{ kind: string; base: string; nameZh: string; nameEn: string }[]>
const policyKindProviders: PolicyKindProvider[] = []

export function registerPolicyKinds(provider: PolicyKindProvider): void {
  policyKindProviders.push(provider)
}

/** The subject kind a policy kind belongs to (itself for a subject kind). */
async function baseKindOf(db: Kysely<Database>, policyKind: string): Promise<SubjectKind> {
  if (kinds.has(policyKind)) return kinds.get(policyKind)!
  for (const provider of policyKindProviders) {
    const found = (await provider(db)).find((k) => k.kind === policyKind)
    if (found) return kindOf(found.base)
  }
  return kindOf(policyKind)
}

/** The policy in force for a policy kind in a region, falling back to its subject kind's. */
async function policyFor(db: Kysely<Database>, policyKind: string, base: SubjectKind, regionCode: string) {
  const prefixes = prefixesOf(regionCode)
  const own = await repo.findEffectivePolicy(db, policyKind, prefixes, chinaDate())
  return own ?? (policyKind !== base.kind ? await repo.findEffectivePolicy(db, base.kind, prefixes, chinaDate()) : undefined)
}

/**
 * Used when no policy matches the subject's region (documented default): one county step
 * then one city step, each needing the kind's approve permission.
 */
export function defaultSteps(kind: SubjectKind): ApprovalStep[] {
  return [
    { level: 'county', permission: kind.approvePermission },
    { level: 'city', permission: kind.approvePermission },
  ]
}

const levelZh: Record<StepLevel, string> = { county: '县级', city: '市级', province: '省级', national: '国家级' }
const statusZh: Record<ApprovalStatus, string> = { pending: '审批中', returned: '已退回', approved: '已通过', rejected: '已驳回', withdrawn: '已撤回' }

function toApproval(r: repo.ApprovalRecord): Approval {
  return {
    id: r.id,
    subjectKind: r.subject_kind,
    subjectId: r.subject_id,
    regionCode: r.region_code,
    maker: { id: r.maker_id, name: r.maker_name },
    status: r.status,
    currentStep: r.current_step,
    steps: r.steps as ApprovalStep[],
    policyId: r.policy_id,
    round: r.round,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    decidedAt: r.decided_at?.toISOString() ?? null,
  }
}

function toAction(r: repo.ActionRecord): ApprovalActionView {
  return { seq: r.seq, round: r.round, step: r.step, actor: { id: r.actor_id, name: r.actor_name }, action: r.decision, opinion: r.opinion, at: r.at.toISOString() }
}

/** Runs `work` in the caller's transaction when given one (a subject's service submitting with its own change), else in a new one. */
function inTransaction<T>(db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db as Transaction<Database>) : db.transaction().execute(work)
}

/** '' and every prefix of a county code a policy may be set for: 410102 → '', 41, 4101, 410102. */
function prefixesOf(regionCode: string): string[] {
  const own = regionPrefixOf(regionCode)
  return ['', own.slice(0, 2), own.slice(0, 4), own].filter((p, i, all) => all.indexOf(p) === i)
}

function kindOf(kind: string): SubjectKind {
  const found = kinds.get(kind)
  if (!found) throw invalid('kind', text(`unknown subject kind: ${kind}`, `未知的审批事项类型：${kind}`))
  return found
}

async function levelOf(db: Kysely<Database>, p: Principal): Promise<OrgLevel | null> {
  if (!p.userId || !p.orgId) return null
  return (await findOrgInScope(db, p, p.orgId))?.level ?? null
}

function userOf(p: Principal): string {
  if (!p.userId) throw new AppError('FORBIDDEN', text('approvals are made and decided by signed-in people, not by the system', '审批须由登录用户办理，系统不能代为审批'))
  return p.userId
}

const refused: Record<Exclude<Refusal, 'opinion-required'>, (a: repo.ApprovalRecord) => AppError> = {
  final: (a) => new AppError('CONFLICT', text(`this approval is already ${a.status}`, `该审批已${statusZh[a.status]}，不能再办理`), [{ field: 'version', message: text(`already ${a.status}`, `已${statusZh[a.status]}`) }]),
  'not-open': (a) => new AppError('CONFLICT', text(`not possible while the approval is ${a.status}`, `审批${statusZh[a.status]}，不能办理此操作`), [{ field: 'decision', message: text(`not open while ${a.status}`, `当前状态不可办理`) }]),
  'wrong-party': () => new AppError('FORBIDDEN', text('this action is not yours to take on this approval', '无权对该审批办理此操作')),
}

/** The caller decided what they saw; someone else has acted since. */
function alreadyDecided(a: repo.ApprovalRecord, seen: number): AppError {
  return new AppError(
    'CONFLICT',
    text(`this approval was already decided by someone else (it is now ${a.status}, step ${a.current_step + 1})`, `该审批已由他人办理（现为${statusZh[a.status]}，第 ${a.current_step + 1} 步），请刷新后再试`),
    [{ field: 'version', message: text(`you saw version ${seen}; it is now ${a.version}`, `您看到的是第 ${seen} 版，现为第 ${a.version} 版`) }],
  )
}

/** Records one action: the new state, the history row, the audit entry and the subject's own change, all in `trx`. */
async function apply(
  trx: Transaction<Database>,
  p: Principal,
  a: repo.ApprovalRecord,
  action: Exclude<ApprovalActionKind, 'submit'>,
  opinion: string | null,
  state: FlowState,
): Promise<void> {
  const now = new Date()
  const round = action === 'resubmit' ? a.round + 1 : a.round
  const version = a.version + 1
  const pendingStep = state.status === 'pending' ? a.steps[state.step]! : null
  const key = { provinceCode: a.province_code, id: a.id }
  await repo.updateState(trx, key, {
    status: state.status,
    step: state.step,
    stepLevel: pendingStep?.level ?? null,
    stepPermission: pendingStep?.permission ?? null,
    round,
    version,
    decidedAt: isFinal(state.status) ? now : null,
    now,
  })
  await repo.insertAction(trx, {
    provinceCode: a.province_code,
    approvalId: a.id,
    seq: version,
    round,
    step: a.current_step,
    actorId: p.userId!,
    actorName: p.displayName,
    decision: action,
    opinion,
  })
  await audit.record(trx, {
    actor: actorOf(p),
    action: `approval.${action}`,
    entityType: 'approval',
    entityId: a.id,
    regionCode: a.region_code,
    before: { status: a.status, step: a.current_step, version: a.version },
    after: { status: state.status, step: state.step, version, opinion, subjectKind: a.subject_kind, subjectId: a.subject_id },
    requestId: p.requestId,
  })
  const hook = kinds.get(a.subject_kind)?.onTransition
  if (hook) {
    const updated = await repo.findInScope(trx, p.scope, a.id)
    await hook(trx, { approval: toApproval(updated!), action, from: a.status, opinion, actor: p })
  }
}

function cleanOpinion(opinion: string | null | undefined): string | null {
  const trimmed = (opinion ?? '').trim()
  if (trimmed.length > 2000) throw invalid('opinion', text('must be at most 2000 characters', '不能超过 2000 字'))
  return trimmed || null
}

function checkVersion(version: unknown): number {
  if (!Number.isInteger(version) || (version as number) < 1) throw invalid('version', text('must be the version of the approval you are deciding', '须为所办理审批的版本号'))
  return version as number
}

export interface SubmitInput {
  kind: string
  subjectId: string
  /** the subject's region (a county code for household files) */
  regionCode: string
  opinion?: string | null
  /** the policy kind whose steps apply (e.g. a programme's own); default the subject kind */
  policyKind?: string
}

/**
 * Starts the approval of one submission of a subject, with the steps of the policy in force
 * for its region today (the subject's service has checked its own write permission). Pass
 * a transaction as `db` to submit together with the subject's own change.
 */
export async function submit(db: Kysely<Database>, p: Principal, input: SubmitInput): Promise<ApprovalDetail> {
  const kind = kindOf(input.kind)
  const makerId = userOf(p)
  const subjectId = input.subjectId.trim()
  if (!subjectId || subjectId.length > 200) throw invalid('subjectId', text('must name the subject', '须指明审批对象'))
  const region = await findRegion(db, input.regionCode)
  if (!region) throw invalid('regionCode', text('no such region', '行政区划不存在'))
  if (!scopeCovers(p.scope, region.code)) throw new AppError('FORBIDDEN')
  const opinion = cleanOpinion(input.opinion)
  const policy = await policyFor(db, input.policyKind ?? kind.kind, kind, region.code)
  const steps = policy ? (policy.steps as ApprovalStep[]) : defaultSteps(kind)
  initialState(steps.length)
  const provinceCode = region.code.slice(0, 2)
  const id = await inTransaction(db, async (trx) => {
    const a = await repo.insertApproval(trx, {
      provinceCode,
      kind: kind.kind,
      subjectId,
      regionCode: region.code,
      makerId,
      makerName: p.displayName,
      steps,
      policyId: policy?.id ?? null,
    })
    await repo.insertAction(trx, { provinceCode, approvalId: a.id, seq: 1, round: 1, step: 0, actorId: makerId, actorName: p.displayName, decision: 'submit', opinion })
    await audit.record(trx, {
      actor: actorOf(p),
      action: 'approval.submit',
      entityType: 'approval',
      entityId: a.id,
      regionCode: region.code,
      after: { subjectKind: kind.kind, subjectId, status: 'pending', step: 0, steps, policyId: policy?.id ?? null, opinion },
      requestId: p.requestId,
    })
    return a.id
  }).catch((err: unknown) => {
    throw isUniqueViolation(err, 'approval_open_subject_uq')
      ? new AppError('CONFLICT', text('this subject already has an approval under way', '该事项已在审批中'), [{ field: 'subjectId', message: text('already under approval', '已在审批中') }])
      : err
  })
  return detailOf(db, p, id)
}

export interface DecideInput {
  decision: Decision
  /** required to return (what to correct) and to reject (the reason) */
  opinion?: string | null
  /** the approval's version the checker saw: if anyone acted since, the decision is refused with CONFLICT */
  version: number
}

/**
 * A checker decides the current step. The row is locked, so of two checkers deciding one
 * step at once exactly one succeeds; the other finds the version moved and gets CONFLICT.
 */
export async function decide(db: Kysely<Database>, p: Principal, approvalId: string, input: DecideInput): Promise<ApprovalDetail> {
  if (!isUuid(approvalId)) throw notFound()
  if (!(decisions as readonly string[]).includes(input.decision)) throw invalid('decision', text('must be approve, return or reject', '须为通过、退回或驳回'))
  const seen = checkVersion(input.version)
  const opinion = cleanOpinion(input.opinion)
  const level = await levelOf(db, p)
  await inTransaction(db, async (trx) => {
    const a = await repo.lockInScope(trx, p.scope, approvalId)
    if (!a) throw notFound()
    if (a.version !== seen) throw alreadyDecided(a, seen)
    const userId = userOf(p)
    // domain.md §1: an approver never approves what they created.
    if (a.maker_id === userId) {
      throw new AppError('FORBIDDEN', text('you made this submission; someone else must decide it', '本人提交的事项不能由本人审批'), [
        { field: 'decision', message: text('the maker never checks their own work', '经办人不能审批本人提交的事项') },
      ])
    }
    if (a.status === 'pending') {
      const step = a.steps[a.current_step]!
      if (!isPermission(step.permission) || !p.permissions.has(step.permission)) throw new AppError('FORBIDDEN')
      if (level !== step.level) {
        throw new AppError('FORBIDDEN', text(`this step is decided at ${step.level} level`, `此步骤须由${levelZh[step.level]}审批人办理`), [
          { field: 'decision', message: text(`needs a ${step.level}-level approver`, `须${levelZh[step.level]}审批人办理`) },
        ])
      }
      // Four eyes on every step: whoever decided one step of this approval decides no other.
      if (await repo.decidedOtherStep(trx, { provinceCode: a.province_code, id: a.id }, userId, a.current_step)) {
        throw new AppError('FORBIDDEN', text('you already decided another step of this approval', '您已办理该审批的其他步骤，不能再办理本步骤'), [
          { field: 'decision', message: text('one person decides at most one step', '同一人只能办理其中一个步骤') },
        ])
      }
    }
    await transition(trx, p, a, input.decision, 'checker', opinion)
  })
  return detailOf(db, p, approvalId)
}

async function transition(trx: Transaction<Database>, p: Principal, a: repo.ApprovalRecord, action: Decision | MakerAction, by: Party, opinion: string | null): Promise<void> {
  const out = next({ status: a.status, step: a.current_step, stepCount: a.steps.length }, action, by, opinion)
  if (!out.ok) {
    if (out.refusal === 'opinion-required') {
      throw invalid('opinion', action === 'reject' ? text('a rejection needs a reason', '驳回须说明理由') : text('say what must be corrected', '退回须说明需要补正的内容'))
    }
    throw refused[out.refusal](a)
  }
  await apply(trx, p, a, action, opinion, out.state)
}

/** The maker's own actions on a returned (resubmit) or open (withdraw) approval. */
async function makerAction(db: Kysely<Database>, p: Principal, approvalId: string, action: MakerAction, input: { version: number; opinion?: string | null }): Promise<ApprovalDetail> {
  if (!isUuid(approvalId)) throw notFound()
  const seen = checkVersion(input.version)
  const opinion = cleanOpinion(input.opinion)
  await inTransaction(db, async (trx) => {
    const a = await repo.lockInScope(trx, p.scope, approvalId)
    if (!a) throw notFound()
    if (a.version !== seen) throw alreadyDecided(a, seen)
    if (a.maker_id !== userOf(p)) throw new AppError('FORBIDDEN', text('only the maker of a submission can do this', '只有提交人可以办理此操作'))
    await transition(trx, p, a, action, 'maker', opinion)
  })
  return detailOf(db, p, approvalId)
}

/** After a return for correction: back to the first step, as a new round (every level sees the corrected subject). */
export function resubmit(db: Kysely<Database>, p: Principal, approvalId: string, input: { version: number; opinion?: string | null }): Promise<ApprovalDetail> {
  return makerAction(db, p, approvalId, 'resubmit', input)
}

/** The maker takes back a pending or returned submission; final. */
export function withdraw(db: Kysely<Database>, p: Principal, approvalId: string, input: { version: number; opinion?: string | null }): Promise<ApprovalDetail> {
  return makerAction(db, p, approvalId, 'withdraw', input)
}

async function detailOf(db: Kysely<Database>, p: Principal, id: string): Promise<ApprovalDetail> {
  const a = await repo.findInScope(db, p.scope, id)
  if (!a) throw notFound()
  const actions = await repo.listActions(db, { provinceCode: a.province_code, id: a.id })
  return { ...toApproval(a), actions: actions.map(toAction) }
}

/** Who may read an approval: its maker, anyone holding a permission of its steps, or the kind's read permission. */
function assertMayRead(p: Principal, a: repo.ApprovalRecord): void {
  if (a.maker_id === p.userId) return
  const perms = new Set<string>([...(a.steps as ApprovalStep[]).map((s) => s.permission), ...(kinds.has(a.subject_kind) ? [kinds.get(a.subject_kind)!.readPermission] : [])])
  if (![...perms].some((perm) => isPermission(perm) && p.permissions.has(perm))) throw new AppError('FORBIDDEN')
}

/** One approval with its history; out of scope answers NOT_FOUND, as a missing id does. */
export async function get(db: Kysely<Database>, p: Principal, approvalId: string): Promise<ApprovalDetail> {
  if (!isUuid(approvalId)) throw notFound()
  const a = await repo.findInScope(db, p.scope, approvalId)
  if (!a) throw notFound()
  assertMayRead(p, a)
  return detailOf(db, p, approvalId)
}

/** The latest approval of a subject (for its module's pages), or null when it was never submitted. */
export async function getForSubject(db: Kysely<Database>, p: Principal, kind: string, subjectId: string): Promise<ApprovalDetail | null> {
  requirePermission(p, kindOf(kind).readPermission)
  const a = await repo.latestForSubject(db, p.scope, kind, subjectId)
  return a ? detailOf(db, p, a.id) : null
}

/**
 * The caller's work list: pending approvals in their scope whose current step is at their
 * organisation's level and needs a permission they hold, excluding their own submissions
 * and approvals of which they decided another step. Oldest first, keyset-paginated.
 */
export async function listPendingFor(db: Kysely<Database>, p: Principal, f: { cursor?: string; limit?: number } = {}): Promise<{ items: Approval[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(f.limit ?? 20, 1), 100)
  const key = decodeCursor(f.cursor, ['instant', 'uuid'])
  const level = await levelOf(db, p)
  if (!p.userId || !level || !(stepLevels as readonly string[]).includes(level)) return { items: [], nextCursor: null }
  const rows = await repo.listPending(db, p.scope, {
    userId: p.userId,
    level: level as StepLevel,
    permissions: [...p.permissions],
    after: key ? { createdAt: new Date(key[0]!), id: key[1]! } : undefined,
    limit: limit + 1,
  })
  const result = page(rows, limit, (r) => [r.created_at.toISOString(), r.id])
  return { items: result.items.map(toApproval), nextCursor: result.nextCursor }
}

export interface ApprovalPolicy {
  id: string
  kind: string
  regionPrefix: string
  steps: ApprovalStep[]
  effectiveFrom: string
}

export interface SetPolicyInput {
  kind: string
  /** '' national default, '41', '4101' or '410102' */
  regionPrefix: string
  steps: ApprovalStep[]
  /** 'YYYY-MM-DD'; today (China time) when left out */
  effectiveFrom?: string
}

const DATE = /^\d{4}-\d{2}-\d{2}$/

/**
 * Sets the approval levels of one kind of subject for one region prefix from a date.
 * Needs 'role.manage': the policy decides whose permission approves what, which is the
 * same authority as deciding what a role may do. The prefix must lie in the caller's scope.
 */
export async function setPolicy(db: Kysely<Database>, p: Principal, input: SetPolicyInput): Promise<ApprovalPolicy> {
  requirePermission(p, 'role.manage')
  if (!SUBJECT_KIND.test(input.kind)) throw invalid('kind', text("must read 'domain.thing'", "须为 '领域.事项' 形式"))
  const prefix = input.regionPrefix
  if (!/^([0-9]{2}|[0-9]{4}|[0-9]{6})?$/.test(prefix)) throw invalid('regionPrefix', text('must be empty, or 2, 4 or 6 digits', '须为空或 2、4、6 位数字'))
  if (prefix && !(await findRegion(db, prefix.padEnd(6, '0')))) throw invalid('regionPrefix', text('no such region', '行政区划不存在'))
  if (!scopeCovers(p.scope, prefix)) throw new AppError('FORBIDDEN')
  if (!Array.isArray(input.steps) || input.steps.length < 1 || input.steps.length > 10) throw invalid('steps', text('must list 1 to 10 steps', '须设 1 至 10 个审批步骤'))
  const steps: ApprovalStep[] = input.steps.map((s, i) => {
    if (!(stepLevels as readonly string[]).includes(s?.level)) throw invalid(`steps/${i}/level`, text('must be county, city, province or national', '须为县级、市级、省级或国家级'))
    if (!isPermission(s.permission)) throw invalid(`steps/${i}/permission`, text('no such permission', '权限不存在'))
    return { level: s.level, permission: s.permission }
  })
  const effectiveFrom = input.effectiveFrom ?? chinaDate()
  if (!DATE.test(effectiveFrom) || Number.isNaN(Date.parse(`${effectiveFrom}T00:00:00Z`)) || new Date(`${effectiveFrom}T00:00:00Z`).toISOString().slice(0, 10) !== effectiveFrom) {
    throw invalid('effectiveFrom', text('must be a date YYYY-MM-DD', '须为 YYYY-MM-DD 格式的日期'))
  }
  const policy = await inTransaction(db, async (trx) => {
    const { policy, before } = await repo.upsertPolicy(trx, { kind: input.kind, regionPrefix: prefix, steps, effectiveFrom, createdBy: p.userId })
    await audit.record(trx, {
      actor: actorOf(p),
      action: 'approval_policy.set',
      entityType: 'approval_policy',
      entityId: policy.id,
      regionCode: prefix ? prefix.padEnd(6, '0') : null,
      before: before ? { steps: before } : undefined,
      after: { kind: input.kind, regionPrefix: prefix, steps, effectiveFrom },
      requestId: p.requestId,
    })
    return policy
  })
  return { id: policy.id, kind: policy.subject_kind, regionPrefix: policy.region_prefix, steps: policy.steps as ApprovalStep[], effectiveFrom: policy.effective_from }
}

/** The steps a submission in `regionCode` would get today, and the policy they come from (null: the built-in default). */
export async function effectiveSteps(
  db: Kysely<Database>,
  kind: string,
  regionCode: string,
): Promise<{ policyId: string | null; regionPrefix?: string; effectiveFrom?: string; steps: ApprovalStep[] }> {
  const k = await baseKindOf(db, kind)
  const policy = await policyFor(db, kind, k, regionCode)
  return policy
    ? { policyId: policy.id, regionPrefix: policy.region_prefix, effectiveFrom: policy.effective_from, steps: policy.steps as ApprovalStep[] }
    : { policyId: null, steps: defaultSteps(k) }
}

/** The registered subject kinds and the policy kinds under them, with the permission their default steps need, for the policies page. */
export async function subjectKinds(db: Kysely<Database>): Promise<{ kind: string; approvePermission: Permission; base: string | null; nameZh: string | null; nameEn: string | null }[]> {
  const own = [...kinds.values()].map((k) => ({ kind: k.kind, approvePermission: k.approvePermission, base: null as string | null, nameZh: null as string | null, nameEn: null as string | null }))
  const extra = []
  for (const provider of policyKindProviders) {
    for (const k of await provider(db)) {
      const base = kinds.get(k.base)
      if (base && !kinds.has(k.kind)) extra.push({ kind: k.kind, approvePermission: base.approvePermission, base: base.kind, nameZh: k.nameZh, nameEn: k.nameEn })
    }
  }
  const unique = new Map([...own, ...extra].map((k) => [k.kind, k]))
  return [...unique.values()].sort((a, b) => a.kind.localeCompare(b.kind))
}

export interface StoredPolicy extends ApprovalPolicy {
  /** the prefix's region ('河南省 郑州市'); '' for the national policy */
  regionName: string
  status: 'current' | 'future' | 'superseded'
  setBy: { id: string; name: string } | null
  setAt: string
}

/**
 * The stored policies the caller may read (needs role.read): set inside their scope or above it
 * (national, their province or city), newest effective first.
 */
export async function listPolicies(
  db: Kysely<Database>,
  p: Principal,
  f: { kind?: string; cursor?: string; limit?: number } = {},
): Promise<{ items: StoredPolicy[]; nextCursor: string | null }> {
  requirePermission(p, 'role.read')
  const limit = Math.min(Math.max(f.limit ?? 20, 1), 100)
  const key = decodeCursor(f.cursor, ['text', 'uuid'])
  if (key && !DATE.test(key[0]!)) throw invalid('cursor', text('not a cursor this API issued', '分页标记无效'))
  const rows = await repo.listPolicies(db, p.scope, {
    kind: f.kind || undefined,
    today: chinaDate(),
    after: key ? { effectiveFrom: key[0]!, id: key[1]! } : undefined,
    limit: limit + 1,
  })
  const result = page(rows, limit, (r) => [r.effective_from, r.id])
  const names = new Map<string, string>()
  for (const prefix of new Set(result.items.map((r) => r.region_prefix))) names.set(prefix, prefix ? await regionFullName(db, prefix.padEnd(6, '0')) : '')
  return {
    items: result.items.map((r) => ({
      id: r.id,
      kind: r.subject_kind,
      regionPrefix: r.region_prefix,
      regionName: names.get(r.region_prefix) ?? r.region_prefix,
      steps: r.steps as ApprovalStep[],
      effectiveFrom: r.effective_from,
      status: r.status,
      setBy: r.created_by ? { id: r.created_by, name: r.created_by_name ?? '' } : null,
      setAt: r.created_at.toISOString(),
    })),
    nextCursor: result.nextCursor,
  }
}
