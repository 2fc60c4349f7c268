import { useCallback, useMemo } from 'react';
import { Alert, Button, Card, Descriptions, Flex, Result, Skeleton, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ArrowLeftOutlined, EyeInvisibleOutlined, EyeOutlined } from '@ant-design/icons';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { HouseholdMember } from '../../api/types';
import { useApiError } from '../../api/useApiError';
import { useAuth } from '../../auth/AuthContext';
import { PageHeader } from '../../components/PageHeader';
import { useT } from '../../i18n/context';
import { useLabels } from '../../i18n/labels';
import { formatDateTime } from '../../lib/format';
import { fenToYuan } from '../../lib/money';
import { useAsync } from '../../lib/useAsync';

/** 档案详情: one household file; ID and phone numbers masked unless a pii.view user asks (audited). */
export default function HouseholdDetailPage() {
  const t = useT();
  const labels = useLabels();
  const navigate = useNavigate();
  const { can } = useAuth();
  const { describe } = useApiError();
  const { id = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const canFull = can('pii.view');
  const full = canFull && search.get('full') === 'true';

  const load = useCallback(
    () => unwrap(api.GET('/api/households/{id}', { params: { path: { id }, query: full ? { full: true } : {} } })),
    [id, full],
  );
  const { data: household, error, loading } = useAsync(load, [load]);

  const columns = useMemo<TableColumnsType<HouseholdMember>>(
    () => [
      { title: t('hh.name'), dataIndex: 'name', width: 100, ellipsis: true, render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
      { title: t('hh.relation'), dataIndex: 'relation', width: 90, render: (v: string) => labels.relation(v) },
      {
        title: t('hh.idNumber'),
        dataIndex: 'idNumber',
        width: 180,
        render: (v: string) => <Typography.Text style={{ fontFamily: 'monospace' }}>{v}</Typography.Text>,
      },
      { title: t('hh.sex'), dataIndex: 'sex', width: 60, render: (v: string) => labels.sex(v) },
      { title: t('hh.birthDate'), dataIndex: 'birthDate', width: 110 },
      {
        title: t('hh.phone'),
        dataIndex: 'phone',
        width: 130,
        render: (v: string | null) => (v ? <Typography.Text style={{ fontFamily: 'monospace' }}>{v}</Typography.Text> : <Typography.Text type="secondary">—</Typography.Text>),
      },
      { title: t('hh.health'), dataIndex: 'health', width: 100, render: (v: string) => labels.health(v) },
      { title: t('hh.workStatus'), dataIndex: 'workStatus', width: 100, render: (v: string) => labels.workStatus(v) },
      {
        title: t('hh.income'),
        dataIndex: 'monthlyIncomeFen',
        width: 110,
        align: 'right',
        render: (v: string) => `¥${fenToYuan(v)}`,
      },
    ],
    [t, labels],
  );

  const back = (
    <Button icon={<ArrowLeftOutlined />} onClick={() => void navigate('/households')}>
      {t('hh.back')}
    </Button>
  );

  if (error && !household) {
    return (
      <Card>
        <Result status="warning" title={t('hh.loadFailed')} subTitle={describe(error)} extra={back} />
      </Card>
    );
  }
  if (!household) {
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  }

  return (
    <>
      <PageHeader
        title={
          <Flex gap={8} align="center" wrap>
            {t('hh.title')}
            <Typography.Text copyable={{ text: household.fileNo }} style={{ fontSize: 16, fontWeight: 'normal' }} data-testid="household-file-no">
              {household.fileNo}
            </Typography.Text>
          </Flex>
        }
        extra={back}
      />
      <Card style={{ marginBottom: 16 }} loading={loading && !household}>
        <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
          <Descriptions.Item label={t('hh.fileNo')}>{household.fileNo}</Descriptions.Item>
          <Descriptions.Item label={t('hh.region')}>{household.regionName}</Descriptions.Item>
          <Descriptions.Item label={t('hh.status')}>
            <Tag color={household.status === 'draft' ? 'default' : 'processing'}>{labels.householdStatus(household.status)}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('hh.address')} span={2}>
            {household.address}
          </Descriptions.Item>
          <Descriptions.Item label={t('hh.createdAt')}>{formatDateTime(household.createdAt, true)}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card
        title={t('hh.members')}
        extra={
          canFull ? (
            household.fullView ? (
              <Button icon={<EyeInvisibleOutlined />} onClick={() => setSearch({}, { replace: true })} data-testid="household-masked-view">
                {t('hh.maskedView')}
              </Button>
            ) : (
              <Button icon={<EyeOutlined />} loading={loading} onClick={() => setSearch({ full: 'true' }, { replace: true })} data-testid="household-full-view">
                {t('hh.fullView')}
              </Button>
            )
          ) : null
        }
      >
        {canFull ? (
          household.fullView ? (
            <Alert type="warning" showIcon message={t('hh.fullViewOn')} style={{ marginBottom: 12 }} data-testid="household-full-notice" />
          ) : (
            <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
              {t('hh.fullViewNote')}
            </Typography.Paragraph>
          )
        ) : null}
        <Table<HouseholdMember>
          rowKey="id"
          columns={columns}
          dataSource={household.members}
          loading={loading}
          pagination={false}
          size="middle"
          tableLayout="fixed"
          scroll={{ x: 980 }}
          data-testid="household-members"
        />
      </Card>
    </>
  );
}
