import { Button, Dropdown, Space } from 'antd';
import type { MenuProps } from 'antd';
import { EditOutlined, KeyOutlined, MoreOutlined, UnlockOutlined } from '@ant-design/icons';
import type { User } from '../../../api/types';
import { useT } from '../../../i18n/context';

export interface UserActionsProps {
  user: User;
  onEdit: (user: User) => void;
  onResetPassword: (user: User) => void;
  onUnlock: (user: User) => void;
}

/** Row actions: edit inline, the rarer ones in a small menu. */
export function UserActions({ user, onEdit, onResetPassword, onUnlock }: UserActionsProps) {
  const t = useT();
  const items: MenuProps['items'] = [
    {
      key: 'reset',
      icon: <KeyOutlined />,
      label: <span data-testid={`user-reset-${user.username}`}>{t('users.resetPassword')}</span>,
      onClick: () => onResetPassword(user),
    },
    {
      key: 'unlock',
      icon: <UnlockOutlined />,
      disabled: !user.locked,
      label: <span data-testid={`user-unlock-${user.username}`}>{t('users.unlock')}</span>,
      onClick: () => onUnlock(user),
    },
  ];
  return (
    <Space size={0}>
      <Button type="link" size="small" icon={<EditOutlined />} onClick={() => onEdit(user)} data-testid={`user-edit-${user.username}`}>
        {t('users.edit')}
      </Button>
      <Dropdown menu={{ items }} trigger={['click']} placement="bottomRight">
        <Button type="text" size="small" icon={<MoreOutlined />} aria-label={t('common.actions')} data-testid={`user-more-${user.username}`} />
      </Dropdown>
    </Space>
  );
}
