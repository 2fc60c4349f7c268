import { App, Form } from 'antd';
import { api } from '../../../api/client';
import { unwrapVoid } from '../../../api/errors';
import type { User } from '../../../api/types';
import { FormModal } from '../../../components/FormModal';
import { NewPasswordField } from '../../../components/NewPasswordField';
import { useT } from '../../../i18n/context';

interface Values {
  password: string;
}

/** Administrator sets a new password for another user. */
export function ResetPasswordModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();

  const submit = async (values: Values) => {
    if (!user) return;
    await unwrapVoid(api.POST('/api/users/{id}/reset-password', { params: { path: { id: user.id } }, body: { password: values.password } }));
    void message.success(t('users.resetDone'));
    form.resetFields();
    onClose();
  };

  return (
    <FormModal<Values>
      open={user !== null}
      title={t('users.resetTitle', { name: user?.username ?? '' })}
      okText={t('common.save')}
      onClose={onClose}
      resetOnCancel
      form={form}
      name="resetPassword"
      onSubmit={submit}
      okTestId="reset-password-submit"
    >
      <NewPasswordField name="password" label={t('users.newPassword')} getUsername={() => user?.username} testId="reset-password-input" />
    </FormModal>
  );
}
