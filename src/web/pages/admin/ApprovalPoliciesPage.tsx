import { useCallback, useEffect, useMemo, useState } from 'react';
import { App, Button, Card, Flex, Select, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { ResponseOf } from '../../api/types';
import { useApiError } from '../../api/useApiError';
import { useAuth } from '../../auth/AuthContext';
import { KeysetTable } from '../../components/KeysetPager';
import { PageHeader } from '../../components/PageHeader';
import { RegionCascader } from '../../components/RegionCascader';
import { useI18n } from '../../i18n/context';
import { formatDateTime } from '../../lib/format';
import { useKeysetPage } from '../../lib/useKeysetPage';
import { kindLabel, prefixOf, StepChain } from './policies/policyLabels';
import { type PolicyDraft, SetPolicyModal } from './policies/SetPolicyModal';

type Policy = ResponseOf<'/api/approval-policies/list', 'get'>['items'][number];
type Effective = ResponseOf<'/api/approval-policies', 'get'>;
type Kind = ResponseOf<'/api/approval-policies/kinds', 'get'>['items'][number];

const STATUS_COLOR: Record<Policy['status'], string | undefined> = { current: 'green', future: 'blue', superseded: undefined };

/** A county code (not a province's or a city's): the look-up starts there for a county user. */
const isCounty = (code: string) => /^\d{6}$/.test(code) && !code.endsWith('00');

/**
 * 审批流程: the approval levels configured per region (domain.md §5), per kind of item.
 * Lists the stored settings inside and above the user's scope, shows what a county gets today,
 * and lets role.manage set a new one.
 */
export default function ApprovalPoliciesPage() {
  const { t, has, lang } = useI18n();
  const { can, user } = useAuth();
  const { message } = App.useApp();
  const { showError } = useApiError();
  const manage = can('role.manage');
  const scopeCode = user?.scope.regionCode ?? '';
  const scopePrefix = scopeCode ? prefixOf(scopeCode) : '';

  const [kinds, setKinds] = useState<Kind[]>([{ kind: 'household.file', approvePermission: 'household.approve', base: null, nameZh: null, nameEn: null }]);
  const [kind, setKind] = useState('household.file');
  const [county, setCounty] = useState<string | undefined>(isCounty(scopeCode) ? scopeCode : undefined);
  const [effective, setEffective] = useState<Effective | null>(null);
  const [editing, setEditing] = useState<{ draft: PolicyDraft | null } | null>(null);

  useEffect(() => {
    unwrap(api.GET('/api/approval-policies/kinds'))
      .then((r) => r.items.length > 0 && setKinds(r.items))
      .catch(showError);
  }, [showError]);

  const fetchPage = useCallback(
    (cursor: string | undefined) => unwrap(api.GET('/api/approval-policies/list', { params: { query: { kind, ...(cursor ? { cursor } : {}) } } })),
    [kind],
  );
  const list = useKeysetPage<Policy>(fetchPage, kind);

  useEffect(() => {
    if (list.error) showError(list.error);
  }, [list.error, showError]);

  const lookUp = useCallback(() => {
    if (!county) {
      setEffective(null);
      return;
    }
    unwrap(api.GET('/api/approval-policies', { params: { query: { kind, regionCode: county } } }))
      .then(setEffective)
      .catch((err: unknown) => {
        setEffective(null);
        showError(err);
      });
  }, [kind, county, showError]);

  useEffect(lookUp, [lookUp]);

  const regionOf = useCallback((prefix: string, name: string) => (prefix === '' ? t('pol.national') : name || prefix), [t]);

  const columns = useMemo<TableColumnsType<Policy>>(
    () => [
      {
        title: t('pol.region'),
        key: 'region',
        render: (_: unknown, p) => (
          <Flex vertical>
            <Typography.Text strong>{regionOf(p.regionPrefix, p.regionName)}</Typography.Text>
            {p.regionPrefix ? (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {p.regionPrefix.padEnd(6, '0')}
              </Typography.Text>
            ) : null}
          </Flex>
        ),
      },
      {
        title: t('pol.steps'),
        key: 'steps',
        render: (_: unknown, p) => <StepChain steps={p.steps} t={t} />,
      },
      {
        title: t('pol.effectiveFrom'),
        key: 'from',
        render: (_: unknown, p) => (
          <Flex gap={8} align="center" wrap={false}>
            <span>{p.effectiveFrom}</span>
            <Tag color={STATUS_COLOR[p.status]} data-testid={`policy-status-${p.id}`}>
              {t(`pol.status.${p.status}`)}
            </Tag>
          </Flex>
        ),
      },
      { title: t('pol.setBy'), key: 'by', render: (_: unknown, p) => p.setBy?.name ?? '—' },
      { title: t('pol.setAt'), dataIndex: 'setAt', responsive: ['lg'], render: (v: string) => formatDateTime(v, true) },
      ...(manage
        ? [
            {
              title: t('common.actions'),
              key: 'actions',
              width: 80,
              // only what the caller may set: a prefix inside their scope (a policy above it is read-only here)
              render: (_: unknown, p: Policy) =>
                p.regionPrefix.startsWith(scopePrefix) ? (
                  <Button type="link" size="small" onClick={() => setEditing({ draft: { regionPrefix: p.regionPrefix, steps: p.steps } })} data-testid={`policy-adjust-${p.id}`}>
                    {t('pol.adjust')}
                  </Button>
                ) : null,
            },
          ]
        : []),
    ],
    [t, manage, regionOf, scopePrefix],
  );

  const current = kinds.find((k) => k.kind === kind) ?? kinds[0]!;

  return (
    <>
      <PageHeader
        title={t('pol.title')}
        extra={
          manage ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ draft: null })} data-testid="policy-set">
              {t('pol.set')}
            </Button>
          ) : null
        }
      />
      <Card style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
          {t('pol.intro')}
          {manage ? null : (
            <>
              <br />
              {t('pol.readOnlyHint')}
            </>
          )}
        </Typography.Paragraph>
        <Flex gap={8} align="center" wrap>
          <Typography.Text>{t('pol.kind')}</Typography.Text>
          <Select
            value={kind}
            onChange={setKind}
            style={{ width: 240 }}
            options={kinds.map((k) => ({ value: k.kind, label: (lang === 'en' ? k.nameEn : k.nameZh) ?? kindLabel(t, has, k.kind) }))}
            data-testid="policy-kind"
          />
        </Flex>
      </Card>

      <Card title={t('pol.lookup')} size="small" style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
          {t('pol.lookupHint')}
        </Typography.Paragraph>
        <Flex gap={16} align="center" wrap>
          <div style={{ width: 320, maxWidth: '100%' }}>
            <RegionCascader value={county} onChange={setCounty} maxLevel="county" data-testid="policy-lookup-region" />
          </div>
          {effective ? (
            <Flex vertical gap={2} data-testid="policy-lookup-result">
              <StepChain steps={effective.steps} t={t} strong />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {effective.policyId === null || effective.regionPrefix === undefined ? (
                  <>
                    <Tag style={{ marginInlineEnd: 6 }}>{t('pol.default')}</Tag>
                    {t('pol.defaultHint')}
                  </>
                ) : (
                  t('pol.lookupFrom', {
                    region: regionOf(effective.regionPrefix, effective.regionName ?? ''),
                    date: effective.effectiveFrom ?? '',
                  })
                )}
              </Typography.Text>
            </Flex>
          ) : null}
        </Flex>
      </Card>

      <Card>
        <KeysetTable<Policy> list={list} columns={columns} emptyText={t('pol.empty')} testIdPrefix="policy" />
      </Card>

      <SetPolicyModal
        open={editing !== null}
        kind={current.kind}
        permission={current.approvePermission}
        draft={editing?.draft ?? null}
        national={scopeCode === ''}
        scopeRegion={scopeCode}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          void message.success(t('pol.saved'));
          list.reload();
          lookUp();
        }}
      />
    </>
  );
}
