import { describe, expect, it } from 'vitest'
import { acceptedTypeOf, sniffFileType } from './file-type.ts'

const bytes = (...parts: (number[] | string)[]) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)))

describe('sniffFileType', () => {
  it('recognises PDF, JPEG and PNG by their first bytes', () => {
    expect(sniffFileType(bytes('%PDF-1.7\n'))?.mime).toBe('application/pdf')
    expect(sniffFileType(bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'JFIF'))?.mime).toBe('image/jpeg')
    expect(sniffFileType(bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]))?.mime).toBe('image/png')
  })

  it('refuses what only looks like an accepted type by name or declared type', () => {
    expect(sniffFileType(bytes('MZ\x90\x00\x03\x00\x00\x00'))).toBeNull() // a Windows executable
    expect(sniffFileType(bytes('<!DOCTYPE html><script>'))).toBeNull()
    expect(sniffFileType(bytes('<svg xmlns="http://www.w3.org/2000/svg">'))).toBeNull()
    expect(sniffFileType(bytes('GIF89a'))).toBeNull()
    expect(sniffFileType(bytes('RIFF\x00\x00\x00\x00WEBPVP8 '))).toBeNull()
    expect(sniffFileType(bytes(' %PDF-1.7'))).toBeNull() // the magic must be at the very start
  })

  it('refuses truncated magic numbers and empty input', () => {
    expect(sniffFileType(new Uint8Array())).toBeNull()
    expect(sniffFileType(bytes('%PDF'))).toBeNull()
    expect(sniffFileType(bytes([0xff, 0xd8]))).toBeNull()
    expect(sniffFileType(bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a]))).toBeNull()
  })

  it('maps a stored media type back only for accepted types', () => {
    expect(acceptedTypeOf('image/png')?.ext).toBe('png')
    expect(acceptedTypeOf('text/html')).toBeNull()
  })
})
