import { type ReactNode, useCallback, useMemo } from 'react';
import { Alert, Button, Card, Col, Descriptions, Empty, Flex, Result, Row, Skeleton, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ArrowLeftOutlined, EditOutlined, EyeInvisibleOutlined, EyeOutlined, PrinterOutlined } from '@ant-design/icons';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { Household, HouseholdMember } from '../../api/types';
import { useApiError } from '../../api/useApiError';
import { useAuth } from '../../auth/AuthContext';
import { PageHeader } from '../../components/PageHeader';
import { useI18n } from '../../i18n/context';
import { formatDateTime } from '../../lib/format';
import { fenToYuan } from '../../lib/money';
import { useAsync } from '../../lib/useAsync';
import { STATUS_COLORS, TYPE_COLORS, useCodeLabel } from './labels';
import { ApplicationsPanel } from './panels/ApplicationsPanel';
import { AttachmentsPanel } from './panels/AttachmentsPanel';
import { HistoryPanel } from './panels/HistoryPanel';
import { LifecyclePanel } from './panels/LifecyclePanel';
import { LoansPanel } from './panels/LoansPanel';
import { PairingPanel } from './panels/PairingPanel';
import { PlanPanel } from './panels/PlanPanel';
import { TrainingPanel } from './panels/TrainingPanel';
import { VisitsPanel } from './panels/VisitsPanel';

const EDITABLE = new Set(['draft', 'verified', 'reverifying']);

interface ReasonLine {
  rule: string;
  figures: Record<string, string | number | boolean>;
}

/** One rule of the classification with its figures, in words: money in yuan, multiples as ×. */
function ReasonItem({ line }: { line: ReasonLine }) {
  const { t, has } = useI18n();
  const code = useCodeLabel();
  const value = (key: string, v: string | number | boolean): string => {
    if (typeof v === 'boolean') return v ? t('hh.yes') : t('hh.no');
    if (key.endsWith('Fen')) return `¥${fenToYuan(String(v))}`;
    if (key.endsWith('Bp')) return `${Number(v) / 100}%`;
    if (key === 'causes' && typeof v === 'string') return v ? v.split(',').map((c) => code('cause', c)).join('、') : '—';
    if (key === 'hardshipType' && typeof v === 'string') return code('type', v);
    if (key === 'restructuring' && typeof v === 'string') return v ? code('restructuring', v) : '—';
    if (key === 'socialInsurance' && typeof v === 'string') return v ? code('socialInsurance', v) : '—';
    return String(v);
  };
  const figureLabel = (k: string) => {
    const key = `fig.${k}`;
    return has(key) ? t(key) : k;
  };
  const ruleKey = `rule.${line.rule}`;
  const figures = Object.entries(line.figures);
  return (
    <li style={{ marginBottom: 4 }}>
      <Typography.Text strong>{has(ruleKey) ? t(ruleKey) : line.rule}</Typography.Text>
      {figures.length > 0 ? (
        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
          {'：'}
          {figures.map(([k, v]) => `${figureLabel(k)} ${value(k, v)}`).join('；')}
        </Typography.Text>
      ) : null}
    </li>
  );
}

