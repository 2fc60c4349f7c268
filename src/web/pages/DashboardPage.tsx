import { Alert, Card, Col, Descriptions, Row, Skeleton, Space, Statistic, Tag, Typography } from 'antd';
import { ApartmentOutlined, AuditOutlined, EnvironmentOutlined, UserOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
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

type Summary = Awaited<ReturnType<typeof loadSummary>>;
const loadSummary = () => unwrap(api.GET('/api/dashboard/summary'));

function SummaryCard({ data, error, loading }: { data: Summary | undefined; error: unknown; loading: boolean }) {
  const t = useT();
  const { describe } = useApiError();

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

/** 我的工作: the household files that need someone's attention, each a link to the list that shows them. */
function WorkCard({ data }: { data: Summary | undefined }) {
  const t = useT();
  const h = data?.households;
  if (!h) return null;
  const items: { key: string; title: string; value: number; to: string; warn?: boolean }[] = [
    { key: 'on-file', title: t('dashboard.hh.onFile'), value: h.onFile, to: '/households?status=verified' },
    { key: 'drafts', title: t('dashboard.hh.drafts'), value: h.byStatus.draft ?? 0, to: '/households?status=draft' },
    { key: 'submitted', title: t('dashboard.hh.submitted'), value: h.byStatus.submitted ?? 0, to: '/households?status=submitted' },
    { key: 'pending', title: t('dashboard.hh.pendingApprovals'), value: h.pendingApprovals, to: '/approvals', warn: h.pendingApprovals > 0 },
    ...(h.objectionsWaiting > 0 ? [{ key: 'objections', title: t('dashboard.hh.objections'), value: h.objectionsWaiting, to: '/postings?objected=true', warn: true }] : []),
    { key: 'unpaired', title: t('dashboard.hh.unpaired'), value: h.unpaired, to: '/households/coverage', warn: h.unpaired > 0 },
    { key: 'overdue', title: t('dashboard.hh.overdueVisits'), value: h.overdueVisits, to: '/households/coverage?tab=overdue', warn: h.overdueVisits > 0 },
  ];
  return (
    <Card title={t('dashboard.hh.title')} data-testid="work-card">
      <Row gutter={[16, 24]}>
        {items.map((i) => (
          <Col key={i.key} xs={12} md={8} xl={4}>
            <Link to={i.to} data-testid={`work-${i.key}`}>
              <Statistic title={i.title} value={i.value} valueStyle={i.warn ? { color: '#d46b08' } : undefined} />
            </Link>
          </Col>
        ))}
      </Row>
    </Card>
  );
}

export default function DashboardPage() {
  const summary = useAsync(loadSummary, []);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="dashboard">
      <WelcomeCard />
      <WorkCard data={summary.data} />
      <SummaryCard data={summary.data} error={summary.error} loading={summary.loading} />
    </Space>
  );
}
