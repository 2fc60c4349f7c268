import { App, Form, Input } from 'antd';
import { api } from '../api/client';
import { unwrapVoid } from '../api/errors';
import { FormModal } from '../components/FormModal';
import { NewPasswordField } from '../components/NewPasswordField';
import { useT } from '../i18n/context';
import { useAuth, useMe } from './AuthContext';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT();
  const me = useMe();
  const { refresh } = useAuth();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();

  const submit = async (values: Values) => {
    await unwrapVoid(
      api.POST('/api/auth/password', {
        body: { currentPassword: values.currentPassword, newPassword: values.newPassword },
      }),
    );
    void message.success(t('password.changed'));
    form.resetFields();
    onClose();
    void refresh();
  };

  return (
    <FormModal<Values>
      open={open}
      title={t('password.title')}
      okText={t('common.save')}
      onClose={onClose}
      resetOnCancel
      form={form}
      name="changePassword"
      onSubmit={submit}
      errorFields={{ AUTH_INVALID_CREDENTIALS: 'currentPassword' }}
      okTestId="password-submit"
      formTestId="password-form"
      destroyOnHidden
      requiredMark={false}
    >
      <Form.Item
        name="currentPassword"
        label={t('password.current')}
        rules={[{ required: true, message: t('common.required', { field: t('password.current') }) }]}
      >
        <Input.Password autoComplete="current-password" data-testid="password-current" />
      </Form.Item>
      <NewPasswordField
        name="newPassword"
        label={t('password.new')}
        getUsername={() => me.username}
        testId="password-new"
        confirm={{ name: 'confirm', testId: 'password-confirm' }}
      />
    </FormModal>
  );
}
