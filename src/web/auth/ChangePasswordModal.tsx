import { useState } from 'react';
import { App, Form, Input, Modal } from 'antd';
import { api } from '../api/client';
import { unwrapVoid } from '../api/errors';
import { useApiError } from '../api/useApiError';
import { PasswordStrength } from '../components/PasswordStrength';
import { newPasswordRules } from '../components/passwordRules';
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
  const { showFormError } = useApiError();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const newPassword = Form.useWatch('newPassword', form);

  const submit = async (values: Values) => {
    setSaving(true);
    try {
      await unwrapVoid(
        api.POST('/api/auth/password', {
          body: { currentPassword: values.currentPassword, newPassword: values.newPassword },
        }),
      );
      void message.success(t('password.changed'));
      form.resetFields();
      onClose();
      void refresh();
    } catch (err) {
      showFormError(err, form, { AUTH_INVALID_CREDENTIALS: 'currentPassword' });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('password.title')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={() => {
        form.resetFields();
        onClose();
      }}
      okButtonProps={{ 'data-testid': 'password-submit' }}
      destroyOnHidden
      forceRender
    >
      <Form<Values> form={form} name="changePassword" layout="vertical" onFinish={submit} requiredMark={false} data-testid="password-form">
        <Form.Item
          name="currentPassword"
          label={t('password.current')}
          rules={[{ required: true, message: t('common.required', { field: t('password.current') }) }]}
        >
          <Input.Password autoComplete="current-password" data-testid="password-current" />
        </Form.Item>
        <Form.Item name="newPassword" label={t('password.new')} rules={newPasswordRules(t, () => me.username)} extra={<PasswordStrength password={newPassword} />}>
          <Input.Password autoComplete="new-password" data-testid="password-new" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('password.confirm')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('common.required', { field: t('password.confirm') }) },
            ({ getFieldValue }) => ({
              validator: async (_rule, value: unknown) => {
                if (value && value !== getFieldValue('newPassword')) throw new Error(t('password.mismatch'));
              },
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="password-confirm" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
