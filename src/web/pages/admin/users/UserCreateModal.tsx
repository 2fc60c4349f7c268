import { useState } from 'react';
import { Form, Input, Modal } from 'antd';
import { api } from '../../../api/client';
import { unwrap } from '../../../api/errors';
import type { User } from '../../../api/types';
import { useApiError } from '../../../api/useApiError';
import { OrgTreeSelect } from '../../../components/OrgTreeSelect';
import { PasswordStrength } from '../../../components/PasswordStrength';
import { newPasswordRules } from '../../../components/passwordRules';
import { useT } from '../../../i18n/context';
import { RoleSelect } from './RoleSelect';

interface Values {
  username: string;
  displayName: string;
  orgId: string;
  roles: string[];
  password: string;
}

export interface UserCreateModalProps {
  open: boolean;
  /** Pre-selected organisation (e.g. the current filter). */
  defaultOrgId?: string;
  onClose: () => void;
  onCreated: (user: User) => void;
}

export function UserCreateModal({ open, defaultOrgId, onClose, onCreated }: UserCreateModalProps) {
  const t = useT();
  const { showFormError } = useApiError();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const password = Form.useWatch('password', form);
  const required = (field: string) => ({ required: true, whitespace: true, message: t('common.required', { field }) });

  const submit = async (values: Values) => {
    setSaving(true);
    try {
      const user = await unwrap(
        api.POST('/api/users', {
          body: {
            username: values.username.trim(),
            displayName: values.displayName.trim(),
            orgId: values.orgId,
            roles: values.roles,
            password: values.password,
          },
        }),
      );
      form.resetFields();
      onCreated(user);
    } catch (err) {
      showFormError(err, form, { USERNAME_TAKEN: 'username' });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('users.createTitle')}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'user-form-submit' }}
      destroyOnHidden
      width={560}
    >
      <Form<Values>
        form={form}
        name="userCreate"
        layout="vertical"
        onFinish={submit}
        initialValues={{ orgId: defaultOrgId, roles: [] }}
        data-testid="user-form"
        preserve={false}
      >
        <Form.Item name="username" label={t('users.username')} rules={[required(t('users.username')), { max: 64 }]}>
          <Input autoComplete="off" data-testid="user-form-username" />
        </Form.Item>
        <Form.Item name="displayName" label={t('users.displayName')} rules={[required(t('users.displayName')), { max: 100 }]}>
          <Input autoComplete="off" data-testid="user-form-displayName" />
        </Form.Item>
        <Form.Item name="orgId" label={t('users.org')} rules={[{ required: true, message: t('common.selectRequired', { field: t('users.org') }) }]}>
          <OrgTreeSelect onlyActive placeholder={t('users.orgPlaceholder')} data-testid="user-form-org" />
        </Form.Item>
        <Form.Item
          name="roles"
          label={t('users.roles')}
          rules={[{ required: true, type: 'array', min: 1, message: t('common.selectRequired', { field: t('users.roles') }) }]}
        >
          <RoleSelect data-testid="user-form-roles" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('users.initialPassword')}
          dependencies={['username']}
          rules={newPasswordRules(t, () => form.getFieldValue('username') as string | undefined, t('users.initialPassword'))}
          extra={<PasswordStrength password={password} />}
        >
          <Input.Password autoComplete="new-password" data-testid="user-form-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
