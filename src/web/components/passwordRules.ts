import type { FormRule } from 'antd';
import type { Translate } from '../i18n/context';
import { MIN_PASSWORD_LENGTH } from './PasswordStrength';

/** Client-side mirror of the server's password rules (min 10 chars, not the username). */
export function newPasswordRules(t: Translate, getUsername: () => string | undefined, label = t('password.new')): FormRule[] {
  return [
    { required: true, message: t('common.required', { field: label }) },
    { min: MIN_PASSWORD_LENGTH, message: t('password.minLength') },
    {
      validator: async (_rule, value: unknown) => {
        const username = getUsername();
        if (typeof value === 'string' && username && value === username) throw new Error(t('password.notUsername'));
      },
    },
  ];
}
