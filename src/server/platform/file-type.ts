/**
 * What a file is, read from its first bytes (magic numbers), never from the name or the
 * type the sender declared. Only the types the system accepts are recognised; anything
 * else is null and refused by the caller.
 */
export interface SniffedType {
  /** the media type stored and served */
  mime: 'application/pdf' | 'image/jpeg' | 'image/png'
  /** a conventional extension, without the dot */
  ext: 'pdf' | 'jpg' | 'png'
  /** every extension a file of this type may carry, lower case */
  names: readonly string[]
  /** the name people know it by */
  label: 'PDF' | 'JPEG' | 'PNG'
}

/** How many leading bytes sniffing needs; read at least this many when there are. */
export const SNIFF_BYTES = 8

const PDF: SniffedType = { mime: 'application/pdf', ext: 'pdf', names: ['pdf'], label: 'PDF' }
const JPEG: SniffedType = { mime: 'image/jpeg', ext: 'jpg', names: ['jpg', 'jpeg'], label: 'JPEG' }
const PNG: SniffedType = { mime: 'image/png', ext: 'png', names: ['png'], label: 'PNG' }

/** The accepted types, in the order messages name them. */
export const acceptedTypes: readonly SniffedType[] = [PDF, JPEG, PNG]

const startsWith = (head: Uint8Array, magic: readonly number[]) => head.length >= magic.length && magic.every((b, i) => head[i] === b)

export function sniffFileType(head: Uint8Array): SniffedType | null {
  // %PDF-
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d])) return PDF
  // SOI marker followed by the start of another marker
  if (startsWith(head, [0xff, 0xd8, 0xff])) return JPEG
  // \x89PNG\r\n\x1a\n
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return PNG
  return null
}

/** The accepted type with this media type, for serving what was stored (null for anything else). */
export function acceptedTypeOf(mime: string): SniffedType | null {
  return acceptedTypes.find((t) => t.mime === mime) ?? null
}
