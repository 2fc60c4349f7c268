import { Form, Input } from 'antd';
import { useT } from '../i18n/context';
import { PasswordStrength } from './PasswordStrength';
import { newPasswordRules } from './passwordRules';

export interface NewPasswordFieldProps {
  name: string;
  label: string;
  /** The account's username, which the password may not be. */
  getUsername: () => string | undefined;
  testId: string;
  /** Fields whose change re-checks this one (e.g. the username being typed). */
  dependencies?: string[];
  /** Also ask for the password a second time, in this field. */
  confirm?: { name: string; testId: string };
}

/** A new password with the rules and strength meter, and optionally its confirmation; use inside a Form. */
export function NewPasswordField({ name, label, getUsername, testId, dependencies, confirm }: NewPasswordFieldProps) {
  const t = useT();
  const password = Form.useWatch<string | undefined>(name);
  return (
    <>
      <Form.Item
        name={name}
        label={label}
        dependencies={dependencies}
        rules={newPasswordRules(t, getUsername, label)}
        extra={<PasswordStrength password={password} />}
      >
        <Input.Password autoComplete="new-password" data-testid={testId} />
      </Form.Item>
      {confirm ? (
        <Form.Item
          name={confirm.name}
          label={t('password.confirm')}
          dependencies={[name]}
          rules={[
            { required: true, message: t('common.required', { field: t('password.confirm') }) },
            ({ getFieldValue }) => ({
              validator: async (_rule, value: unknown) => {
                if (value && value !== getFieldValue(name)) throw new Error(t('password.mismatch'));
              },
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid={confirm.testId} />
        </Form.Item>
      ) : null}
    </>
  );
}
