import { useCallback, useMemo, useState, type HTMLAttributes } from 'react';
import { App, Button, Card, Flex, Input, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { LockOutlined, PlusOutlined } from '@ant-design/icons';
import { api } from '../../api/client';
import { unwrap, unwrapVoid } from '../../api/errors';
import type { User } from '../../api/types';
import { useApiError } from '../../api/useApiError';
import { useAuth } from '../../auth/AuthContext';
import { KeysetPager } from '../../components/KeysetPager';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { PageHeader } from '../../components/PageHeader';
import { useT } from '../../i18n/context';
import { useLabels } from '../../i18n/labels';
import { formatDateTime } from '../../lib/format';
import { useKeysetPage } from '../../lib/useKeysetPage';
import { ResetPasswordModal } from './users/ResetPasswordModal';
import { UserActions } from './users/UserActions';
import { UserCreateModal } from './users/UserCreateModal';
import { UserEditModal } from './users/UserEditModal';

export default function UsersPage() {
  const t = useT();
  const labels = useLabels();
  const { can } = useAuth();
  const { message } = App.useApp();
  const { showError } = useApiError();
  const canManage = can('user.manage');

  const [q, setQ] = useState('');
  const [orgId, setOrgId] = useState<string | undefined>();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);

  const fetchPage = useCallback(
    (cursor: string | undefined) => {
      const query: { q?: string; orgId?: string; cursor?: string } = {};
      if (q) query.q = q;
      if (orgId) query.orgId = orgId;
      if (cursor) query.cursor = cursor;
      return unwrap(api.GET('/api/users', { params: { query } }));
    },
    [q, orgId],
  );
  const list = useKeysetPage<User>(fetchPage, JSON.stringify([q, orgId]));

  const { replace } = list;
  const unlock = useCallback(
    async (user: User) => {
      try {
        await unwrapVoid(api.POST('/api/users/{id}/unlock', { params: { path: { id: user.id } } }));
        void message.success(t('users.unlocked'));
        replace((u) => u.id === user.id, { ...user, locked: false });
      } catch (err) {
        showError(err);
      }
    },
    [replace, message, showError, t],
  );

  const columns = useMemo<TableColumnsType<User>>(() => {
    const cols: TableColumnsType<User> = [
      {
        title: t('users.username'),
        dataIndex: 'username',
        width: 170,
        ellipsis: true,
        render: (value: string, u) => (
          <Space size={4}>
            <Typography.Text strong>{value}</Typography.Text>
            {u.locked ? <LockOutlined style={{ color: '#cf1322' }} aria-label={t('users.locked')} /> : null}
          </Space>
        ),
      },
      { title: t('users.displayName'), dataIndex: 'displayName', width: 150, ellipsis: true },
      { title: t('users.org'), dataIndex: 'orgName', responsive: ['lg'], width: 180, ellipsis: true },
      {
        title: t('users.roles'),
        dataIndex: 'roles',
        render: (roles: string[]) => (
          <Flex gap={4} wrap>
            {roles.map((r) => (
              <Tag key={r} title={labels.role(r)} style={{ marginInlineEnd: 0, maxWidth: '100%', overflow: 'hidden', textOverflow: 'ellipsis' }}>
                {labels.role(r)}
              </Tag>
            ))}
          </Flex>
        ),
      },
      {
        title: t('users.status'),
        key: 'status',
        width: 96,
        render: (_: unknown, u) => (
          <Flex gap={4} wrap>
            {u.active ? <Tag color="success">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>}
            {u.locked ? <Tag color="error">{t('users.locked')}</Tag> : null}
          </Flex>
        ),
      },
      {
        title: t('users.lastLogin'),
        dataIndex: 'lastLoginAt',
        responsive: ['xl'],
        width: 150,
        render: (v: string | null) => (v ? formatDateTime(v, true) : <Typography.Text type="secondary">{t('users.never')}</Typography.Text>),
      },
    ];
    if (canManage) {
      cols.push({
        title: t('common.actions'),
        key: 'actions',
        width: 130,
        fixed: 'right',
        render: (_: unknown, u) => <UserActions user={u} onEdit={setEditing} onResetPassword={setResetting} onUnlock={(x) => void unlock(x)} />,
      });
    }
    return cols;
  }, [t, labels, canManage, unlock]);

  return (
    <>
      <PageHeader
        title={t('nav.adminUsers')}
        extra={
          canManage ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="users-create">
              {t('users.create')}
            </Button>
          ) : null
        }
      />
      <Card>
        <Flex gap={12} wrap style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            placeholder={t('users.searchPlaceholder')}
            onSearch={(value) => setQ(value.trim())}
            style={{ width: 260 }}
            data-testid="users-search"
          />
          <OrgTreeSelect
            allowClear
            value={orgId}
            onChange={setOrgId}
            placeholder={t('users.orgFilter')}
            style={{ width: 280 }}
            data-testid="users-org-filter"
          />
        </Flex>
        <Table<User>
          rowKey="id"
          columns={columns}
          dataSource={list.items}
          loading={list.loading}
          pagination={false}
          size="middle"
          tableLayout="fixed"
          scroll={{ x: 980 }}
          locale={{ emptyText: t('users.empty') }}
          onRow={(u) => ({ 'data-testid': `user-row-${u.username}` }) as HTMLAttributes<HTMLElement>}
          data-testid="users-table"
        />
        <KeysetPager list={list} testIdPrefix="users" />
      </Card>
      <UserCreateModal
        open={creating}
        defaultOrgId={orgId}
        onClose={() => setCreating(false)}
        onCreated={() => {
          setCreating(false);
          void message.success(t('common.created'));
          list.reload();
        }}
      />
      <UserEditModal
        user={editing}
        onClose={() => setEditing(null)}
        onSaved={(user) => {
          setEditing(null);
          void message.success(t('common.saved'));
          list.replace((u) => u.id === user.id, user);
        }}
      />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
    </>
  );
}
