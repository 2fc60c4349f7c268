import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Flex, Form, Popconfirm, Progress, Radio, Result, Row, Space, Statistic, Steps, Table, Tag, Typography, Upload } from 'antd';
import type { TableColumnsType, UploadProps } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { ApiError, unwrap } from '../../api/errors';
import type { ResponseOf } from '../../api/types';
import { useApiError } from '../../api/useApiError';
import { useAuth } from '../../auth/AuthContext';
import { KeysetPager } from '../../components/KeysetPager';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { PageHeader } from '../../components/PageHeader';
import { useT } from '../../i18n/context';
import { useLabels } from '../../i18n/labels';
import { useJob } from '../../lib/jobs';
import { useKeysetPage } from '../../lib/useKeysetPage';

type Import = ResponseOf<'/api/household-imports/{id}', 'get'>;
type Problem = ResponseOf<'/api/household-imports/{id}/problems', 'get'>['items'][number];
type Sample = Import['sample'][number];
type Mode = 'valid-only' | 'all-or-nothing';

const MAX_BYTES = 50 * 1024 * 1024;
const TEMPLATE_URL = '/api/household-imports/template.xlsx';

const kindOf = (code: string): 'duplicate' | 'onFile' | 'race' | 'error' =>
  code === 'duplicate_in_file' ? 'duplicate' : code === 'on_file' ? 'onFile' : code === 'on_file_at_commit' ? 'race' : 'error';
const KIND_COLOR = { duplicate: 'orange', onFile: 'purple', race: 'magenta', error: 'red' } as const;

