import { Button, Descriptions, Empty, Flex, Popconfirm, Tag, Typography } from 'antd';
import { CheckCircleOutlined, EditOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons';
import type { Org } from '../../../api/types';
import { useT } from '../../../i18n/context';
import { useLabels } from '../../../i18n/labels';

export interface OrgDetailsProps {
  org: Org | undefined;
  parentName: string | undefined;
  canManage: boolean;
  busy: boolean;
  onCreateChild: (org: Org) => void;
  onEdit: (org: Org) => void;
  onSetActive: (org: Org, active: boolean) => void;
}

export function OrgDetails({ org, parentName, canManage, busy, onCreateChild, onEdit, onSetActive }: OrgDetailsProps) {
  const t = useT();
  const labels = useLabels();
  if (!org) return <Empty description={t('orgs.selectHint')} style={{ padding: '32px 0' }} />;

  return (
    <Flex vertical gap={16} data-testid="org-details">
      <Flex justify="space-between" align="start" gap={12} wrap>
        <div style={{ minWidth: 0 }}>
          <Typography.Title level={5} style={{ margin: 0 }} data-testid="org-details-name">
            {org.name}
          </Typography.Title>
          <Typography.Text type="secondary">{labels.orgType(org.type)}</Typography.Text>
        </div>
        {canManage ? (
          <Flex gap={8} wrap>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => onCreateChild(org)} disabled={!org.active} data-testid="org-create-child">
              {t('orgs.createChild')}
            </Button>
            <Button icon={<EditOutlined />} onClick={() => onEdit(org)} data-testid="org-edit">
              {t('common.edit')}
            </Button>
            {org.active ? (
              <Popconfirm
                title={t('orgs.deactivateConfirm', { name: org.name })}
                okText={t('orgs.deactivate')}
                cancelText={t('common.cancel')}
                okButtonProps={{ danger: true, 'data-testid': 'org-deactivate-confirm' }}
                onConfirm={() => onSetActive(org, false)}
              >
                <Button danger icon={<StopOutlined />} loading={busy} data-testid="org-deactivate">
                  {t('orgs.deactivate')}
                </Button>
              </Popconfirm>
            ) : (
              <Button icon={<CheckCircleOutlined />} loading={busy} onClick={() => onSetActive(org, true)} data-testid="org-activate">
                {t('orgs.activate')}
              </Button>
            )}
          </Flex>
        ) : null}
      </Flex>
      <Descriptions column={{ xs: 1, sm: 1, md: 1, lg: 1, xl: 2, xxl: 2 }} bordered size="small">
        <Descriptions.Item label={t('orgs.level')}>{labels.orgLevel(org.level)}</Descriptions.Item>
        <Descriptions.Item label={t('orgs.status')}>
          {org.active ? <Tag color="success">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>}
        </Descriptions.Item>
        <Descriptions.Item label={t('orgs.region')}>
          {labels.region(org.regionCode, org.regionName)}
          {org.regionCode ? <Typography.Text type="secondary"> ({org.regionCode})</Typography.Text> : null}
        </Descriptions.Item>
        <Descriptions.Item label={t('orgs.industry')}>{org.industry || <Typography.Text type="secondary">{t('common.none')}</Typography.Text>}</Descriptions.Item>
        <Descriptions.Item label={t('orgs.parent')}>
          {org.parentName ?? parentName ?? <Typography.Text type="secondary">{t('common.none')}</Typography.Text>}
        </Descriptions.Item>
        <Descriptions.Item label={t('orgs.childCount')}>{org.childCount}</Descriptions.Item>
        <Descriptions.Item label={t('orgs.id')}>
          <Typography.Text copyable style={{ fontSize: 12 }}>
            {org.id}
          </Typography.Text>
        </Descriptions.Item>
      </Descriptions>
    </Flex>
  );
}
