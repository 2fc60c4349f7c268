import { describe, expect, it } from 'vitest'
import { canonicalJson } from './canonical-json.ts'

describe('canonicalJson', () => {
  it('sorts keys at every depth, so jsonb reordering cannot change a hash', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}')
  })

  it('writes bigints as strings and dates as ISO instants, and drops undefined', () => {
    expect(canonicalJson({ fen: 12345678901234567890n, at: new Date('2026-11-23T01:02:03.004Z'), gone: undefined })).toBe(
      '{"at":"2026-11-23T01:02:03.004Z","fen":"12345678901234567890"}',
    )
  })
})
