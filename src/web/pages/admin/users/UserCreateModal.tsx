import { Form, Input } from 'antd';
import { api } from '../../../api/client';
import { unwrap } from '../../../api/errors';
import type { User } from '../../../api/types';
import { FormModal } from '../../../components/FormModal';
import { NewPasswordField } from '../../../components/NewPasswordField';
import { OrgTreeSelect } from '../../../components/OrgTreeSelect';
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
  const [form] = Form.useForm<Values>();
  const required = (field: string) => ({ required: true, whitespace: true, message: t('common.required', { field }) });

  const submit = async (values: Values) => {
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
  };

  return (
    <FormModal<Values>
      open={open}
      title={t('users.createTitle')}
      okText={t('common.create')}
      onClose={onClose}
      form={form}
      name="userCreate"
      onSubmit={submit}
      errorFields={{ USERNAME_TAKEN: 'username' }}
      okTestId="user-form-submit"
      formTestId="user-form"
      width={560}
      forceRender={false}
      destroyOnHidden
      initialValues={{ orgId: defaultOrgId, roles: [] }}
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
      <NewPasswordField
        name="password"
        label={t('users.initialPassword')}
        dependencies={['username']}
        getUsername={() => form.getFieldValue('username') as string | undefined}
        testId="user-form-password"
      />
    </FormModal>
  );
}
