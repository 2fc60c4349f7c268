import { useState } from 'react';
import { App, Form, Input, Modal } from 'antd';
import { api } from '../../../api/client';
import { unwrapVoid } from '../../../api/errors';
import type { User } from '../../../api/types';
import { useApiError } from '../../../api/useApiError';
import { PasswordStrength } from '../../../components/PasswordStrength';
import { newPasswordRules } from '../../../components/passwordRules';
import { useT } from '../../../i18n/context';

interface Values {
  password: string;
}

/** Administrator sets a new password for another user. */
export function ResetPasswordModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const { showFormError } = useApiError();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const password = Form.useWatch('password', form);

  const submit = async (values: Values) => {
    if (!user) return;
    setSaving(true);
    try {
      await unwrapVoid(api.POST('/api/users/{id}/reset-password', { params: { path: { id: user.id } }, body: { password: values.password } }));
      void message.success(t('users.resetDone'));
      form.resetFields();
      onClose();
    } catch (err) {
      showFormError(err, form);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={user !== null}
      title={t('users.resetTitle', { name: user?.username ?? '' })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={() => {
        form.resetFields();
        onClose();
      }}
      okButtonProps={{ 'data-testid': 'reset-password-submit' }}
      forceRender
    >
      <Form<Values> form={form} name="resetPassword" layout="vertical" onFinish={submit}>
        <Form.Item
          name="password"
          label={t('users.newPassword')}
          rules={newPasswordRules(t, () => user?.username, t('users.newPassword'))}
          extra={<PasswordStrength password={password} />}
        >
          <Input.Password autoComplete="new-password" data-testid="reset-password-input" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
