import { Avatar, Dropdown, Flex, Grid, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { DownOutlined, KeyOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useMe } from '../auth/AuthContext';
import { useT } from '../i18n/context';

/** Avatar + name (+ organisation on wide screens) with change-password and sign-out actions. */
export function UserMenu({ onChangePassword, onLogout }: { onChangePassword: () => void; onLogout: () => void }) {
  const t = useT();
  const me = useMe();
  const screens = Grid.useBreakpoint();

  const items: MenuProps['items'] = [
    {
      key: 'password',
      icon: <KeyOutlined />,
      label: <span data-testid="change-password">{t('header.changePassword')}</span>,
      onClick: onChangePassword,
    },
    { type: 'divider' },
    {
      key: 'logout',
      icon: <LogoutOutlined />,
      label: <span data-testid="logout">{t('header.logout')}</span>,
      onClick: onLogout,
    },
  ];

  return (
    <Dropdown menu={{ items }} trigger={['click']} placement="bottomRight">
      <button
        type="button"
        data-testid="user-menu"
        style={{ background: 'none', border: 0, padding: '4px 8px', cursor: 'pointer', borderRadius: 6, maxWidth: '100%' }}
      >
        <Flex align="center" gap={8}>
          <Avatar size="small" icon={<UserOutlined />} style={{ flex: 'none' }} />
          <Flex vertical align="start" style={{ lineHeight: 1.3, minWidth: 0 }}>
            <Typography.Text strong ellipsis style={{ maxWidth: 200 }} data-testid="user-name">
              {me.displayName}
            </Typography.Text>
            {screens.md ? (
              <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, maxWidth: 260 }} data-testid="user-org">
                {me.org.name}
              </Typography.Text>
            ) : null}
          </Flex>
          <DownOutlined style={{ fontSize: 10, color: 'rgba(0,0,0,0.45)' }} />
        </Flex>
      </button>
    </Dropdown>
  );
}
