import { useCallback, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Empty, Flex, Form, Input, Modal, Select, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api } from '../../../api/client';
import { type Condition, conditionInWords, useWords } from '../../programmes/words';
import { unwrap } from '../../../api/errors';
import type { ResponseOf } from '../../../api/types';
import { useApiError } from '../../../api/useApiError';
import { useAuth } from '../../../auth/AuthContext';
import { useI18n } from '../../../i18n/context';
import { fenToYuan, YUAN_PATTERN, yuanToFen } from '../../../lib/money';
import { useAsync } from '../../../lib/useAsync';

type ApplicationList = ResponseOf<'/api/applications', 'get'>;
type Application = ApplicationList['items'][number];
type Precheck = ResponseOf<'/api/applications/precheck', 'post'>;
type Status = Application['status'];

/** The members the panel can choose among: for 金秋助学, the students. */
export interface ApplicantMember {
  id: string;
  name: string;
  schoolStage?: string | null;
}
const STUDENT_STAGES = ['senior', 'vocational', 'college'];

const STATUS_COLORS: Record<Status, string> = {
  submitted: 'processing',
  returned: 'warning',
  approved: 'cyan',
  posted: 'blue',
  objected: 'orange',
  payable: 'success',
  rejected: 'error',
  withdrawn: 'default',
};
const ON_FILE = ['verified', 'reverifying'];

/**
 * 帮扶申请: the household's applications (programme, period, amount, status), and a new one:
 * choose a programme, pre-check it (each condition with its figures, the amount and the cap),
 * then submit it for approval. The server recomputes everything; the page only shows it.
 */
