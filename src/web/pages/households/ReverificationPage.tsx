import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Col, Empty, Flex, Form, Input, InputNumber, Modal, Popconfirm, Progress, Row, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlayCircleOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { ResponseOf } from '../../api/types';
import { useApiError } from '../../api/useApiError';
import { useAuth } from '../../auth/AuthContext';
import { KeysetPager } from '../../components/KeysetPager';
import { PageHeader } from '../../components/PageHeader';
import { useT } from '../../i18n/context';
import type { MessageKey } from '../../i18n/zh-CN';
import { formatDateTime } from '../../lib/format';
import { useJob } from '../../lib/jobs';
import { fenToYuan } from '../../lib/money';
import { useKeysetPage } from '../../lib/useKeysetPage';

type Run = ResponseOf<'/api/reverification-runs', 'get'>['items'][number];
type RunDetail = ResponseOf<'/api/reverification-runs/{id}', 'get'>;
type Item = ResponseOf<'/api/reverification-runs/{id}/items', 'get'>['items'][number];
type Outcome = Item['outcome'];
type Resolution = NonNullable<Item['resolution']>;
type ResolvedFilter = 'open' | 'resolved' | 'all';

const OUTCOMES: readonly Outcome[] = ['propose_exit', 'facts_outdated', 'visit_overdue', 'still_eligible'];
const OUTCOME_COLOR: Record<Outcome, string> = { propose_exit: 'orange', facts_outdated: 'gold', visit_overdue: 'blue', still_eligible: 'green' };
const RUN_COLOR: Record<Run['status'], string> = { running: 'processing', succeeded: 'success', failed: 'error', cancelled: 'default' };
const currentYear = new Date().getFullYear();

type Reason = { code: string } & Record<string, unknown>;

/** One finding in words. */
function reasonText(r: Reason, t: ReturnType<typeof useT>): string {
  const yuan = (v: unknown) => (typeof v === 'string' ? fenToYuan(v) : t('rev.unknown'));
  switch (r.code) {
    case 'eligible': {
      const typeKey = `rev.type.${String(r.hardshipType)}` as MessageKey;
      return t('rev.reason.eligible', { type: t(typeKey), pc: yuan(r.perCapitaMonthlyFen) });
    }
    case 'above_line':
      return t('rev.reason.above_line', { pc: yuan(r.perCapitaMonthlyFen), line: yuan(r.relativeLineFen) });
    case 'facts_stale':
      return t('rev.reason.facts_stale', { date: String(r.updatedOn) });
    case 'visit_overdue':
      return r.lastVisitOn ? t('rev.reason.visit_overdue', { date: String(r.lastVisitOn) }) : t('rev.reason.never_visited', { date: String(r.since) });
    case 'no_standard':
    case 'facts_missing':
      return t(`rev.reason.${r.code}`);
    default:
      return r.code;
  }
}

