import type { Database, Kysely } from '../../db/database.ts'
import { isPermission } from '../access/permissions.ts'
import type { Principal } from '../../platform/principal.ts'
import { findOrgInScope } from '../orgs/orgs.service.ts'
import { regionFullName } from '../regions/regions.service.ts'
import type { Approval, ApprovalDetail } from './approvals.service.ts'
import * as repo from './approvals.repository.ts'

/**
 * What the pages show beside an approval: a label for its subject (a household's file number,
 * later an application's number), the region's name, and what the caller may do with it now.
 * Read-only helpers for the routes; the rules themselves stay in approvals.service.ts.
 */

/** Labels of subjects of one kind, by subject id; ids the labeller cannot resolve are left out. */
export type SubjectLabeller = (db: Kysely<Database>, subjectIds: readonly string[]) => Promise<Map<string, string>>

const labellers = new Map<string, SubjectLabeller>()

/** A subject's module registers, at load, how its subjects are named on the approvals pages. */
export function registerSubjectLabels(kind: string, labeller: SubjectLabeller): void {
  labellers.set(kind, labeller)
}

export interface ApprovalExtras {
  /** e.g. '410102-2026-000123 张三'; null when the kind has no labeller */
  subjectLabel: string | null
  /** 河南省 郑州市 中原区 */
  regionName: string
}

/** Labels and region names for a page of approvals, with one query per kind and per region. */
export async function extrasOf(db: Kysely<Database>, approvals: readonly Approval[]): Promise<Map<string, ApprovalExtras>> {
  const byKind = new Map<string, string[]>()
  for (const a of approvals) byKind.set(a.subjectKind, [...(byKind.get(a.subjectKind) ?? []), a.subjectId])
  const labels = new Map<string, string>()
  for (const [kind, ids] of byKind) {
    const labeller = labellers.get(kind)
    if (!labeller) continue
    for (const [id, label] of await labeller(db, [...new Set(ids)])) labels.set(`${kind}:${id}`, label)
  }
  const regions = new Map<string, string>()
  for (const code of new Set(approvals.map((a) => a.regionCode))) regions.set(code, await regionFullName(db, code))
  return new Map(approvals.map((a) => [a.id, { subjectLabel: labels.get(`${a.subjectKind}:${a.subjectId}`) ?? null, regionName: regions.get(a.regionCode) ?? a.regionCode }]))
}

export interface ApprovalPermissions {
  /** the caller is a checker of the current step (the service still decides, under lock) */
  mayDecide: boolean
  /** the caller made it and it is returned: they may resubmit */
  mayResubmit: boolean
  /** the caller made it and it is still open: they may withdraw */
  mayWithdraw: boolean
}

/**
 * The same tests `decide` and the maker actions apply, for showing buttons; the service is
 * what enforces them (under the row lock), so a stale answer here only costs a refusal.
 */
export async function permissionsOf(db: Kysely<Database>, p: Principal, a: ApprovalDetail): Promise<ApprovalPermissions> {
  const isMaker = p.userId !== null && a.maker.id === p.userId
  const open = a.status === 'pending' || a.status === 'returned'
  let mayDecide = false
  if (a.status === 'pending' && p.userId && p.orgId && !isMaker) {
    const step = a.steps[a.currentStep]
    const level = (await findOrgInScope(db, p, p.orgId))?.level ?? null
    if (step && isPermission(step.permission) && p.permissions.has(step.permission) && level === step.level) {
      mayDecide = !(await repo.decidedOtherStep(db, { provinceCode: a.regionCode.slice(0, 2), id: a.id }, p.userId, a.currentStep))
    }
  }
  return { mayDecide, mayResubmit: isMaker && a.status === 'returned', mayWithdraw: isMaker && open }
}

/** An approval with its actions as JSON for the API: the detail, its label and region, and the caller's possible actions. */
export async function detailView(db: Kysely<Database>, p: Principal, a: ApprovalDetail) {
  const extras = (await extrasOf(db, [a])).get(a.id)!
  return { ...a, ...extras, ...(await permissionsOf(db, p, a)) }
}
