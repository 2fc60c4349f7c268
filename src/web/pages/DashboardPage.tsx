import { Alert, Card, Col, Descriptions, Row, Skeleton, Space, Statistic, Tag, Typography } from 'antd';
import { ApartmentOutlined, AuditOutlined, EnvironmentOutlined, UserOutlined } from '@ant-design/icons';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import { useApiError } from '../api/useApiError';
import { useMe } from '../auth/AuthContext';
import { useT } from '../i18n/context';
import { useLabels } from '../i18n/labels';
import { useAsync } from '../lib/useAsync';

function WelcomeCard() {
  const t = useT();
  const me = useMe();
  const labels = useLabels();
  return (
    <Card data-testid="welcome-card">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('dashboard.welcome', { name: me.displayName })}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('dashboard.intro')}</Typography.Paragraph>
      <Descriptions column={{ xs: 1, sm: 1, md: 1, lg: 2, xl: 2, xxl: 2 }} size="small">
        <Descriptions.Item label={t('dashboard.username')}>{me.username}</Descriptions.Item>
        <Descriptions.Item label={t('dashboard.org')}>
          <span>
            <span data-testid="welcome-org">{me.org.name}</span>
            <Typography.Text type="secondary">{` · ${labels.orgLevel(me.org.level)}`}</Typography.Text>
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('dashboard.scope')}>
          <span data-testid="welcome-scope">
            {labels.region(me.scope.regionCode, me.scope.regionName)}
            {me.scope.regionCode ? (
              <Typography.Text type="secondary">
                {' '}
                ({t('dashboard.regionCode')} {me.scope.regionCode})
              </Typography.Text>
            ) : null}
          </span>
        </Descriptions.Item>
        {me.scope.industry ? <Descriptions.Item label={t('dashboard.industry')}>{me.scope.industry}</Descriptions.Item> : null}
        <Descriptions.Item label={t('dashboard.roles')}>
          <Space size={[4, 4]} wrap data-testid="welcome-roles">
            {me.roles.map((r) => (
              <Tag key={r} color="blue">
                {labels.role(r)}
              </Tag>
            ))}
          </Space>
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function SummaryCard() {
  const t = useT();
  const { describe } = useApiError();
  const { data, error, loading } = useAsync(() => unwrap(api.GET('/api/dashboard/summary')), []);

  const stats = data
    ? [
        { key: 'orgs', title: t('dashboard.orgs'), value: data.orgs, icon: <ApartmentOutlined /> },
        { key: 'users', title: t('dashboard.users'), value: data.users, icon: <UserOutlined /> },
        { key: 'provinces', title: t('dashboard.provinces'), value: data.regions.provinces, icon: <EnvironmentOutlined /> },
        { key: 'cities', title: t('dashboard.cities'), value: data.regions.cities, icon: <EnvironmentOutlined /> },
        { key: 'counties', title: t('dashboard.counties'), value: data.regions.counties, icon: <EnvironmentOutlined /> },
        { key: 'audit', title: t('dashboard.auditEntries'), value: data.auditEntries, icon: <AuditOutlined /> },
      ].filter((s): s is typeof s & { value: number } => s.value !== null)
    : [];

  return (
    <Card title={t('dashboard.summary')} extra={<Typography.Text type="secondary">{t('dashboard.summaryHint')}</Typography.Text>} data-testid="summary-card">
      {loading ? <Skeleton active paragraph={{ rows: 2 }} /> : null}
      {!loading && error ? <Alert type="info" showIcon title={t('dashboard.summaryUnavailable')} description={describe(error)} /> : null}
      {!loading && data ? (
        <Row gutter={[16, 24]}>
          {stats.map((s) => (
            <Col key={s.key} xs={12} md={8} xl={4}>
              <Statistic title={s.title} value={s.value} prefix={s.icon} data-testid={`summary-${s.key}`} />
            </Col>
          ))}
        </Row>
      ) : null}
    </Card>
  );
}

export default function DashboardPage() {
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="dashboard">
      <WelcomeCard />
      <SummaryCard />
    </Space>
  );
}