/** 年度复核: start the yearly re-verification of the user's scope, follow it, and work through its list. */
export default function ReverificationPage() {
  const t = useT();
  const { can, user } = useAuth();
  const { message } = App.useApp();
  const { showError } = useApiError();
  const navigate = useNavigate();
  const writer = can('household.write');

  const [runs, setRuns] = useState<Run[]>([]);
  const [runsLoaded, setRunsLoaded] = useState(false);
  const [runId, setRunId] = useState<string | undefined>();
  const [detail, setDetail] = useState<RunDetail | null>(null);
  const [year, setYear] = useState<number>(currentYear);
  const [starting, setStarting] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const [resolved, setResolved] = useState<ResolvedFilter>('open');
  const [dismissing, setDismissing] = useState<Item | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const { job, follow, reset } = useJob();

  const loadRuns = useCallback(async (select?: string) => {
    try {
      const page = await unwrap(api.GET('/api/reverification-runs', { params: { query: { limit: 50 } } }));
      setRuns(page.items);
      setRunId((current) => select ?? current ?? page.items[0]?.id);
    } catch (err) {
      showError(err);
    } finally {
      setRunsLoaded(true);
    }
  }, [showError]);

  const loadDetail = useCallback(async (id: string) => {
    try {
      setDetail(await unwrap(api.GET('/api/reverification-runs/{id}', { params: { path: { id } } })));
    } catch (err) {
      showError(err);
    }
  }, [showError]);

  useEffect(() => {
    void loadRuns();
  }, [loadRuns]);

  useEffect(() => {
    if (runId) void loadDetail(runId);
    else setDetail(null);
  }, [runId, loadDetail]);

  const fetchPage = useCallback(
    (cursor: string | undefined) =>
      runId
        ? unwrap(
            api.GET('/api/reverification-runs/{id}/items', {
              params: {
                path: { id: runId },
                query: {
                  ...(outcome ? { outcome } : {}),
                  ...(resolved === 'all' ? {} : { resolved: resolved === 'resolved' }),
                  ...(cursor ? { cursor } : {}),
                  limit: 20,
                },
              },
            }),
          )
        : Promise.resolve({ items: [] as Item[], nextCursor: null }),
    [runId, outcome, resolved],
  );
  const list = useKeysetPage<Item>(fetchPage, `${runId}|${outcome}|${resolved}`);
  useEffect(() => {
    if (list.error) showError(list.error);
  }, [list.error, showError]);

  // Follow a run that is still going (started here or earlier) until its job ends.
  const followJobId = detail?.status === 'running' ? detail.jobId : null;
  useEffect(() => {
    if (!followJobId || !runId) return;
    let live = true;
    void follow(() => unwrap(api.GET('/api/jobs/{id}', { params: { path: { id: followJobId } } })))
      .then(() => {
        if (!live) return;
        reset();
        void loadDetail(runId);
        void loadRuns();
        list.reload();
      })
      .catch(showError);
    return () => void (live = false);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [followJobId]);

  const start = async () => {
    setStarting(true);
    try {
      const run = await unwrap(api.POST('/api/reverification-runs', { body: { year } }));
      void message.success(t('rev.started'));
      await loadRuns(run.id);
      setRunId(run.id);
      await loadDetail(run.id);
    } catch (err) {
      showError(err);
    } finally {
      setStarting(false);
    }
  };

  const resolve = async (item: Item, resolution: Resolution, note?: string) => {
    if (!runId) return false;
    setBusy(item.householdId);
    try {
      const updated = await unwrap(
        api.POST('/api/reverification-runs/{id}/items/{householdId}/resolve', {
          params: { path: { id: runId, householdId: item.householdId } },
          body: { resolution, ...(note ? { note } : {}) },
        }),
      );
      list.replace((i) => i.householdId === item.householdId, updated);
      void loadDetail(runId);
      return true;
    } catch (err) {
      showError(err);
      return false;
    } finally {
      setBusy(null);
    }
  };

  const scopeName = user?.scope.regionName || t('rev.national');
  const running = detail?.status === 'running';

  const columns: TableColumnsType<Item> = useMemo(
    () => [
      {
        title: t('rev.col.fileNo'),
        dataIndex: 'fileNo',
        width: 160,
        render: (v: string, r) => <Link to={`/households/${r.householdId}`}>{v}</Link>,
      },
      { title: t('rev.col.head'), dataIndex: 'headName', width: 80, render: (v: string) => v || t('rev.unknown') },
      { title: t('rev.col.region'), dataIndex: 'regionName', width: 90, render: (v: string) => v.split(' ').slice(-1)[0] },
      {
        title: t('rev.col.outcome'),
        dataIndex: 'outcome',
        width: 110,
        render: (v: Outcome) => <Tag color={OUTCOME_COLOR[v]}>{t(`rev.outcome.${v}`)}</Tag>,
      },
      {
        title: t('rev.col.reasons'),
        dataIndex: 'reasons',
        render: (reasons: Reason[]) => (
          <Flex vertical gap={2}>
            {reasons.map((r, i) => (
              <Typography.Text key={i} type={r.code === 'eligible' ? 'secondary' : undefined} style={{ fontSize: 13 }}>
                {reasonText(r, t)}
              </Typography.Text>
            ))}
          </Flex>
        ),
      },
      {
        title: t('rev.col.resolution'),
        key: 'resolution',
        width: 270,
        render: (_: unknown, r) =>
          r.resolution ? (
            <Flex vertical gap={2}>
              <Tag color="default" style={{ width: 'fit-content' }}>
                {t(`rev.resolution.${r.resolution}`)}
              </Tag>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('rev.resolvedBy', { name: r.resolvedByName ?? '', date: formatDateTime(r.resolvedAt, true) })}
                {r.note ? ` · ${r.note}` : ''}
              </Typography.Text>
            </Flex>
          ) : writer ? (
            <Space size={4} wrap data-testid={`rev-actions-${r.householdId}`}>
              {r.outcome === 'propose_exit' ? (
                <Popconfirm
                  title={t('rev.action.exitAsk')}
                  onConfirm={async () => {
                    if (await resolve(r, 'exit_started')) void navigate(`/households/${r.householdId}`);
                  }}
                >
                  <Button size="small" type="primary" loading={busy === r.householdId}>
                    {t('rev.action.exit')}
                  </Button>
                </Popconfirm>
              ) : (
                <Popconfirm title={t('rev.action.confirmAsk')} onConfirm={() => resolve(r, 'confirmed')}>
                  <Button size="small" type="primary" loading={busy === r.householdId}>
                    {t('rev.action.confirm')}
                  </Button>
                </Popconfirm>
              )}
              {r.outcome === 'propose_exit' ? (
                <Popconfirm title={t('rev.action.confirmAsk')} onConfirm={() => resolve(r, 'confirmed')}>
                  <Button size="small">{t('rev.action.confirm')}</Button>
                </Popconfirm>
              ) : null}
              <Popconfirm title={t('rev.action.updatedAsk')} onConfirm={() => resolve(r, 'updated')}>
                <Button size="small">{t('rev.action.updated')}</Button>
              </Popconfirm>
              <Button size="small" type="text" onClick={() => setDismissing(r)}>
                {t('rev.action.dismiss')}
              </Button>
            </Space>
          ) : null,
      },
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, writer, busy, runId],
  );

  const runOptions = runs.map((r) => ({
    value: r.id,
    label: (
      <Space size={6}>
        <span>{t('rev.runLabel', { year: r.year, region: r.regionName || t('rev.national'), date: formatDateTime(r.createdAt, true) })}</span>
        <Tag color={RUN_COLOR[r.status]} style={{ marginInlineEnd: 0 }}>
          {t(`rev.runStatus.${r.status}`)}
        </Tag>
      </Space>
    ),
  }));

  return (
    <>
      <PageHeader
        title={t('rev.title')}
        extra={
          writer ? (
            <>
              <Typography.Text type="secondary">{t('rev.year')}</Typography.Text>
              <InputNumber min={2000} max={currentYear + 1} value={year} onChange={(v) => v && setYear(v)} style={{ width: 100 }} data-testid="rev-year" />
              <Popconfirm title={t('rev.startConfirm', { scope: scopeName, year })} onConfirm={() => start()}>
                <Button type="primary" icon={<PlayCircleOutlined />} loading={starting} disabled={running} data-testid="rev-start">
                  {t('rev.start')}
                </Button>
              </Popconfirm>
            </>
          ) : null
        }
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
        {t('rev.intro')}
      </Typography.Paragraph>

      {runsLoaded && runs.length === 0 ? (
        <Card>
          <Empty description={t('rev.noRuns')} />
        </Card>
      ) : (
        <>
          <Flex align="center" gap={12} wrap style={{ marginBottom: 16 }}>
            <Typography.Text>{t('rev.run')}</Typography.Text>
            <Select value={runId} options={runOptions} onChange={setRunId} style={{ minWidth: 360 }} data-testid="rev-run" />
          </Flex>

          {running ? (
            <Alert
              type="info"
              style={{ marginBottom: 16 }}
              title={
                <Flex vertical gap={4}>
                  <span>{t('rev.progress', { done: (job?.progressDone ?? detail?.counts.done ?? 0).toLocaleString(), total: (job?.progressTotal ?? detail?.counts.total ?? 0).toLocaleString() })}</span>
                  <Progress percent={job?.percent ?? 0} status="active" data-testid="rev-progress" />
                </Flex>
              }
            />
          ) : null}

          {detail ? (
            <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
              {OUTCOMES.map((o) => {
                const c = detail.outcomes.find((x) => x.outcome === o);
                const selected = outcome === o;
                return (
                  <Col key={o} xs={12} md={6}>
                    <Card
                      size="small"
                      hoverable
                      onClick={() => setOutcome(selected ? undefined : o)}
                      style={selected ? { borderColor: '#1677ff' } : undefined}
                      data-testid={`rev-count-${o}`}
                    >
                      <Flex vertical gap={4}>
                        <Tag color={OUTCOME_COLOR[o]} style={{ width: 'fit-content' }}>
                          {t(`rev.outcome.${o}`)}
                        </Tag>
                        <Typography.Text strong style={{ fontSize: 22 }}>
                          {t('rev.households', { n: (c?.total ?? 0).toLocaleString() })}
                        </Typography.Text>
                        <Typography.Text type={c?.unresolved ? 'warning' : 'secondary'} style={{ fontSize: 13 }}>
                          {c?.unresolved ? t('rev.open', { n: c.unresolved.toLocaleString() }) : t('rev.done')}
                        </Typography.Text>
                      </Flex>
                    </Card>
                  </Col>
                );
              })}
            </Row>
          ) : null}

          <Card>
            <Flex gap={12} wrap align="center" style={{ marginBottom: 12 }}>
              <Select<Outcome | 'all'>
                value={outcome ?? 'all'}
                onChange={(v) => setOutcome(v === 'all' ? undefined : v)}
                style={{ width: 160 }}
                options={[{ value: 'all', label: t('rev.filter.allOutcomes') }, ...OUTCOMES.map((o) => ({ value: o, label: t(`rev.outcome.${o}`) }))]}
                data-testid="rev-filter-outcome"
              />
              <Segmented<ResolvedFilter>
                value={resolved}
                onChange={setResolved}
                options={[
                  { value: 'open', label: t('rev.filter.open') },
                  { value: 'resolved', label: t('rev.filter.resolved') },
                  { value: 'all', label: t('rev.filter.all') },
                ]}
                data-testid="rev-filter-resolved"
              />
            </Flex>
            <Table<Item>
              rowKey="householdId"
              columns={columns}
              dataSource={list.items}
              loading={list.loading}
              pagination={false}
              size="middle"
              scroll={{ x: 1000 }}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('rev.empty')} /> }}
              data-testid="rev-items"
            />
            <KeysetPager list={list} testIdPrefix="rev-items" />
          </Card>
        </>
      )}

      <DismissModal
        item={dismissing}
        onCancel={() => setDismissing(null)}
        onSubmit={async (note) => {
          if (dismissing && (await resolve(dismissing, 'dismissed', note))) setDismissing(null);
        }}
      />
    </>
  );
}

function DismissModal({ item, onCancel, onSubmit }: { item: Item | null; onCancel: () => void; onSubmit: (note: string) => Promise<void> }) {
  const t = useT();
  const [form] = Form.useForm<{ note: string }>();
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (item) form.resetFields();
  }, [item, form]);
  return (
    <Modal
      open={item !== null}
      title={t('rev.dismissTitle')}
      onCancel={onCancel}
      confirmLoading={saving}
      onOk={() =>
        void form.validateFields().then(async ({ note }) => {
          setSaving(true);
          try {
            await onSubmit(note.trim());
          } finally {
            setSaving(false);
          }
        })
      }
      destroyOnHidden
    >
      {item ? (
        <Typography.Paragraph type="secondary">
          {item.fileNo} · {item.headName}
        </Typography.Paragraph>
      ) : null}
      <Form form={form} layout="vertical">
        <Form.Item name="note" label={t('rev.dismissNote')} rules={[{ required: true, whitespace: true, message: t('rev.dismissNoteRequired') }]}>
          <Input.TextArea rows={3} maxLength={500} showCount data-testid="rev-dismiss-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
