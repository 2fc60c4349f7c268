import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Flex, Input, Modal, Popconfirm, Progress, Result, Space, Spin, Typography, Upload } from 'antd';
import { ArrowLeftOutlined, CloudDownloadOutlined, ExportOutlined, ReloadOutlined, SendOutlined, UploadOutlined } from '@ant-design/icons';
import type { UploadProps } from 'antd';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { useApiError } from '../../api/useApiError';
import { useAuth } from '../../auth/AuthContext';
import { PageHeader } from '../../components/PageHeader';
import { useI18n } from '../../i18n/context';
import { formatDateTime } from '../../lib/format';
import { type Job, useJob } from '../../lib/jobs';
import { CycleLines } from './CycleLines';
import { bankFileUrl, closeCycle, type Reconciliation, reconciliation, startExport, uploadResults } from './paymentsApi';
import { ReconciliationCard } from './ReconciliationCard';
import { type Cycle, type CycleStatus, CycleStatusTag, programmeName, yuan } from './shared';

type Approval = Awaited<ReturnType<typeof loadApproval>>;
const loadApproval = (id: string) => unwrap(api.GET('/api/approvals/{id}', { params: { path: { id } } }));

type Work = 'generate' | 'export' | 'import';
const EXPORTED: readonly CycleStatus[] = ['exported', 'paid', 'partly_failed', 'closed'];
const SETTLED: readonly CycleStatus[] = ['paid', 'partly_failed', 'closed'];
const MAX_BYTES = 20 * 1024 * 1024;

