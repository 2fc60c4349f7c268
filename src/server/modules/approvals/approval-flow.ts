/**
 * The maker-checker state machine (domain.md §1, §5, §6), pure: no database, no clock.
 * One transition table; every transition names who may take it and whether an opinion is
 * required, and `next()` is the only way a state changes.
 *
 *   submit ─► pending(step 0) ─approve─► pending(step k+1) … ─approve (last step)─► approved
 *                 │  ▲                                   │
 *                 │  └──────────── resubmit (step 0) ◄── returned ◄─ return (opinion)
 *                 ├─ reject (reason) ─► rejected
 *                 └─ withdraw (maker) ─► withdrawn        (also from returned)
 *
 * A resubmission restarts at step 0: the subject was corrected, so every level sees the
 * corrected version, not only the one that sent it back.
 */

export type ApprovalStatus = 'pending' | 'returned' | 'approved' | 'rejected' | 'withdrawn'
export const approvalStatuses = ['pending', 'returned', 'approved', 'rejected', 'withdrawn'] as const satisfies readonly ApprovalStatus[]

/** What a checker decides on the current step. */
export type Decision = 'approve' | 'return' | 'reject'
export const decisions = ['approve', 'return', 'reject'] as const satisfies readonly Decision[]

/** What the maker does with their own submission. */
export type MakerAction = 'resubmit' | 'withdraw'

/** Every recorded action, in the order of a history. */
export type ApprovalActionKind = 'submit' | Decision | MakerAction
export const approvalActionKinds = ['submit', 'approve', 'return', 'reject', 'resubmit', 'withdraw'] as const satisfies readonly ApprovalActionKind[]

/** The org levels that decide steps: a grassroots unit files, it never checks. */
export type StepLevel = 'county' | 'city' | 'province' | 'national'
export const stepLevels = ['county', 'city', 'province', 'national'] as const satisfies readonly StepLevel[]

export type Party = 'maker' | 'checker'

export interface FlowState {
  status: ApprovalStatus
  /** index of the step being decided (while pending), or the last one decided */
  step: number
  stepCount: number
}

interface Rule {
  by: Party
  opinion: 'required' | 'optional'
  /** 'next step' moves to the following step, or to approved after the last one */
  to: ApprovalStatus | 'next step' | 'first step'
}

type Transitions = { [S in ApprovalStatus]: Partial<Record<Exclude<ApprovalActionKind, 'submit'>, Rule>> }

const transitions: Transitions = {
  pending: {
    approve: { by: 'checker', opinion: 'optional', to: 'next step' },
    // domain.md §5: "Rejection needs a reason"; a return must say what to correct.
    return: { by: 'checker', opinion: 'required', to: 'returned' },
    reject: { by: 'checker', opinion: 'required', to: 'rejected' },
    withdraw: { by: 'maker', opinion: 'optional', to: 'withdrawn' },
  },
  returned: {
    resubmit: { by: 'maker', opinion: 'optional', to: 'first step' },
    withdraw: { by: 'maker', opinion: 'optional', to: 'withdrawn' },
  },
  approved: {},
  rejected: {},
  withdrawn: {},
}

export function isFinal(status: ApprovalStatus): boolean {
  return Object.keys(transitions[status]).length === 0
}

/** The state a new submission starts in. */
export function initialState(stepCount: number): FlowState {
  if (!Number.isInteger(stepCount) || stepCount < 1) throw new RangeError('an approval needs at least one step')
  return { status: 'pending', step: 0, stepCount }
}

export type Refusal =
  /** the approval is approved, rejected or withdrawn: nothing more happens to it */
  | 'final'
  /** this action is not open in this state (e.g. approve while returned) */
  | 'not-open'
  /** the action belongs to the other party (a checker withdrawing, a maker approving) */
  | 'wrong-party'
  | 'opinion-required'

export type Outcome = { ok: true; state: FlowState } | { ok: false; refusal: Refusal }

/** The party an action belongs to. */
export function partyOf(action: Exclude<ApprovalActionKind, 'submit'>): Party {
  return action === 'resubmit' || action === 'withdraw' ? 'maker' : 'checker'
}

/** Applies one action, guarded: who takes it, whether it is open now, whether it carries an opinion. */
export function next(state: FlowState, action: Exclude<ApprovalActionKind, 'submit'>, by: Party, opinion: string | null | undefined): Outcome {
  if (isFinal(state.status)) return { ok: false, refusal: 'final' }
  const rule = transitions[state.status][action]
  if (!rule) return { ok: false, refusal: 'not-open' }
  if (rule.by !== by) return { ok: false, refusal: 'wrong-party' }
  if (rule.opinion === 'required' && !(opinion ?? '').trim()) return { ok: false, refusal: 'opinion-required' }
  switch (rule.to) {
    case 'next step':
      return state.step + 1 < state.stepCount
        ? { ok: true, state: { ...state, step: state.step + 1 } }
        : { ok: true, state: { ...state, status: 'approved' } }
    case 'first step':
      return { ok: true, state: { ...state, status: 'pending', step: 0 } }
    default:
      return { ok: true, state: { ...state, status: rule.to } }
  }
}
