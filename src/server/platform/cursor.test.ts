import { describe, expect, it } from 'vitest'
import { decodeCursor, encodeCursor, page } from './cursor.ts'

describe('keyset cursors', () => {
  it('round-trip the sort key of the last row of a page', () => {
    const rows = ['a', 'b', 'c'].map((name, i) => ({ name, id: `00000000-0000-0000-0000-00000000000${i}` }))
    const { items, nextCursor } = page(rows, 2, (r) => [r.name, r.id])
    expect(items.map((r) => r.name)).toEqual(['a', 'b'])
    expect(decodeCursor(nextCursor!, ['text', 'uuid'])).toEqual(['b', '00000000-0000-0000-0000-000000000001'])
    expect(page(rows, 3, (r) => [r.name, r.id]).nextCursor).toBeNull()
  })

  it('refuse a cursor that is not one the API issued, naming the field', () => {
    const forged = [encodeCursor(['b', 'not-a-uuid']), encodeCursor(['b']), 'bm90LWEtY3Vyc29y', '%%%']
    for (const cursor of forged) {
      expect(() => decodeCursor(cursor, ['text', 'uuid'])).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: 'cursor' })] }))
    }
    expect(() => decodeCursor(encodeCursor(['yesterday', '41', '7']), ['instant', 'text', 'digits'])).toThrow()
    expect(decodeCursor(undefined, ['text'])).toBeUndefined()
  })
})
