import { useEffect } from 'react';
import { Form, Input, Switch } from 'antd';
import { api } from '../../../api/client';
import { unwrap } from '../../../api/errors';
import type { User } from '../../../api/types';
import { FormModal } from '../../../components/FormModal';
import { useT } from '../../../i18n/context';
import { RoleSelect } from './RoleSelect';

interface Values {
  displayName: string;
  roles: string[];
  active: boolean;
}

export interface UserEditModalProps {
  user: User | null;
  onClose: () => void;
  onSaved: (user: User) => void;
}

/** Edit display name, roles and the active flag of a user. */
export function UserEditModal({ user, onClose, onSaved }: UserEditModalProps) {
  const t = useT();
  const [form] = Form.useForm<Values>();

  useEffect(() => {
    if (user) form.setFieldsValue({ displayName: user.displayName, roles: user.roles, active: user.active });
  }, [user, form]);

  const submit = async (values: Values) => {
    if (!user) return;
    const saved = await unwrap(
      api.PATCH('/api/users/{id}', {
        params: { path: { id: user.id } },
        body: { displayName: values.displayName.trim(), roles: values.roles, active: values.active },
      }),
    );
    onSaved(saved);
  };

  return (
    <FormModal<Values>
      open={user !== null}
      title={t('users.editTitle', { name: user?.username ?? '' })}
      okText={t('common.save')}
      onClose={onClose}
      form={form}
      name="userEdit"
      onSubmit={submit}
      okTestId="user-edit-submit"
      formTestId="user-edit-form"
      width={560}
    >
      <Form.Item
        name="displayName"
        label={t('users.displayName')}
        rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('users.displayName') }) }, { max: 100 }]}
      >
        <Input data-testid="user-edit-displayName" />
      </Form.Item>
      <Form.Item
        name="roles"
        label={t('users.roles')}
        rules={[{ required: true, type: 'array', min: 1, message: t('common.selectRequired', { field: t('users.roles') }) }]}
      >
        <RoleSelect data-testid="user-edit-roles" />
      </Form.Item>
      <Form.Item name="active" label={t('users.accountActive')} valuePropName="checked">
        <Switch data-testid="user-edit-active" />
      </Form.Item>
    </FormModal>
  );
}
