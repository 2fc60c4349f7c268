import { useCallback, useMemo } from 'react';
import { App } from 'antd';
import type { FormInstance } from 'antd';
import { useI18n, type Translate } from '../i18n/context';
import type { MessageKey } from '../i18n/zh-CN';
import { ApiError, retryAfterSeconds } from './errors';

type HasKey = (key: string) => key is MessageKey;

/** Human message for any thrown value: translated by code when known, else the server's text. */
export function describeError(err: unknown, t: Translate, has: HasKey): string {
  if (!(err instanceof ApiError)) return t('error.UNKNOWN');
  if (err.code === 'AUTH_LOCKED') {
    const seconds = retryAfterSeconds(err);
    if (seconds !== null) return t('login.lockedFor', { minutes: Math.max(1, Math.ceil(seconds / 60)) });
  }
  const key = `error.${err.code}`;
  if (has(key)) return t(key);
  return err.message || t('error.UNKNOWN');
}

/** `"/body/roles/0"`, `"roles.0"` or `"members[1].idNumber"` → `['roles', 0]`…, for antd's NamePath. */
function toNamePath(field: string): (string | number)[] {
  const parts = field
    .replace(/^\//, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .split(/[./]/)
    .filter((p) => p !== '');
  if (parts[0] === 'body' && parts.length > 1) parts.shift();
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

export interface ErrorReporter {
  /** Toast the error. */
  showError: (err: unknown) => void;
  /** Message text for the error (for inline alerts). */
  describe: (err: unknown) => string;
  /**
   * Put validation details (and optionally code-specific errors) on form fields.
   * Toasts only when no field on the form took the error, so nothing is lost.
   */
  showFormError: <V>(err: unknown, form: FormInstance<V>, codeFields?: Partial<Record<string, string>>) => void;
}

export function useApiError(): ErrorReporter {
  const { message } = App.useApp();
  const { t, has } = useI18n();

  const describe = useCallback((err: unknown) => describeError(err, t, has), [t, has]);

  const showError = useCallback(
    (err: unknown) => {
      if (err instanceof ApiError && err.status === 401 && err.code === 'AUTH_REQUIRED') return; // redirected to login
      void message.error(describe(err));
    },
    [message, describe],
  );

  const showFormError = useCallback(
    <V,>(err: unknown, form: FormInstance<V>, codeFields?: Partial<Record<string, string>>) => {
      if (err instanceof ApiError) {
        const fields = err.fieldErrors.map((f) => ({ name: toNamePath(f.field), errors: [f.message] }));
        const codeField = codeFields?.[err.code];
        if (codeField) fields.push({ name: [codeField], errors: [describe(err)] });
        if (fields.length > 0) {
          form.setFields(fields as Parameters<FormInstance<V>['setFields']>[0]);
          const shown = fields.some((f) => form.getFieldError(f.name as Parameters<FormInstance<V>['getFieldError']>[0]).length > 0);
          if (shown) return;
        }
      }
      showError(err);
    },
    [describe, showError],
  );

  return useMemo(() => ({ showError, describe, showFormError }), [showError, describe, showFormError]);
}