function ClassificationCard({ household }: { household: Household }) {
  const { t } = useI18n();
  const code = useCodeLabel();
  const c = household.classification;
  const reason = c.reason as { lines?: ReasonLine[]; on?: string } | null;
  const none = <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Card title={t('hh.classification')} size="small" style={{ height: '100%' }} data-testid="household-classification">
      <Descriptions column={1} size="small">
        <Descriptions.Item label={t('hh.hardshipType')}>
          {c.hardshipType ? (
            <Tag color={TYPE_COLORS[c.hardshipType] ?? 'default'}>{code('type', c.hardshipType)}</Tag>
          ) : (
            <Typography.Text type="secondary">{c.classifiedAt ? t('hh.notInHardship') : t('hh.notClassified')}</Typography.Text>
          )}
          {c.typeScheme !== 'gb2026' ? <Tag>{t('hh.legacyScheme', { scheme: c.typeScheme })}</Tag> : null}
        </Descriptions.Item>
        <Descriptions.Item label={t('hh.perCapita')}>{c.perCapitaMonthlyFen !== null ? `¥${fenToYuan(c.perCapitaMonthlyFen)} / ${t('hh.perMonth')}` : none}</Descriptions.Item>
        <Descriptions.Item label={t('hh.targetGroups')}>
          {c.targetGroups.length ? c.targetGroups.map((g) => <Tag key={g}>{code('group', g)}</Tag>) : none}
        </Descriptions.Item>
        <Descriptions.Item label={t('hh.batches')}>
          {c.batches.length ? c.batches.map((b) => <Tag key={b} color="blue">{code('batch', b)}</Tag>) : none}
        </Descriptions.Item>
        <Descriptions.Item label={t('hh.causes')}>
          {household.primaryCause ? (
            <Space size={4} wrap>
              <Tag color="red">{code('cause', household.primaryCause)}</Tag>
              {household.secondaryCauses.map((s) => <Tag key={s}>{code('cause', s)}</Tag>)}
            </Space>
          ) : (
            none
          )}
        </Descriptions.Item>
      </Descriptions>
      {reason?.lines?.length ? (
        <details style={{ marginTop: 4 }}>
          <summary style={{ cursor: 'pointer', color: '#1677ff' }} data-testid="household-reason-toggle">
            {t('hh.reason', { on: reason.on ?? '' })}
          </summary>
          <ul style={{ paddingInlineStart: 18, margin: '8px 0 0' }} data-testid="household-reason">
            {reason.lines.map((line, i) => (
              <ReasonItem key={i} line={line} />
            ))}
          </ul>
        </details>
      ) : null}
    </Card>
  );
}

