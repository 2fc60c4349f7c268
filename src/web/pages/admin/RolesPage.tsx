import { useEffect, useState } from 'react';
import { App, Button, Card, Col, Empty, Flex, Menu, Row, Skeleton, Tag, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { Role } from '../../api/types';
import { useApiError } from '../../api/useApiError';
import { useAuth } from '../../auth/AuthContext';
import { PageHeader } from '../../components/PageHeader';
import { useT } from '../../i18n/context';
import { useLabels } from '../../i18n/labels';
import { useAsync } from '../../lib/useAsync';
import { RolePermissionsEditor } from './roles/RolePermissionsEditor';
import { RolePermissionsView } from './roles/RolePermissionsView';

export default function RolesPage() {
  const t = useT();
  const labels = useLabels();
  const { can, refresh } = useAuth();
  const { message } = App.useApp();
  const { showError, describe } = useApiError();
  const { data, error, loading } = useAsync(() => unwrap(api.GET('/api/roles')), []);
  const [roles, setRoles] = useState<Role[]>([]);
  const [selectedCode, setSelectedCode] = useState<string | null>(null);
  const [draft, setDraft] = useState<string[] | null>(null);
  const [saving, setSaving] = useState(false);
  const canManage = can('role.manage');

  useEffect(() => {
    if (!data) return;
    setRoles(data.items);
    setSelectedCode((code) => code ?? data.items[0]?.code ?? null);
  }, [data]);

  const selected = roles.find((r) => r.code === selectedCode);

  const select = (code: string) => {
    setSelectedCode(code);
    setDraft(null);
  };

  const save = async () => {
    if (!selected || !draft) return;
    setSaving(true);
    try {
      const saved = await unwrap(api.PUT('/api/roles/{code}', { params: { path: { code: selected.code } }, body: { permissions: draft } }));
      setRoles((list) => list.map((r) => (r.code === saved.code ? saved : r)));
      setDraft(null);
      void message.success(t('roles.saved'));
      void refresh(); // the signed-in user's own permissions may have changed
    } catch (err) {
      showError(err);
    } finally {
      setSaving(false);
    }
  };

  if (loading) return <Skeleton active />;
  if (error) return <Empty description={describe(error)} />;

  return (
    <>
      <PageHeader title={t('nav.adminRoles')} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={8} xl={7}>
          <Card title={t('roles.list')} styles={{ body: { padding: 8 } }}>
            <Menu
              mode="inline"
              selectedKeys={selectedCode ? [selectedCode] : []}
              onClick={({ key }) => select(key)}
              style={{ borderInlineEnd: 0 }}
              data-testid="roles-list"
              items={roles.map((r) => ({
                key: r.code,
                label: (
                  <Flex justify="space-between" align="center" gap={8} data-testid={`role-item-${r.code}`}>
                    <Typography.Text ellipsis>{labels.roleOf(r)}</Typography.Text>
                    <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
                      {t('roles.permissionCount', { n: r.permissions.length })}
                    </Typography.Text>
                  </Flex>
                ),
              }))}
            />
          </Card>
        </Col>
        <Col xs={24} lg={16} xl={17}>
          <Card
            title={
              selected ? (
                <Flex align="center" gap={8} wrap>
                  <span>{labels.roleOf(selected)}</span>
                  <Typography.Text type="secondary" code style={{ fontWeight: 'normal' }}>
                    {selected.code}
                  </Typography.Text>
                  <Tag>{selected.builtIn ? t('roles.builtIn') : t('roles.custom')}</Tag>
                </Flex>
              ) : (
                t('roles.permissions')
              )
            }
            extra={
              selected && canManage ? (
                draft ? (
                  <Flex gap={8}>
                    <Button onClick={() => setDraft(null)} disabled={saving}>
                      {t('common.cancel')}
                    </Button>
                    <Button type="primary" loading={saving} onClick={() => void save()} data-testid="role-save">
                      {t('common.save')}
                    </Button>
                  </Flex>
                ) : (
                  <Button icon={<EditOutlined />} onClick={() => setDraft([...selected.permissions])} data-testid="role-edit">
                    {t('roles.editPermissions')}
                  </Button>
                )
              ) : null
            }
          >
            {!selected ? (
              <Empty description={t('roles.selectHint')} />
            ) : draft ? (
              <RolePermissionsEditor available={data?.permissions ?? []} value={draft} onChange={setDraft} />
            ) : (
              <RolePermissionsView permissions={selected.permissions} catalogue={data?.permissions ?? []} />
            )}
          </Card>
        </Col>
      </Row>
    </>
  );
}
