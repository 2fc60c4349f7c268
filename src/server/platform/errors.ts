/**
 * The closed set of error codes the API can answer with. Adding a code without a
 * status and both messages fails to compile: the records below are exhaustive.
 */
export const errorCodes = [
  'AUTH_REQUIRED',
  'AUTH_INVALID_CREDENTIALS',
  'AUTH_LOCKED',
  'RATE_LIMITED',
  'CSRF_INVALID',
  'FORBIDDEN',
  'NOT_FOUND',
  'VALIDATION_FAILED',
  'CONFLICT',
  'USERNAME_TAKEN',
  'NOT_READY',
  'INTERNAL',
] as const

export type ErrorCode = (typeof errorCodes)[number]

export const httpStatusOf: Record<ErrorCode, number> = {
  AUTH_REQUIRED: 401,
  AUTH_INVALID_CREDENTIALS: 401,
  AUTH_LOCKED: 423,
  RATE_LIMITED: 429,
  CSRF_INVALID: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  VALIDATION_FAILED: 400,
  CONFLICT: 409,
  USERNAME_TAKEN: 409,
  NOT_READY: 503,
  INTERNAL: 500,
}

export type Locale = 'zh-CN' | 'en'

const defaultMessages: Record<ErrorCode, Record<Locale, string>> = {
  AUTH_REQUIRED: { 'zh-CN': '请先登录', en: 'Please sign in' },
  AUTH_INVALID_CREDENTIALS: { 'zh-CN': '用户名或密码错误', en: 'Wrong username or password' },
  AUTH_LOCKED: { 'zh-CN': '登录失败次数过多，账号已临时锁定', en: 'Too many failed sign-ins; the account is locked for now' },
  RATE_LIMITED: { 'zh-CN': '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  CSRF_INVALID: { 'zh-CN': '请求校验失败，请刷新页面后重试', en: 'Request check failed; reload the page and try again' },
  FORBIDDEN: { 'zh-CN': '没有执行此操作的权限', en: 'You do not have permission to do this' },
  NOT_FOUND: { 'zh-CN': '记录不存在', en: 'Not found' },
  VALIDATION_FAILED: { 'zh-CN': '输入有误，请检查标出的字段', en: 'Some fields are not valid' },
  CONFLICT: { 'zh-CN': '与现有记录冲突', en: 'Conflicts with an existing record' },
  USERNAME_TAKEN: { 'zh-CN': '该用户名已被使用', en: 'That username is taken' },
  NOT_READY: { 'zh-CN': '系统尚未就绪', en: 'Not ready' },
  INTERNAL: { 'zh-CN': '系统内部错误，请稍后再试', en: 'Something went wrong on our side; try again later' },
}

/** A message written in both languages where it is raised; the error handler picks one. */
export interface Text {
  en: string
  'zh-CN': string
}

export function text(en: string, zh: string): Text {
  return { en, 'zh-CN': zh }
}

export interface FieldError {
  field: string
  message: Text
}

/** What the caller receives for one field: the message in their language. */
export interface FieldErrorBody {
  field: string
  message: string
}

export function localiseDetails(details: unknown, locale: Locale): unknown {
  if (!Array.isArray(details)) return details
  return details.map((d: unknown) => {
    if (d && typeof d === 'object' && 'message' in d && d.message && typeof d.message === 'object' && 'en' in d.message) {
      return { ...d, message: (d.message as Text)[locale] }
    }
    return d
  })
}

/** A failure the caller can act on. Anything else thrown becomes INTERNAL with a generic body. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    /** A specific message, in both languages; otherwise the code's default is sent. */
    readonly text?: Text,
    readonly details?: unknown,
  ) {
    super(text?.en ?? defaultMessages[code].en)
    this.name = 'AppError'
  }

  messageIn(locale: Locale): string {
    return this.text ? this.text[locale] : defaultMessages[this.code][locale]
  }

  get status(): number {
    return httpStatusOf[this.code]
  }
}

/** One invalid field, named as the API names it. */
export function invalid(field: string, message: Text): AppError {
  return new AppError('VALIDATION_FAILED', undefined, [{ field, message }] satisfies FieldError[])
}

/** "Not found" and "not yours" must look the same to the caller. */
export function notFound(): AppError {
  return new AppError('NOT_FOUND')
}

export function errorMessage(code: ErrorCode, locale: Locale): string {
  return defaultMessages[code][locale]
}

export function pickLocale(acceptLanguage: string | undefined): Locale {
  return acceptLanguage && /^en\b/i.test(acceptLanguage.trim()) ? 'en' : 'zh-CN'
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown }
}

/** PostgreSQL's unique_violation (23505), optionally on one named constraint or index. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string } | null
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint)
}