/** 发放批次详情: the cycle, the steps its status allows, its reconciliation and its lines. */
export default function CycleDetailPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { describe, showError } = useApiError();
  const { message } = App.useApp();
  const { id = '' } = useParams();
  const [cycle, setCycle] = useState<Cycle | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [approval, setApproval] = useState<Approval | null>(null);
  const [rec, setRec] = useState<Reconciliation | null>(null);
  const [recLoading, setRecLoading] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [opinion, setOpinion] = useState('');
  const [work, setWork] = useState<Work | null>(null);
  const [jobError, setJobError] = useState<{ work: Work; error: string } | null>(null);
  const { job, follow, reset } = useJob();
  const followed = useRef<string | null>(null);
  const mayManage = can('payment.manage');
  const [openFlags, setOpenFlags] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      const c = await unwrap(api.GET('/api/payments/cycles/{id}', { params: { path: { id } } }));
      setCycle(c);
      return c;
    } catch (err) {
      setLoadError(err);
      return null;
    }
  }, [id]);

  /** Follows a job to its end, then reloads the cycle; a failed job's error stays on the page. */
  const runJob = useCallback(
    async (w: Work, start: () => Promise<Job>) => {
      setWork(w);
      setJobError(null);
      try {
        const ended = await follow(start);
        if (ended.status === 'failed' || ended.status === 'cancelled') setJobError({ work: w, error: ended.error ?? t('pay.job.failed') });
        else if (ended.status === 'succeeded') void message.success(t(`pay.job.done.${w}`));
      } catch (err) {
        showError(err);
      } finally {
        setWork(null);
        reset();
        await reload();
      }
    },
    [follow, reset, reload, showError, message, t],
  );

  useEffect(() => {
    void reload();
  }, [reload]);

  // a generation still running when the page opens: follow it
  useEffect(() => {
    if (!cycle?.jobId || cycle.status !== 'generating' || work || followed.current === cycle.jobId) return;
    followed.current = cycle.jobId;
    const jobId = cycle.jobId;
    void runJob('generate', () => unwrap(api.GET('/api/jobs/{id}', { params: { path: { id: jobId } } })));
  }, [cycle?.jobId, cycle?.status, work, runJob]);

  useEffect(() => {
    if (!cycle?.approvalId || cycle.status !== 'submitted') {
      setApproval(null);
      return;
    }
    loadApproval(cycle.approvalId).then(setApproval, () => setApproval(null));
  }, [cycle?.approvalId, cycle?.status]);

  // a supervision scan queued or running: look again every two seconds until it has finished
  useEffect(() => {
    if (!cycle?.scanning) return;
    const timer = setTimeout(() => void reload(), 2000);
    return () => clearTimeout(timer);
  }, [cycle, reload]);

  // open supervision flags of this cycle (found when it is submitted)
  useEffect(() => {
    if (!cycle) return;
    unwrap(api.GET('/api/payments/flags', { params: { query: { cycleId: id, status: 'open', limit: 100 } } })).then(
      (r) => setOpenFlags(r.items.length === 0 ? null : r.nextCursor ? '100+' : String(r.items.length)),
      () => setOpenFlags(null),
    );
  }, [id, cycle?.status, cycle?.version, cycle?.scanning]); // eslint-disable-line react-hooks/exhaustive-deps

  const loadRec = useCallback(async () => {
    setRecLoading(true);
    try {
      setRec(await reconciliation(id));
    } catch (err) {
      showError(err);
    } finally {
      setRecLoading(false);
    }
  }, [id, showError]);

  useEffect(() => {
    if (cycle && SETTLED.includes(cycle.status)) void loadRec();
    else setRec(null);
  }, [cycle?.status, cycle?.version, loadRec]); // eslint-disable-line react-hooks/exhaustive-deps

  const act = async (name: string, fn: () => Promise<unknown>, done: string) => {
    setBusy(name);
    try {
      await fn();
      void message.success(done);
      await reload();
    } catch (err) {
      showError(err);
      await reload();
    } finally {
      setBusy(null);
    }
  };

  const back = (
    <Link to="/payments">
      <ArrowLeftOutlined /> {t('pay.back')}
    </Link>
  );
  if (loadError) {
    return (
      <>
        {back}
        <Result status="warning" title={describe(loadError)} />
      </>
    );
  }
  if (!cycle) {
    return (
      <Flex justify="center" style={{ padding: 64 }}>
        <Spin />
      </Flex>
    );
  }

  const c = cycle;
  const submit = async () => {
    setBusy('submit');
    try {
      await unwrap(api.POST('/api/payments/cycles/{id}/submit', { params: { path: { id: c.id } }, body: { version: c.version, opinion: opinion.trim() || null } }));
      setSubmitting(false);
      setOpinion('');
      void message.success(t('pay.done.submit'));
    } catch (err) {
      showError(err);
    } finally {
      setBusy(null);
      await reload();
    }
  };

  const customRequest: UploadProps['customRequest'] = ({ file, onSuccess, onError }) => {
    const f = file as File;
    void runJob('import', async () => {
      try {
        const j = await uploadResults(c.id, f);
        onSuccess?.(j);
        return j;
      } catch (err) {
        onError?.(err as Error);
        throw err;
      }
    });
  };
  const beforeUpload: UploadProps['beforeUpload'] = (file) => {
    if (!/\.(xlsx|csv)$/i.test(file.name)) {
      void message.error(t('pay.imp.badType', { name: file.name }));
      return Upload.LIST_IGNORE;
    }
    if (file.size > MAX_BYTES) {
      void message.error(t('pay.imp.tooLarge', { name: file.name }));
      return Upload.LIST_IGNORE;
    }
    return true;
  };

  const running = work !== null;
  const actions: ReactNode[] = [];
  if (mayManage && c.status === 'draft') {
    actions.push(
      <Button key="regen" icon={<ReloadOutlined />} disabled={running} loading={busy === 'regen'} onClick={() => void runJob('generate', async () => {
        const r = await unwrap(api.POST('/api/payments/cycles/{id}/regenerate', { params: { path: { id: c.id } } }));
        setCycle(r);
        return unwrap(api.GET('/api/jobs/{id}', { params: { path: { id: r.jobId! } } }));
      })} data-testid="pay-regenerate">
        {t('pay.act.regenerate')}
      </Button>,
      <Popconfirm key="cancel" title={t('pay.act.cancelConfirm')} okText={t('pay.act.cancel')} okButtonProps={{ danger: true }} cancelText={t('common.cancel')} onConfirm={() => act('cancel', () => unwrap(api.POST('/api/payments/cycles/{id}/cancel', { params: { path: { id: c.id } } })), t('pay.done.cancel'))}>
        <Button danger disabled={running} loading={busy === 'cancel'} data-testid="pay-cancel">
          {t('pay.act.cancel')}
        </Button>
      </Popconfirm>,
      <Button key="submit" type="primary" icon={<SendOutlined />} disabled={running || c.lineCount === 0} onClick={() => setSubmitting(true)} data-testid="pay-submit">
        {t('pay.act.submit')}
      </Button>,
    );
  }
  if (mayManage && c.status === 'approved') {
    actions.push(
      <Button key="export" type="primary" icon={<ExportOutlined />} loading={work === 'export'} disabled={running} onClick={() => void runJob('export', () => startExport(c.id))} data-testid="pay-export">
        {t('pay.act.export')}
      </Button>,
    );
  }
  if (EXPORTED.includes(c.status)) {
    actions.push(
      <Space.Compact key="download">
        <Button icon={<CloudDownloadOutlined />} href={bankFileUrl(c.id, 'xlsx')} download data-testid="pay-download-xlsx">
          {t('pay.act.downloadXlsx')}
        </Button>
        <Button href={bankFileUrl(c.id, 'csv')} download data-testid="pay-download-csv">
          CSV
        </Button>
      </Space.Compact>,
    );
  }
  if (mayManage && c.status === 'exported') {
    actions.push(
      <Upload key="import" accept=".xlsx,.csv" multiple={false} showUploadList={false} beforeUpload={beforeUpload} customRequest={customRequest} disabled={running}>
        <Button type="primary" icon={<UploadOutlined />} loading={work === 'import'} data-testid="pay-import">
          {t('pay.act.import')}
        </Button>
      </Upload>,
    );
  }
  if (mayManage && (c.status === 'paid' || c.status === 'partly_failed')) {
    const closable = rec !== null && rec.balanced && rec.pending.count === 0;
    actions.push(
      <Popconfirm key="close" title={t('pay.act.closeConfirm')} okText={t('pay.act.close')} cancelText={t('common.cancel')} onConfirm={() => act('close', () => closeCycle(c.id), t('pay.done.close'))} disabled={!closable}>
        <Button type="primary" disabled={!closable || running} loading={busy === 'close'} title={closable ? undefined : t('pay.act.closeHint')} data-testid="pay-close">
          {t('pay.act.close')}
        </Button>
      </Popconfirm>,
    );
  }

  const step = approval ? approval.steps[approval.currentStep] : undefined;

  return (
    <>
      <div style={{ marginBottom: 8 }}>{back}</div>
      <PageHeader
        title={
          <Flex gap={12} align="center" wrap>
            <span>
              {programmeName(c, lang)} · {c.period}
            </span>
            <CycleStatusTag status={c.status} t={t} />
          </Flex>
        }
        extra={actions.length ? <Flex gap={8} wrap>{actions}</Flex> : undefined}
      />
      {running && job ? (
        <Card size="small" style={{ marginBottom: 16 }} data-testid="pay-job">
          <Flex gap={16} align="center">
            <Typography.Text style={{ whiteSpace: 'nowrap' }}>{t(`pay.job.running.${work}`)}</Typography.Text>
            <Progress
              percent={job.percent ?? 0}
              status="active"
              format={() => (job.progressTotal !== null ? `${job.progressDone.toLocaleString()} / ${job.progressTotal.toLocaleString()}` : '…')}
              style={{ flex: 1, margin: 0 }}
            />
          </Flex>
        </Card>
      ) : null}
      {jobError ? (
        <Alert
          type="error"
          showIcon
          closable
          onClose={() => setJobError(null)}
          style={{ marginBottom: 16 }}
          message={t(`pay.job.failedOf.${jobError.work}`)}
          description={<span style={{ whiteSpace: 'pre-wrap' }}>{jobError.error}</span>}
          data-testid="pay-job-error"
        />
      ) : null}
      {c.status === 'submitted' ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="pay-approval"
          message={step ? t('pay.appr.waiting', { n: (approval?.currentStep ?? 0) + 1, of: approval?.steps.length ?? 1, level: t(`appr.level.${step.level}`) }) : t('pay.appr.waitingPlain')}
          description={t('pay.appr.hint')}
          action={
            can('payment.approve') ? (
              <Link to="/approvals" data-testid="pay-approval-link">
                {t('pay.appr.open')}
              </Link>
            ) : undefined
          }
        />
      ) : null}
      {c.status === 'approved' ? <Alert type="success" showIcon style={{ marginBottom: 16 }} message={t('pay.approvedHint')} /> : null}
      {c.status === 'exported' ? <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('pay.exportedHint')} /> : null}
      {c.scanning ? <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('pay.flag.scanning')} data-testid="pay-scanning" /> : null}
      {openFlags ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('pay.flag.cycleAlert', { n: openFlags })}
          action={<Link to={`/payments/flags?cycleId=${encodeURIComponent(c.id)}`} data-testid="pay-flags-link">{t('pay.flag.cycleAlertOpen')}</Link>}
          data-testid="pay-flags-alert"
        />
      ) : null}
      <Card style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} data-testid="pay-summary">
          <Descriptions.Item label={t('pay.d.org')}>{c.orgName}</Descriptions.Item>
          <Descriptions.Item label={t('pay.d.period')}>{c.period}</Descriptions.Item>
          <Descriptions.Item label={t('pay.d.basis')}>{t(`pay.basis.${c.basis}`)}</Descriptions.Item>
          <Descriptions.Item label={t('pay.d.lines')}>{c.status === 'generating' ? '…' : t('pay.households', { n: c.lineCount.toLocaleString() })}</Descriptions.Item>
          <Descriptions.Item label={t('pay.d.total')}>
            <Typography.Text strong data-testid="pay-total">
              {c.status === 'generating' ? '…' : t('pay.yuan', { amount: yuan(c.totalFen) })}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('pay.d.created')}>
            {c.createdByName ?? ''} · {formatDateTime(c.createdAt, true)}
          </Descriptions.Item>
          {SETTLED.includes(c.status) ? (
            <>
              <Descriptions.Item label={t('pay.d.paid')}>
                <span data-testid="pay-paid">{t('pay.countAmount', { n: c.paidCount.toLocaleString(), amount: yuan(c.paidFen) })}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('pay.d.failed')}>
                <Typography.Text type={c.failedCount > 0 ? 'danger' : undefined} data-testid="pay-failed">
                  {t('pay.countAmount', { n: c.failedCount.toLocaleString(), amount: yuan(c.failedFen) })}
                </Typography.Text>
              </Descriptions.Item>
            </>
          ) : null}
        </Descriptions>
      </Card>
      {SETTLED.includes(c.status) ? <ReconciliationCard data={rec} loading={recLoading} onRefresh={() => void loadRec()} /> : null}
      <CycleLines cycle={c} />
      <Modal
        open={submitting}
        title={t('pay.submit.title')}
        okText={t('pay.act.submit')}
        cancelText={t('common.cancel')}
        confirmLoading={busy === 'submit'}
        onOk={() => void submit()}
        onCancel={() => setSubmitting(false)}
        okButtonProps={{ 'data-testid': 'pay-submit-ok' } as never}
        destroyOnHidden
      >
        <Typography.Paragraph>{t('pay.submit.summary', { n: c.lineCount.toLocaleString(), amount: yuan(c.totalFen) })}</Typography.Paragraph>
        <Input.TextArea rows={3} maxLength={2000} value={opinion} onChange={(e) => setOpinion(e.target.value)} placeholder={t('pay.submit.opinion')} data-testid="pay-submit-opinion" />
      </Modal>
    </>
  );
}
