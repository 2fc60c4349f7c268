import { Type } from 'typebox'

export const AttachmentParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  attachmentId: Type.String({ minLength: 1, maxLength: 64 }),
})

export const AttachmentSchema = Type.Object({
  id: Type.String(),
  householdId: Type.String(),
  fileName: Type.String({ description: 'the uploaded name, cleaned; its extension always matches the contents' }),
  contentType: Type.String({ description: 'read from the bytes: application/pdf, image/jpeg or image/png' }),
  sizeBytes: Type.Integer(),
  sha256: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  uploadedBy: Type.Union([Type.String(), Type.Null()]),
  uploaderName: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
})

export const AttachmentList = Type.Object({ items: Type.Array(AttachmentSchema) })
