import { AppError, type FieldError, text } from './errors.ts'

/**
 * Free-text fields of a form, read the same way by every service: trimmed, required or optional,
 * at most `max` characters, each problem pushed under its field so the whole form is answered at once.
 */

export const textProblems = {
  empty: text('must not be empty', '不能为空'),
  tooLong: (n: number) => text(`must be at most ${n} characters`, `不能超过${n}个字符`),
}

/** The value trimmed, '' when it is not a string. */
export function trimmed(value: unknown): string {
  return typeof value === 'string' ? value.trim() : ''
}

/** Required text, trimmed, at most `max` characters. */
export function requiredText(errors: FieldError[], field: string, value: unknown, max: number): string {
  const v = trimmed(value)
  if (!v) errors.push({ field, message: textProblems.empty })
  else if (v.length > max) errors.push({ field, message: textProblems.tooLong(max) })
  return v
}

/** Optional text, trimmed (null when blank), at most `max` characters. */
export function optionalText(errors: FieldError[], field: string, value: unknown, max: number): string | null {
  const v = trimmed(value)
  if (!v) return null
  if (v.length > max) errors.push({ field, message: textProblems.tooLong(max) })
  return v
}

/** Answers the whole form at once: 400 with every field problem collected, or nothing. */
export function failOnErrors(errors: FieldError[]): void {
  if (errors.length > 0) throw new AppError('VALIDATION_FAILED', undefined, errors)
}