/** 批量导入: template → upload → validation with every problem listed → commit (valid only, or all or nothing) → result. */
export default function ImportPage() {
  const t = useT();
  const labels = useLabels();
  const { message } = App.useApp();
  const { user } = useAuth();
  const { showError, describe } = useApiError();
  const [params, setParams] = useSearchParams();
  const importId = params.get('id');
  const [orgId, setOrgId] = useState<string | undefined>(user?.org.id);
  const [current, setCurrent] = useState<Import | null>(null);
  const [uploading, setUploading] = useState(false);
  const [mode, setMode] = useState<Mode>('valid-only');
  const [committing, setCommitting] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const { job, follow, reset } = useJob();

  const load = useCallback(
    async (id: string) => {
      try {
        const got = await unwrap(api.GET('/api/household-imports/{id}', { params: { path: { id } } }));
        setCurrent(got);
        return got;
      } catch (err) {
        showError(err);
        return null;
      }
    },
    [showError],
  );

  useEffect(() => {
    if (importId) void load(importId);
    else setCurrent(null);
  }, [importId, load]);

  // Follow whichever job is running for this import until it ends, then reload the import.
  const runningJobId = current?.status === 'validating' ? current.validateJob?.id : current?.status === 'committing' ? current.commitJob?.id : undefined;
  useEffect(() => {
    if (!runningJobId || !current) return;
    let live = true;
    void follow(() => unwrap(api.GET('/api/jobs/{id}', { params: { path: { id: runningJobId } } })))
      .then(() => {
        if (!live) return;
        reset();
        void load(current.id);
      })
      .catch(showError);
    return () => void (live = false);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runningJobId]);

  const fetchProblems = useCallback(
    (cursor: string | undefined) =>
      current && current.counts.problems + current.counts.skippedHouseholds > 0 && current.status !== 'validating'
        ? unwrap(api.GET('/api/household-imports/{id}/problems', { params: { path: { id: current.id }, query: { ...(cursor ? { cursor } : {}), limit: 20 } } }))
        : Promise.resolve({ items: [] as Problem[], nextCursor: null }),
    [current],
  );
  const problems = useKeysetPage<Problem>(fetchProblems, `${current?.id}|${current?.status}`);
  useEffect(() => {
    if (problems.error) showError(problems.error);
  }, [problems.error, showError]);

  const customRequest: UploadProps['customRequest'] = ({ file, onSuccess, onError }) => {
    const blob = file as File;
    if (!orgId) {
      void message.error(t('imp.chooseOrg'));
      return;
    }
    const form = new FormData();
    form.append('orgId', orgId);
    form.append('file', blob, blob.name);
    setUploading(true);
    unwrap(api.POST('/api/household-imports', { body: form as never, bodySerializer: (b: unknown) => b as FormData }))
      .then((created) => {
        onSuccess?.(created);
        setCurrent(created);
        setRefusal(null);
        setParams({ id: created.id });
      })
      .catch((err: unknown) => {
        onError?.(err as Error);
        if (err instanceof ApiError && err.status === 401) return;
        void message.error(err instanceof ApiError && err.fieldErrors.length > 0 ? err.fieldErrors.map((f) => f.message).join('；') : describe(err));
      })
      .finally(() => setUploading(false));
  };

  const beforeUpload: UploadProps['beforeUpload'] = (file) => {
    if (!/\.(xlsx|csv)$/i.test(file.name)) {
      void message.error(t('imp.badType', { name: file.name }));
      return Upload.LIST_IGNORE;
    }
    if (file.size > MAX_BYTES) {
      void message.error(t('imp.tooLarge', { name: file.name }));
      return Upload.LIST_IGNORE;
    }
    return true;
  };

  const commit = async () => {
    if (!current) return;
    setCommitting(true);
    setRefusal(null);
    try {
      setCurrent(await unwrap(api.POST('/api/household-imports/{id}/commit', { params: { path: { id: current.id } }, body: { mode } })));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setRefusal(describe(err));
      else showError(err);
    } finally {
      setCommitting(false);
    }
  };

  const discard = async () => {
    if (!current) return;
    try {
      setCurrent(await unwrap(api.POST('/api/household-imports/{id}/discard', { params: { path: { id: current.id } } })));
      void message.success(t('imp.discarded'));
    } catch (err) {
      showError(err);
    }
  };

  const again = () => {
    setParams({});
    setCurrent(null);
    setRefusal(null);
    setMode('valid-only');
  };

  const problemColumns: TableColumnsType<Problem> = useMemo(
    () => [
      { title: t('imp.col.row'), dataIndex: 'rowNo', width: 72, render: (v: number) => (v > 0 ? v : '—') },
      { title: t('imp.col.key'), dataIndex: 'householdKey', width: 100, render: (v: string | null) => v ?? '—' },
      { title: t('imp.col.column'), dataIndex: 'column', width: 140, render: (v: string | null) => v ?? t('imp.wholeFile') },
      {
        title: t('imp.col.kind'),
        dataIndex: 'code',
        width: 100,
        render: (code: string) => {
          const kind = kindOf(code);
          return <Tag color={KIND_COLOR[kind]}>{t(`imp.kind.${kind}`)}</Tag>;
        },
      },
      { title: t('imp.col.problem'), dataIndex: 'message' },
    ],
    [t],
  );

  const sampleColumns: TableColumnsType<Sample> = useMemo(
    () => [
      { title: t('imp.col.key'), dataIndex: 'key', width: 90 },
      { title: t('imp.sample.region'), dataIndex: 'regionCode', width: 90 },
      { title: t('imp.sample.address'), dataIndex: 'address', ellipsis: true },
      {
        title: t('imp.sample.members'),
        dataIndex: 'members',
        render: (members: Sample['members']) => (
          <Space direction="vertical" size={0}>
            {members.map((m) => (
              <Typography.Text key={m.idNumber}>
                {m.name}（{labels.relation(m.relation)}） <Typography.Text type="secondary">{m.idNumber}</Typography.Text>
              </Typography.Text>
            ))}
          </Space>
        ),
      },
    ],
    [t, labels],
  );

  const status = current?.status;
  const step = !current ? 0 : status === 'validating' || status === 'uploaded' ? 1 : status === 'validated' ? 2 : 3;
  const percent = job?.percent ?? null;
  const c = current?.counts;

  const progress = (label: string) => (
    <Card>
      <Typography.Paragraph>{label}</Typography.Paragraph>
      <Progress percent={percent ?? 0} status="active" data-testid="import-progress" />
      {job ? (
        <Typography.Text type="secondary">{t('imp.rowsDone', { n: job.progressDone.toLocaleString() })}</Typography.Text>
      ) : null}
    </Card>
  );

  return (
    <div>
      <PageHeader title={t('imp.title')} extra={<Link to="/households">{t('imp.backToList')}</Link>} />
      <Steps
        current={step}
        status={status === 'committed' ? 'finish' : status === 'failed' ? 'error' : undefined}
        size="small"
        style={{ marginBottom: 24, maxWidth: 760 }}
        items={[{ title: t('imp.step.upload') }, { title: t('imp.step.validate') }, { title: t('imp.step.commit') }, { title: t('imp.step.done') }]}
      />

      {!current ? (
        <Card>
          <Form layout="vertical" style={{ maxWidth: 720 }}>
            <Form.Item extra={t('imp.templateHint')}>
              <Button icon={<DownloadOutlined />} href={TEMPLATE_URL} download data-testid="import-template">
                {t('imp.template')}
              </Button>
            </Form.Item>
            <Form.Item label={t('imp.org')} extra={t('imp.orgHint')} required>
              <OrgTreeSelect value={orgId} onChange={setOrgId} onlyActive data-testid="import-org" />
            </Form.Item>
            <Form.Item>
              <Upload.Dragger accept=".xlsx,.csv" multiple={false} showUploadList={false} beforeUpload={beforeUpload} customRequest={customRequest} disabled={uploading || !orgId} data-testid="import-upload">
                <p className="ant-upload-drag-icon">
                  <InboxOutlined />
                </p>
                <p className="ant-upload-text">{t('imp.drop')}</p>
                <p className="ant-upload-hint">{t('imp.dropHint')}</p>
              </Upload.Dragger>
            </Form.Item>
          </Form>
        </Card>
      ) : null}

      {current && (status === 'validating' || status === 'uploaded') ? progress(t('imp.validating')) : null}
      {current && status === 'committing' ? progress(t('imp.committing')) : null}

      {current && c && status !== 'validating' && status !== 'uploaded' ? (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          {status === 'committed' ? (
            <Result
              status="success"
              title={t('imp.doneTitle')}
              subTitle={t('imp.doneDesc', { households: c.committedHouseholds.toLocaleString(), members: c.committedMembers.toLocaleString() })}
              extra={[
                <Link key="list" to="/households">
                  <Button type="primary">{t('imp.toList')}</Button>
                </Link>,
                <Button key="again" onClick={again}>
                  {t('imp.again')}
                </Button>,
              ]}
              data-testid="import-done"
            >
              {c.skippedHouseholds > 0 ? <Alert type="warning" showIcon message={t('imp.skipped', { n: c.skippedHouseholds })} /> : null}
            </Result>
          ) : null}
          {status === 'failed' || status === 'discarded' ? (
            <Result
              status={status === 'failed' ? 'error' : 'info'}
              title={status === 'failed' ? t('imp.failedTitle') : t('imp.discarded')}
              subTitle={current.failure ?? undefined}
              extra={<Button onClick={again}>{t('imp.again')}</Button>}
            />
          ) : null}

          <Card size="small">
            <Descriptions size="small" column={{ xs: 1, md: 2 }} items={[
              { key: 'file', label: t('imp.file'), children: current.fileName },
              { key: 'status', label: t('imp.statusLabel'), children: <Tag>{t(`imp.status.${current.status}`)}</Tag> },
            ]} />
            <Row gutter={[16, 16]} style={{ marginTop: 8 }}>
              <Col xs={12} md={4}><Statistic title={t('imp.counts.rows')} value={c.rows} /></Col>
              <Col xs={12} md={4}><Statistic title={t('imp.counts.households')} value={c.households} /></Col>
              <Col xs={12} md={4}><Statistic title={t('imp.counts.valid')} value={c.validHouseholds} valueStyle={{ color: '#389e0d' }} /></Col>
              <Col xs={12} md={4}><Statistic title={t('imp.counts.validRows')} value={c.validRows} /></Col>
              <Col xs={12} md={4}><Statistic title={t('imp.counts.problemRows')} value={c.problemRows} valueStyle={c.problemRows > 0 ? { color: '#cf1322' } : undefined} /></Col>
              <Col xs={12} md={4}><Statistic title={t('imp.counts.duplicates')} value={c.duplicates} valueStyle={c.duplicates > 0 ? { color: '#d46b08' } : undefined} /></Col>
            </Row>
          </Card>

          {status === 'validated' ? (
            <Card title={t('imp.step.commit')} size="small">
              {c.validHouseholds === 0 ? (
                <Alert type="error" showIcon message={t('imp.nothingValid')} />
              ) : (
                <Flex vertical gap={12}>
                  <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as Mode)} data-testid="import-mode">
                    <Space direction="vertical">
                      <Radio value="valid-only">
                        {t('imp.mode.validOnly')} <Typography.Text type="secondary">— {t('imp.mode.validOnlyHint', { n: c.validHouseholds.toLocaleString() })}</Typography.Text>
                      </Radio>
                      <Radio value="all-or-nothing">
                        {t('imp.mode.allOrNothing')} <Typography.Text type="secondary">— {t('imp.mode.allOrNothingHint')}</Typography.Text>
                      </Radio>
                    </Space>
                  </Radio.Group>
                  {refusal ? <Alert type="error" showIcon message={refusal} data-testid="import-refusal" /> : null}
                  <Flex gap={8} wrap>
                    <Popconfirm title={t('imp.commitConfirm', { n: c.validHouseholds.toLocaleString() })} onConfirm={commit}>
                      <Button type="primary" loading={committing} data-testid="import-commit">
                        {t('imp.commit')}
                      </Button>
                    </Popconfirm>
                    <Popconfirm title={t('imp.discardConfirm')} onConfirm={discard}>
                      <Button data-testid="import-discard">{t('imp.discard')}</Button>
                    </Popconfirm>
                  </Flex>
                </Flex>
              )}
            </Card>
          ) : null}

          {c.problems + c.skippedHouseholds > 0 ? (
            <Card title={`${t('imp.problemsTitle')}（${(c.problems + c.skippedHouseholds).toLocaleString()}）`} size="small" extra={<Typography.Text type="secondary">{t('imp.problemsHint')}</Typography.Text>}>
              <Table<Problem>
                rowKey="seq"
                size="small"
                columns={problemColumns}
                dataSource={problems.items}
                loading={problems.loading}
                pagination={false}
                scroll={{ x: 640 }}
                data-testid="import-problems"
              />
              <KeysetPager list={problems} testIdPrefix="import-problems" />
            </Card>
          ) : status === 'validated' ? (
            <Alert type="success" showIcon message={t('imp.noProblems')} />
          ) : null}

          {current.sample.length > 0 && status === 'validated' ? (
            <Card title={t('imp.sampleTitle', { n: current.sample.length })} size="small">
              <Table<Sample> rowKey="key" size="small" columns={sampleColumns} dataSource={current.sample} pagination={false} scroll={{ x: 640 }} />
            </Card>
          ) : null}
        </Space>
      ) : null}
    </div>
  );
}
