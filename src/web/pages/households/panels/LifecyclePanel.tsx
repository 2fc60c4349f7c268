import { type ReactNode, useCallback, useState } from 'react';
import { Alert, App, Button, Card, Flex, Form, Input, Popconfirm, Select, Skeleton, Steps, Tag, Timeline, Typography } from 'antd';
import { CheckCircleOutlined, CloseCircleOutlined, ExclamationCircleOutlined, RollbackOutlined, SendOutlined } from '@ant-design/icons';
import { api } from '../../../api/client';
import { ApiError, unwrap } from '../../../api/errors';
import { useApiError } from '../../../api/useApiError';
import { useAuth } from '../../../auth/AuthContext';
import { FormModal } from '../../../components/FormModal';
import { useI18n } from '../../../i18n/context';
import { formatDateTime } from '../../../lib/format';
import { useAsync } from '../../../lib/useAsync';
import { type ApprovalDetail, withdrawApproval } from '../../approvals/approvalsApi';
import { DecideModal } from '../../approvals/DecideModal';

const EXIT_REASONS = ['employment_income', 'social_security', 'other'] as const;
const REMOVAL_REASONS = ['not_eligible', 'false_information', 'deceased', 'moved_away', 'duplicate', 'other'] as const;
const ON_FILE = new Set(['verified', 'reverifying']);
const ENDED = new Set(['exited', 'removed']);

type Mode = 'submit' | 'exit' | 'remove' | 'reenter';

interface Values {
  reason?: string;
  note?: string;
}

/** Where the file stands on the way draft → approval → on file → exit/removal. */
function stepIndex(status: string): number {
  if (status === 'draft') return 0;
  if (status === 'submitted') return 1;
  if (ON_FILE.has(status)) return 2;
  return 3;
}

/**
 * 档案状态: the file's lifecycle (draft → submitted → on file → exited/removed), the actions its
 * status and the user's permissions allow, and its approval — steps, opinions, and the decision
 * when the user is the current checker. Calls `onChanged` after every change so the page reloads.
 */