export function ApplicationsPanel({ householdId, status, members = [] }: { householdId: string; status: string; members?: ApplicantMember[] }) {
  const { t, lang, has } = useI18n();
  const { message } = App.useApp();
  const { can } = useAuth();
  const { describe, showError } = useApiError();
  const [open, setOpen] = useState(false);
  const [programmeId, setProgrammeId] = useState<string | undefined>();
  const [amountYuan, setAmountYuan] = useState('');
  const [check, setCheck] = useState<Precheck | null>(null);
  const [memberIds, setMemberIds] = useState<string[]>([]);
  const [evidence, setEvidence] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => unwrap(api.GET('/api/applications', { params: { query: { householdId, limit: 200 } } })), [householdId]);
  const { data, error, loading, reload } = useAsync(load, [load]);
  const loadProgrammes = useCallback(() => (open ? unwrap(api.GET('/api/programmes', {})).then((r) => r.items) : Promise.resolve([])), [open]);
  const programmes = useAsync(loadProgrammes, [loadProgrammes]);
  const loadScans = useCallback(
    () => (open ? unwrap(api.GET('/api/households/{id}/attachments', { params: { path: { id: householdId } } })).then((r) => r.items) : Promise.resolve([])),
    [open, householdId],
  );
  const scans = useAsync(loadScans, [loadScans]);
  const students = members.filter((m) => m.schoolStage && STUDENT_STAGES.includes(m.schoolStage));
  const programme = programmes.data?.find((p) => p.id === programmeId);
  const needs = programme?.formula && typeof programme.formula === 'object' ? (programme.formula as { kind: string }).kind : null;

  const canApply = can('application.write') && ON_FILE.includes(status);

  const request = (): { outOfPocketFen?: string; requestedFen?: string; memberIds?: string[]; evidence?: string[] } | null => {
    const cited = evidence.length > 0 ? { evidence } : {};
    if (needs === 'bySchoolStage') return memberIds.length > 0 ? { memberIds, ...cited } : cited;
    if (needs !== 'shareOfCost' && needs !== 'loan') return cited;
    const fen = YUAN_PATTERN.test(amountYuan.trim()) ? yuanToFen(amountYuan) : null;
    if (fen === null) return null;
    return needs === 'shareOfCost' ? { outOfPocketFen: fen, ...cited } : { requestedFen: fen, ...cited };
  };

  const runCheck = async () => {
    const r = request();
    if (!programmeId || r === null) return void message.warning(t('apply.yuanInvalid'));
    setBusy(true);
    try {
      setCheck(await unwrap(api.POST('/api/applications/precheck', { body: { householdId, programmeId, request: r } })));
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };

  const submit = async () => {
    const r = request();
    if (!programmeId || r === null) return;
    setBusy(true);
    try {
      await unwrap(api.POST('/api/applications', { body: { householdId, programmeId, request: r } }));
      void message.success(t('apply.submitted'));
      setOpen(false);
      reload();
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };

  const words = useWords();
  const conditionText = (c: unknown): string => conditionInWords(c as Condition, words);
  /** A rule's figures in words: money in yuan, shares in per cent, codes by their labels; member ids left out. */
  const figuresText = (f: Record<string, unknown>) => {
    const one = (k: string, v: unknown): string => {
      if (v === null || v === undefined) return '—';
      if (typeof v === 'boolean') return t(v ? 'hh.yes' : 'hh.no');
      if (k.endsWith('Fen') && typeof v === 'string') return `${fenToYuan(v)} 元`;
      if (k.endsWith('Bp') && typeof v === 'number') return `${v / 100}%`;
      if (k === 'schoolStage' || k === 'seen') return words.code('prog.stage.', String(v));
      if (k === 'hardshipType') return words.code('prog.type.', String(v));
      if (k === 'status') return words.code('status', String(v));
      if (k === 'batches') return words.code('prog.batch.', String(v));
      if (k === 'targetGroups') return words.code('group', Number(v));
      return String(v);
    };
    return Object.entries(f)
      .filter(([k]) => k !== 'member')
      .map(([k, v]) => {
        const key = `apply.fig.${k}`;
        const value = Array.isArray(v) ? v.map((x) => one(k, x)).join('、') : one(k, v);
        return `${has(key) ? t(key) : k} ${value}`;
      })
      .join('；');
  };
  const stepText = (step: string) => {
    const key = `apply.step.${step}`;
    return has(key) ? t(key) : step;
  };

  const columns = useMemo<TableColumnsType<Application>>(
    () => [
      { title: t('apply.programme'), key: 'programme', render: (_: unknown, a) => (lang === 'en' ? a.programmeNameEn : a.programmeNameZh) },
      { title: t('apply.period'), dataIndex: 'period', width: 120 },
      { title: t('apply.amount'), dataIndex: 'amountFen', width: 130, align: 'right', render: (v: string) => fenToYuan(v) },
      {
        title: t('apply.evidence'),
        key: 'evidence',
        width: 110,
        render: (_: unknown, a) => {
          const cited = (a.request as { evidence?: { fileName: string }[] }).evidence ?? [];
          return cited.length === 0 ? '—' : <Typography.Text title={cited.map((e) => e.fileName).join('\n')}>{t('apply.evidenceCount', { n: cited.length })}</Typography.Text>;
        },
      },
      { title: t('apply.status'), dataIndex: 'status', width: 130, render: (s: Status) => <Tag color={STATUS_COLORS[s]} data-testid="application-status">{t(`apply.s.${s}`)}</Tag> },
      { title: t('apply.createdAt'), dataIndex: 'createdAt', width: 120, render: (v: string) => v.slice(0, 10) },
    ],
    [t, lang],
  );

  const blocked = check ? !check.eligible || !check.withinCap || check.amountFen === '0' : true;

  return (
    <Card
      size="small"
      title={t('apply.title')}
      extra={
        canApply ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              setProgrammeId(undefined);
              setAmountYuan('');
              setCheck(null);
              setMemberIds([]);
              setEvidence([]);
              setOpen(true);
            }}
            data-testid="application-new"
          >
            {t('apply.new')}
          </Button>
        ) : null
      }
    >
      {!ON_FILE.includes(status) ? <Alert type="info" showIcon message={t('apply.notOnFile')} style={{ marginBottom: 12 }} /> : null}
      {error && !data ? <Alert type="error" showIcon message={describe(error)} style={{ marginBottom: 12 }} /> : null}
      <Table<Application>
        rowKey="id"
        size="small"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        pagination={false}
        data-testid="applications-table"
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('apply.empty')} /> }}
      />
      <Modal
        open={open}
        title={t('apply.newTitle')}
        onCancel={() => setOpen(false)}
        width={640}
        footer={[
          <Button key="check" onClick={runCheck} loading={busy} disabled={!programmeId} data-testid="application-check">
            {t('apply.check')}
          </Button>,
          <Button key="submit" type="primary" onClick={submit} loading={busy} disabled={blocked} data-testid="application-submit">
            {t('apply.submit')}
          </Button>,
        ]}
      >
        <Form layout="vertical">
          <Form.Item label={t('apply.programme')} required>
            <Select
              value={programmeId}
              loading={programmes.loading}
              onChange={(v: string) => {
                setProgrammeId(v);
                setCheck(null);
              }}
              data-testid="application-programme"
              options={(programmes.data ?? []).filter((p) => p.active).map((p) => ({ value: p.id, label: lang === 'en' ? p.nameEn : p.nameZh }))}
            />
          </Form.Item>
          {needs === 'shareOfCost' || needs === 'loan' ? (
            <Form.Item label={t(needs === 'loan' ? 'apply.requested' : 'apply.outOfPocket')} required>
              <Input
                value={amountYuan}
                inputMode="decimal"
                onChange={(e) => {
                  setAmountYuan(e.target.value);
                  setCheck(null);
                }}
              />
            </Form.Item>
          ) : null}
          {needs === 'bySchoolStage' && students.length > 0 ? (
            <Form.Item label={t('apply.students')} extra={t('apply.studentsHint')}>
              <Select
                mode="multiple"
                value={memberIds}
                onChange={(v: string[]) => {
                  setMemberIds(v);
                  setCheck(null);
                }}
                options={students.map((m) => ({ value: m.id, label: `${m.name}（${words.code('prog.stage.', String(m.schoolStage))}）` }))}
                data-testid="application-members"
              />
            </Form.Item>
          ) : null}
          <Form.Item label={t('apply.evidence')} extra={t('apply.evidenceHint')}>
            <Select
              mode="multiple"
              value={evidence}
              loading={scans.loading}
              onChange={(v: string[]) => setEvidence(v)}
              options={(scans.data ?? []).map((a) => ({ value: a.id, label: a.description ? `${a.fileName}（${a.description}）` : a.fileName }))}
              notFoundContent={t('apply.evidenceNone')}
              data-testid="application-evidence"
            />
          </Form.Item>
        </Form>
        {check ? (
          <Flex vertical gap={8}>
            <Alert
              type={check.eligible && check.withinCap && check.amountFen !== '0' ? 'success' : 'warning'}
              showIcon
              message={check.eligible ? t('apply.result', { amount: fenToYuan(check.amountFen), period: check.period }) : t('apply.ineligible')}
              description={check.eligible && !check.withinCap ? t('apply.overCap') : check.eligible && check.amountFen === '0' ? t('apply.zero') : undefined}
            />
            <Typography.Text strong>{t('apply.conditions')}</Typography.Text>
            {check.eligibility.map((l, i) => (
              <Flex key={i} gap={8} align="baseline">
                <Tag color={l.passed ? 'success' : 'error'}>{t(l.passed ? 'apply.pass' : 'apply.fail')}</Tag>
                <span>{conditionText(l.condition)}</span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {figuresText(l.figures)}
                </Typography.Text>
              </Flex>
            ))}
            <Typography.Text strong>{t('apply.benefit')}</Typography.Text>
            {check.benefit.map((b, i) => (
              <Typography.Text key={i} type="secondary" style={{ fontSize: 12 }}>
                {stepText(b.step)}：{figuresText(b.figures)}
              </Typography.Text>
            ))}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {check.cap.capFen === null
                ? t('apply.noCap')
                : t('apply.capLine', { cap: fenToYuan(check.cap.capFen), granted: fenToYuan(check.cap.grantedThisYearFen), allowed: fenToYuan(check.cap.allowedFen ?? '0') })}
            </Typography.Text>
          </Flex>
        ) : null}
      </Modal>
    </Card>
  );
}