/** 档案详情: one household file; ID, phone and account numbers masked unless a pii.view user asks (audited). */
export default function HouseholdDetailPage() {
  const { t } = useI18n();
  const code = useCodeLabel();
  const navigate = useNavigate();
  const { can } = useAuth();
  const { describe } = useApiError();
  const { id = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const canFull = can('pii.view');
  const full = canFull && search.get('full') === 'true';
  const tab = search.get('tab') ?? 'members';

  const load = useCallback(() => unwrap(api.GET('/api/households/{id}', { params: { path: { id }, query: full ? { full: true } : {} } })), [id, full]);
  const { data: household, error, loading, reload } = useAsync(load, [load]);

  const columns = useMemo<TableColumnsType<HouseholdMember>>(
    () => [
      { title: t('hh.name'), dataIndex: 'name', width: 90, ellipsis: true, render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
      { title: t('hh.relation'), dataIndex: 'relation', width: 70, render: (v: string) => code('relation', v) },
      { title: t('hh.idNumber'), dataIndex: 'idNumber', width: 175, render: (v: string) => <Typography.Text style={{ fontFamily: 'monospace' }}>{v}</Typography.Text> },
      { title: t('hh.sex'), dataIndex: 'sex', width: 50, render: (v: string) => t(v === 'male' ? 'sex.male' : 'sex.female') },
      { title: t('hh.birthDate'), dataIndex: 'birthDate', width: 100 },
      {
        title: t('hh.phone'),
        dataIndex: 'phone',
        width: 125,
        render: (v: string | null) => (v ? <Typography.Text style={{ fontFamily: 'monospace' }}>{v}</Typography.Text> : <Typography.Text type="secondary">—</Typography.Text>),
      },
      { title: t('hh.health'), dataIndex: 'health', width: 90, render: (v: string) => code('health', v) },
      { title: t('hh.workStatus'), dataIndex: 'workStatus', width: 90, render: (v: string) => code('work', v) },
      {
        title: t('hh.memberOther'),
        key: 'other',
        width: 150,
        render: (_: unknown, m: HouseholdMember) =>
          [code('marital', m.maritalStatus), code('school', m.schoolStage), code('medical', m.medicalInsurance), code('modelWorker', m.modelWorker)].filter(Boolean).join(' · ') || '—',
      },
      { title: t('hh.income'), dataIndex: 'monthlyIncomeFen', width: 100, align: 'right', render: (v: string) => `¥${fenToYuan(v)}` },
    ],
    [t, code],
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

  const h = household;
  const yuan = (fen: string) => `¥${fenToYuan(fen)}`;
  const orDash = (v: ReactNode) => (v === null || v === undefined || v === '' ? <Typography.Text type="secondary">—</Typography.Text> : v);
  const fullToggle = canFull ? (
    h.fullView ? (
      <Button size="small" icon={<EyeInvisibleOutlined />} onClick={() => setSearch({ tab }, { replace: true })} data-testid="household-masked-view">
        {t('hh.maskedView')}
      </Button>
    ) : (
      <Tooltip title={t('hh.fullViewNote')}>
        <Button size="small" icon={<EyeOutlined />} loading={loading} onClick={() => setSearch({ tab, full: 'true' }, { replace: true })} data-testid="household-full-view">
          {t('hh.fullView')}
        </Button>
      </Tooltip>
    )
  ) : null;

  return (
    <>
      <PageHeader
        title={
          <Flex gap={8} align="center" wrap>
            {h.headName ? t('hh.titleOf', { name: h.headName }) : t('hh.title')}
            <Typography.Text copyable={{ text: h.fileNo }} style={{ fontSize: 15, fontWeight: 'normal' }} data-testid="household-file-no">
              {h.fileNo}
            </Typography.Text>
            <Tag color={STATUS_COLORS[h.status] ?? 'default'} data-testid="household-status">
              {code('status', h.status)}
            </Tag>
            {h.episode > 1 ? <Tag>{t('hh.episode', { n: h.episode })}</Tag> : null}
          </Flex>
        }
        extra={
          <Space wrap>
            {can('household.write') && EDITABLE.has(h.status) ? (
              <Button icon={<EditOutlined />} onClick={() => void navigate(`/households/${h.id}/edit`)} data-testid="household-edit">
                {t('common.edit')}
              </Button>
            ) : null}
            <Link to={`/households/${h.id}/print${h.fullView ? "?full=true" : ""}`} target="_blank">
              <Button icon={<PrinterOutlined />} data-testid="household-print">
                {t('hh.print')}
              </Button>
            </Link>
            {back}
          </Space>
        }
      />
      {h.fullView ? <Alert type="warning" showIcon title={t('hh.fullViewOn')} style={{ marginBottom: 12 }} data-testid="household-full-notice" /> : null}
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} xl={14}>
          <Card title={t('hh.basics')} size="small" style={{ height: '100%' }}>
            <Descriptions column={{ xs: 1, sm: 2 }} size="small">
              <Descriptions.Item label={t('hh.region')}>{h.regionName}</Descriptions.Item>
              <Descriptions.Item label={t('hh.org')}>{h.orgName}</Descriptions.Item>
              <Descriptions.Item label={t('hh.address')} span={2}>
                {h.address}
              </Descriptions.Item>
              <Descriptions.Item label={t('hh.hukouType')}>{orDash(code('hukou', h.hukouType))}</Descriptions.Item>
              <Descriptions.Item label={t('hh.housingType')}>
                {orDash(code('housing', h.housingType))}
                {h.housingArea ? ` · ${h.housingArea}㎡` : ''}
              </Descriptions.Item>
              <Descriptions.Item label={t('hh.employerName')}>{orDash(h.employerName)}</Descriptions.Item>
              <Descriptions.Item label={t('hh.employerCreditCode')}>{orDash(h.employerCreditCode)}</Descriptions.Item>
              <Descriptions.Item label={t('hh.restructuring')}>{orDash(code('restructuring', h.restructuring))}</Descriptions.Item>
              <Descriptions.Item label={t('hh.socialInsurance')}>{orDash(code('socialInsurance', h.socialInsurance))}</Descriptions.Item>
              <Descriptions.Item label={t('hh.flags')}>
                {h.inDibao ? <Tag color="gold">{t('hh.inDibao')}</Tag> : null}
                {h.migrantWorker ? <Tag>{t('hh.migrantWorker')}</Tag> : null}
                {h.classification.zeroEmployment ? <Tag color="volcano">{t('hh.zeroEmployment')}</Tag> : null}
                {!h.inDibao && !h.migrantWorker && !h.classification.zeroEmployment ? <Typography.Text type="secondary">—</Typography.Text> : null}
              </Descriptions.Item>
              <Descriptions.Item label={t('hh.yearlyIncome')}>{yuan(h.yearlyIncomeFen)}</Descriptions.Item>
              <Descriptions.Item label={t('hh.rigidSpending')}>{yuan(h.yearlyRigidSpendingFen)}</Descriptions.Item>
              <Descriptions.Item label={t('hh.hardshipSpending')}>{yuan(h.yearlyHardshipSpendingFen)}</Descriptions.Item>
              <Descriptions.Item label={t('hh.bank')} span={2}>
                {h.bankAccount ? (
                  <Typography.Text style={{ fontFamily: 'monospace' }}>
                    {h.bankName} {h.bankAccount}
                  </Typography.Text>
                ) : (
                  <Typography.Text type="secondary">{t('hh.noBank')}</Typography.Text>
                )}
              </Descriptions.Item>
              <Descriptions.Item label={t('hh.createdAt')}>{formatDateTime(h.createdAt, true)}</Descriptions.Item>
              <Descriptions.Item label={t('hh.helper')}>
                {h.helper ? `${h.helper.orgName}${h.helper.person ? ` · ${h.helper.person}` : ''}` : <Typography.Text type="warning">{t('hh.noHelper')}</Typography.Text>}
              </Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <ClassificationCard household={h} />
        </Col>
      </Row>
      <div style={{ marginBottom: 16 }}>
        <LifecyclePanel householdId={h.id} version={h.version} status={h.status} onChanged={reload} />
      </div>
      <Card size="small">
        <Tabs
          activeKey={tab}
          onChange={(key) => setSearch(full ? { tab: key, full: 'true' } : { tab: key }, { replace: true })}
          tabBarExtraContent={tab === 'members' ? fullToggle : null}
          items={[
            {
              key: 'members',
              label: t('hh.membersCount', { n: h.members.length }),
              children: (
                <Table<HouseholdMember>
                  rowKey="id"
                  columns={columns}
                  dataSource={h.members}
                  loading={loading}
                  pagination={false}
                  size="small"
                  tableLayout="fixed"
                  scroll={{ x: 1040 }}
                  data-testid="household-members"
                />
              ),
            },
            { key: 'plan', label: t('hh.tabPlan'), children: <PlanPanel householdId={h.id} status={h.status} onChanged={reload} /> },
            { key: 'applications', label: t('hh.tabApplications'), children: <ApplicationsPanel householdId={h.id} status={h.status} members={h.members} /> },
            { key: 'pairing', label: t('hh.tabPairing'), children: <PairingPanel householdId={h.id} status={h.status} onChanged={reload} /> },
            { key: 'visits', label: t('hh.tabVisits'), children: <VisitsPanel householdId={h.id} status={h.status} onChanged={reload} /> },
            { key: 'training', label: t('hh.tabTraining'), children: <TrainingPanel householdId={h.id} status={h.status} onChanged={reload} /> },
            { key: 'loans', label: t('hh.tabLoans'), children: <LoansPanel householdId={h.id} status={h.status} onChanged={reload} /> },
            { key: 'attachments', label: t('hh.tabAttachments'), children: <AttachmentsPanel householdId={h.id} status={h.status} /> },
            { key: 'history', label: t('hh.tabHistory'), children: <HistoryPanel key={h.version} householdId={h.id} /> },
          ]}
        />
        {h.members.length === 0 ? <Empty /> : null}
      </Card>
    </>
  );
}
