import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Flex, Select, Tooltip, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import type { TableColumnsType } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { useApiError } from '../../api/useApiError';
import { useAuth } from '../../auth/AuthContext';
import { KeysetTable } from '../../components/KeysetPager';
import { PageHeader } from '../../components/PageHeader';
import { useI18n } from '../../i18n/context';
import { formatDateTime } from '../../lib/format';
import { useKeysetPage } from '../../lib/useKeysetPage';
import { type Decision, FlagsDecideModal } from './FlagsDecideModal';
import { FLAG_KINDS, FLAG_STATUSES, type Flag, type FlagKind, FlagKindTag, type FlagStatus, FlagStatusTag, flagDetails } from './FlagsShared';
import { programmeName } from './shared';

const muted = { fontSize: 12 } as const;

/** 资金监督: the supervision flags of the user's scope (open ones first by default), each acknowledged or resolved with a note. */
export default function FlagsPage() {
  const { t, lang, has } = useI18n();
  const { can } = useAuth();
  const { showError } = useApiError();
  const [params, setParams] = useSearchParams();
  const cycleId = params.get('cycleId') ?? undefined;
  const [status, setStatus] = useState<FlagStatus | undefined>('open');
  const [kind, setKind] = useState<FlagKind | undefined>(undefined);
  const [cycleName, setCycleName] = useState<string | null>(null);
  const [deciding, setDeciding] = useState<Flag | null>(null);
  const [decision, setDecision] = useState<Decision>('acknowledged');
  const decide = useCallback((f: Flag, d: Decision) => {
    setDecision(d);
    setDeciding(f);
  }, []);
  const mayDecide = can('payment.manage') || can('payment.approve') || can('inspection.manage');

  useEffect(() => {
    setCycleName(null);
    if (!cycleId) return;
    unwrap(api.GET('/api/payments/cycles/{id}', { params: { path: { id: cycleId } } })).then(
      (c) => setCycleName(`${programmeName(c, lang)} · ${c.period}`),
      () => setCycleName(null),
    );
  }, [cycleId, lang]);

  const fetchPage = useCallback(
    (cursor: string | undefined) =>
      unwrap(
        api.GET('/api/payments/flags', {
          params: { query: { ...(status ? { status } : {}), ...(kind ? { kind } : {}), ...(cycleId ? { cycleId } : {}), ...(cursor ? { cursor } : {}), limit: 20 } },
        }),
      ),
    [status, kind, cycleId],
  );
  const list = useKeysetPage<Flag>(fetchPage, `${status ?? ''}|${kind ?? ''}|${cycleId ?? ''}`);

  useEffect(() => {
    if (list.error) showError(list.error);
  }, [list.error, showError]);

  const columns = useMemo<TableColumnsType<Flag>>(
    () => [
      {
        title: t('pay.flag.col.detected'),
        key: 'detected',
        width: 100,
        render: (_: unknown, f) => {
          const [date, time] = formatDateTime(f.detectedAt, true).split(' ');
          return (
            <Flex vertical gap={2}>
              <span style={{ whiteSpace: 'nowrap' }}>{date}</span>
              <Typography.Text type="secondary" style={muted}>
                {time}
              </Typography.Text>
            </Flex>
          );
        },
      },
      {
        title: t('pay.flag.col.kind'),
        key: 'kind',
        width: 280,
        render: (_: unknown, f) => (
          <Flex vertical gap={4} align="start">
            <FlagKindTag kind={f.kind} t={t} />
            <span data-testid="flag-details">{flagDetails(f, t, has)}</span>
          </Flex>
        ),
      },
      {
        title: t('pay.flag.col.cycle'),
        key: 'cycle',
        render: (_: unknown, f) => (
          <Flex vertical gap={2}>
            <Link to={`/payments/${f.cycleId}`} data-testid={`flag-cycle-${f.id}`}>
              {programmeName(f, lang)}
            </Link>
            <Typography.Text type="secondary" style={{ ...muted, whiteSpace: 'nowrap' }}>
              {f.period} · {t('pay.flag.line', { n: f.lineNo })}
            </Typography.Text>
          </Flex>
        ),
      },
      {
        title: t('pay.flag.col.household'),
        key: 'household',
        width: 160,
        render: (_: unknown, f) => (
          <Flex vertical gap={2}>
            <Link to={`/households/${f.householdId}`} style={{ whiteSpace: 'nowrap' }} data-testid={`flag-household-${f.id}`}>
              {f.fileNo}
            </Link>
            <Typography.Text type="secondary" style={{ ...muted, whiteSpace: 'nowrap' }}>
              {f.headName} · {f.regionCode}
            </Typography.Text>
          </Flex>
        ),
      },
      {
        title: t('pay.flag.col.status'),
        key: 'status',
        width: 170,
        render: (_: unknown, f) => (
          <Flex vertical gap={2} align="start">
            <FlagStatusTag status={f.status} t={t} />
            {f.note ? (
              <Tooltip title={f.note}>
                <Typography.Text style={{ fontSize: 12, maxWidth: 160 }} ellipsis data-testid="flag-note">
                  {f.note}
                </Typography.Text>
              </Tooltip>
            ) : null}
            {f.decidedAt ? (
              <Typography.Text type="secondary" style={muted} data-testid="flag-decided">
                {f.decidedByName ?? ''}
                <br />
                {formatDateTime(f.decidedAt, true)}
              </Typography.Text>
            ) : null}
          </Flex>
        ),
      },
      ...(mayDecide
        ? [
            {
              title: t('pay.flag.col.actions'),
              key: 'actions',
              width: 100,
              render: (_: unknown, f: Flag) =>
                f.status === 'resolved' ? null : (
                  <Flex gap={4} wrap style={{ maxWidth: 100, columnGap: 12 }}>
                    {f.status === 'open' ? (
                      <Button size="small" type="link" style={{ paddingInline: 0 }} onClick={() => decide(f, 'acknowledged')} data-testid={`flag-ack-${f.id}`}>
                        {t('pay.flag.act.acknowledge')}
                      </Button>
                    ) : null}
                    <Button size="small" type="link" style={{ paddingInline: 0 }} onClick={() => decide(f, 'resolved')} data-testid={`flag-resolve-${f.id}`}>
                      {t('pay.flag.act.resolve')}
                    </Button>
                  </Flex>
                ),
            },
          ]
        : []),
    ],
    [t, lang, has, mayDecide, decide],
  );

  const clearCycle = () => {
    const next = new URLSearchParams(params);
    next.delete('cycleId');
    setParams(next, { replace: true });
  };

  return (
    <>
      <div style={{ marginBottom: 8 }}>
        <Link to="/payments">
          <ArrowLeftOutlined /> {t('pay.back')}
        </Link>
      </div>
      <PageHeader title={t('pay.flag.title')} />
      <Typography.Paragraph type="secondary" style={{ maxWidth: 860 }}>
        {t('pay.flag.intro')}
      </Typography.Paragraph>
      {cycleId ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('pay.flag.cycleOnly', { name: cycleName ?? '…' })}
          action={
            <Button size="small" type="link" onClick={clearCycle} data-testid="flag-cycle-clear">
              {t('pay.flag.cycleAll')}
            </Button>
          }
          data-testid="flag-cycle-filter"
        />
      ) : null}
      <Card>
        <Flex gap={12} wrap style={{ marginBottom: 16 }}>
          <Select<FlagStatus>
            allowClear
            placeholder={t('pay.flag.filter.status')}
            value={status}
            onChange={setStatus}
            style={{ width: 160 }}
            options={FLAG_STATUSES.map((s) => ({ value: s, label: t(`pay.flag.status.${s}`) }))}
            data-testid="flag-filter-status"
          />
          <Select<FlagKind>
            allowClear
            placeholder={t('pay.flag.filter.kind')}
            value={kind}
            onChange={setKind}
            style={{ width: 240 }}
            options={FLAG_KINDS.map((k) => ({ value: k, label: t(`pay.flag.kind.${k}`) }))}
            data-testid="flag-filter-kind"
          />
        </Flex>
        <KeysetTable<Flag> list={list} testIdPrefix="flag" columns={columns} emptyText={t('pay.flag.empty')} />
      </Card>
      <FlagsDecideModal
        flag={deciding}
        decision={decision}
        onClose={() => setDeciding(null)}
        onDone={(f) => {
          setDeciding(null);
          list.replace((x) => x.id === f.id, f);
        }}
      />
    </>
  );
}
