import { describe, expect, it } from 'vitest'
import { type FlowState, initialState, isFinal, next, partyOf } from './approval-flow.ts'

const two = initialState(2)

function must(state: FlowState, ...args: Parameters<typeof next> extends [FlowState, ...infer R] ? R : never): FlowState {
  const out = next(state, ...args)
  if (!out.ok) throw new Error(`refused: ${out.refusal}`)
  return out.state
}

describe('approval flow', () => {
  it('starts pending at the first step and needs at least one step', () => {
    expect(two).toEqual({ status: 'pending', step: 0, stepCount: 2 })
    expect(() => initialState(0)).toThrow(RangeError)
  })

  it('moves step by step and is approved after the last step', () => {
    const s1 = must(two, 'approve', 'checker', null)
    expect(s1).toEqual({ status: 'pending', step: 1, stepCount: 2 })
    expect(must(s1, 'approve', 'checker', '同意')).toEqual({ status: 'approved', step: 1, stepCount: 2 })
  })

  it('requires an opinion to return or reject, not to approve', () => {
    expect(next(two, 'return', 'checker', '  ')).toEqual({ ok: false, refusal: 'opinion-required' })
    expect(next(two, 'reject', 'checker', undefined)).toEqual({ ok: false, refusal: 'opinion-required' })
    expect(next(two, 'approve', 'checker', undefined).ok).toBe(true)
  })

  it('returns to the maker, whose resubmission restarts at the first step', () => {
    const atSecond = must(two, 'approve', 'checker', null)
    const returned = must(atSecond, 'return', 'checker', '收入证明缺失')
    expect(returned).toEqual({ status: 'returned', step: 1, stepCount: 2 })
    expect(next(returned, 'approve', 'checker', null)).toEqual({ ok: false, refusal: 'not-open' })
    expect(next(returned, 'resubmit', 'checker', null)).toEqual({ ok: false, refusal: 'wrong-party' })
    expect(must(returned, 'resubmit', 'maker', null)).toEqual({ status: 'pending', step: 0, stepCount: 2 })
  })

  it('keeps the parties apart: checkers decide, the maker resubmits and withdraws', () => {
    expect(next(two, 'approve', 'maker', null)).toEqual({ ok: false, refusal: 'wrong-party' })
    expect(next(two, 'withdraw', 'checker', null)).toEqual({ ok: false, refusal: 'wrong-party' })
    expect(next(two, 'resubmit', 'maker', null)).toEqual({ ok: false, refusal: 'not-open' })
    expect(must(two, 'withdraw', 'maker', null).status).toBe('withdrawn')
    expect(partyOf('approve')).toBe('checker')
    expect(partyOf('withdraw')).toBe('maker')
  })

  it('treats approved, rejected and withdrawn as final', () => {
    const rejected = must(two, 'reject', 'checker', '不符合建档条件')
    expect(rejected.status).toBe('rejected')
    for (const s of [rejected, must(initialState(1), 'approve', 'checker', null), must(two, 'withdraw', 'maker', null)]) {
      expect(isFinal(s.status)).toBe(true)
      expect(next(s, 'approve', 'checker', null)).toEqual({ ok: false, refusal: 'final' })
      expect(next(s, 'resubmit', 'maker', null)).toEqual({ ok: false, refusal: 'final' })
    }
    expect(isFinal('pending')).toBe(false)
    expect(isFinal('returned')).toBe(false)
  })
})