export function LifecyclePanel({ householdId, version, status, onChanged }: { householdId: string; version: number; status: string; onChanged: () => void }) {
  const { t, has } = useI18n();
  const { message } = App.useApp();
  const { can } = useAuth();
  const { showError } = useApiError();
  const [mode, setMode] = useState<Mode | null>(null);
  const [deciding, setDeciding] = useState(false);
  const [form] = Form.useForm<Values>();
  const reason = Form.useWatch('reason', form);

  const load = useCallback(
    () => unwrap(api.GET('/api/households/{id}/approval', { params: { path: { id: householdId } } })).then((r) => r.approval as ApprovalDetail | null),
    // version and status change with every lifecycle step: the approval is reloaded with them
    [householdId, version, status],
  );
  const { data: approval, loading, error, reload } = useAsync(load, [load]);

  const changed = useCallback(() => {
    reload();
    onChanged();
  }, [reload, onChanged]);

  /** A stale version: someone else changed the file first. */
  const conflict = (err: unknown) => err instanceof ApiError && err.status === 409 && err.fieldErrors.some((f) => f.field === 'version');

  const run = async (values: Values) => {
    if (!mode) return;
    const note = values.note?.trim() || null;
    const path = { params: { path: { id: householdId } } };
    try {
      if (mode === 'submit') await unwrap(api.POST('/api/households/{id}/submit', { ...path, body: { version, opinion: note } }));
      if (mode === 'exit') await unwrap(api.POST('/api/households/{id}/exit', { ...path, body: { version, reason: values.reason as (typeof EXIT_REASONS)[number], note } }));
      if (mode === 'remove') await unwrap(api.POST('/api/households/{id}/remove', { ...path, body: { version, reason: values.reason as (typeof REMOVAL_REASONS)[number], note } }));
      if (mode === 'reenter') await unwrap(api.POST('/api/households/{id}/reenter', { ...path, body: { version, note } }));
    } catch (err) {
      if (conflict(err)) {
        void message.warning(t('life.stale'));
        setMode(null);
        form.resetFields();
        changed();
        return;
      }
      throw err;
    }
    void message.success(t(`life.done.${mode}`));
    setMode(null);
    form.resetFields();
    changed();
  };

  const withdraw = async () => {
    if (!approval) return;
    try {
      await withdrawApproval(approval.id, approval.version);
      void message.success(t('life.done.withdraw'));
    } catch (err) {
      showError(err);
    }
    changed();
  };

  const canWrite = can('household.write');
  const actions = [
    status === 'draft' && canWrite ? (
      <Button key="submit" type="primary" icon={<SendOutlined />} onClick={() => setMode('submit')} data-testid="life-submit">
        {t('life.submit')}
      </Button>
    ) : null,
    approval?.mayDecide ? (
      <Button key="decide" type="primary" icon={<CheckCircleOutlined />} onClick={() => setDeciding(true)} data-testid="life-decide">
        {t('appr.decide')}
      </Button>
    ) : null,
    approval?.mayWithdraw && status === 'submitted' ? (
      <Popconfirm key="withdraw" title={t('life.withdrawConfirm')} onConfirm={withdraw}>
        <Button icon={<RollbackOutlined />} data-testid="life-withdraw">
          {t('life.withdraw')}
        </Button>
      </Popconfirm>
    ) : null,
    ON_FILE.has(status) && canWrite ? (
      <Button key="exit" onClick={() => setMode('exit')} data-testid="life-exit">
        {t('life.exit')}
      </Button>
    ) : null,
    (status === 'draft' && canWrite) || (ON_FILE.has(status) && can('household.approve')) ? (
      <Button key="remove" danger onClick={() => setMode('remove')} data-testid="life-remove">
        {t('life.remove')}
      </Button>
    ) : null,
    ENDED.has(status) && canWrite ? (
      <Button key="reenter" onClick={() => setMode('reenter')} data-testid="life-reenter">
        {t('life.reenter')}
      </Button>
    ) : null,
  ].filter(Boolean);

  const current = stepIndex(status);
  const statusLabel = (s: string) => {
    const key = `life.status.${s}`;
    return has(key) ? t(key) : s;
  };
  const ended = ENDED.has(status);

  return (
    <Flex vertical gap={16} data-testid="lifecycle-panel">
      <Card size="small" title={t('life.title')} extra={<Tag color={ended ? 'default' : ON_FILE.has(status) ? 'success' : 'processing'}>{statusLabel(status)}</Tag>}>
        <Steps
          size="small"
          current={current}
          status={status === 'removed' ? 'error' : ended ? 'finish' : 'process'}
          items={[
            { title: t('life.step.draft') },
            { title: t('life.step.submitted') },
            { title: t('life.step.verified') },
            { title: ended ? statusLabel(status) : t('life.step.ended') },
          ]}
          style={{ marginBottom: actions.length > 0 ? 16 : 0 }}
        />
        {actions.length > 0 ? (
          <Flex gap={8} wrap>
            {actions}
          </Flex>
        ) : null}
      </Card>

      {/* No approval yet (a draft, or a file that predates this system): the steps above say enough. */}
      {approval || (loading && approval === undefined) || error ? (
        <Card size="small" title={t('life.approval')} extra={approval ? <Tag>{t(`appr.status.${approval.status}`)}</Tag> : null}>
          {loading && approval === undefined ? (
            <Skeleton active paragraph={{ rows: 2 }} />
          ) : error ? (
            <Alert type="warning" showIcon title={t('error.UNKNOWN')} />
          ) : approval ? (
            <ApprovalView approval={approval} />
          ) : null}
          {approval?.mayDecide ? <Alert type="info" showIcon title={t('life.decideHint')} style={{ marginTop: 12 }} /> : null}
        </Card>
      ) : null}

      <FormModal<Values>
        open={mode !== null}
        title={mode ? t(`life.${mode}Title`) : ''}
        okText={t('life.confirm')}
        onClose={() => setMode(null)}
        form={form}
        name="lifecycle"
        onSubmit={run}
        okTestId="life-ok"
        resetOnCancel
      >
        {mode ? (
          <Alert
            type={mode === 'remove' ? 'warning' : 'info'}
            showIcon
            style={{ marginBottom: 16 }}
            message={t(mode === 'submit' && approval?.status === 'returned' ? 'life.resubmitHint' : `life.${mode}Hint`)}
          />
        ) : null}
        {mode === 'exit' || mode === 'remove' ? (
          <Form.Item name="reason" label={t('life.reason')} rules={[{ required: true }]}>
            <Select
              data-testid="life-reason"
              options={(mode === 'exit' ? EXIT_REASONS : REMOVAL_REASONS).map((r) => ({
                value: r,
                label: mode === 'exit' ? t(`life.exitReason.${r as (typeof EXIT_REASONS)[number]}`) : t(`life.removalReason.${r as (typeof REMOVAL_REASONS)[number]}`),
              }))}
            />
          </Form.Item>
        ) : null}
        <Form.Item
          name="note"
          label={mode === 'exit' || mode === 'remove' ? t('life.note') : t('life.remark')}
          rules={[{ required: reason === 'other' && (mode === 'exit' || mode === 'remove'), whitespace: true, message: t('life.noteRequired') }, { max: 500 }]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount data-testid="life-note" />
        </Form.Item>
      </FormModal>

      <DecideModal
        open={deciding}
        approval={approval ?? null}
        subject={approval?.subjectLabel ?? ''}
        onClose={() => setDeciding(false)}
        onDone={() => {
          setDeciding(false);
          changed();
        }}
        onConflict={changed}
      />
    </Flex>
  );
}

const actionIcon: Record<string, ReactNode> = {
  approve: <CheckCircleOutlined style={{ color: '#389e0d' }} />,
  reject: <CloseCircleOutlined style={{ color: '#cf1322' }} />,
  return: <ExclamationCircleOutlined style={{ color: '#d48806' }} />,
};

/** One approval: its steps by level, then every action with who, when and the opinion. */
function ApprovalView({ approval }: { approval: ApprovalDetail }) {
  const { t } = useI18n();
  const a = approval;
  const stepStatus = (i: number): 'wait' | 'process' | 'finish' | 'error' => {
    if (a.status === 'approved') return 'finish';
    if (i < a.currentStep) return 'finish';
    if (i > a.currentStep) return 'wait';
    if (a.status === 'rejected') return 'error';
    if (a.status === 'pending') return 'process';
    return 'wait';
  };
  return (
    <Flex vertical gap={12}>
      <Steps
        size="small"
        current={a.currentStep}
        items={a.steps.map((s, i) => ({
          title: t('appr.stepOf', { n: i + 1, level: t(`appr.level.${s.level}`) }),
          status: stepStatus(i),
          ...(a.status === 'returned' && i === a.currentStep ? { icon: <ExclamationCircleOutlined style={{ color: '#d48806' }} /> } : {}),
        }))}
      />
      <Timeline
        style={{ marginTop: 8 }}
        items={a.actions.map((x) => ({
          dot: actionIcon[x.action],
          children: (
            <Flex vertical gap={2}>
              <Typography.Text>
                <Typography.Text strong>{t(`appr.action.${x.action}`)}</Typography.Text>
                {' · '}
                {x.actor.name}
                {a.round > 1 ? <Typography.Text type="secondary">{` · ${t('appr.round', { n: x.round })}`}</Typography.Text> : null}
              </Typography.Text>
              {x.opinion ? <Typography.Text type="secondary">“{x.opinion}”</Typography.Text> : null}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatDateTime(x.at, true)}
              </Typography.Text>
            </Flex>
          ),
        }))}
      />
    </Flex>
  );
}
