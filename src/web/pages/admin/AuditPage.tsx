import { useCallback, useMemo, useState } from 'react';
import { Button, Card, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { AuditEntry, AuditVerify } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { KeysetTable } from '../../components/KeysetPager';
import { PageHeader } from '../../components/PageHeader';
import { useT } from '../../i18n/context';
import { formatDateTime } from '../../lib/format';
import { useKeysetPage } from '../../lib/useKeysetPage';
import { AuditDetailDrawer } from './audit/AuditDetailDrawer';
import { AuditFilters, type AuditFilter } from './audit/AuditFilters';
import { VerifyChainButton, VerifyResult } from './audit/VerifyChainButton';

export default function AuditPage() {
  const t = useT();
  const { can } = useAuth();
  const [filter, setFilter] = useState<AuditFilter>({});
  const [viewing, setViewing] = useState<AuditEntry | null>(null);
  const [verify, setVerify] = useState<AuditVerify | null>(null);

  const fetchPage = useCallback(
    (cursor: string | undefined) => unwrap(api.GET('/api/audit', { params: { query: cursor ? { ...filter, cursor } : filter } })),
    [filter],
  );
  const list = useKeysetPage<AuditEntry>(fetchPage, JSON.stringify(filter));

  const columns = useMemo<TableColumnsType<AuditEntry>>(
    () => [
      { title: t('audit.seq'), dataIndex: 'seq', width: 80, responsive: ['lg'] },
      { title: t('audit.at'), dataIndex: 'at', width: 180, render: (v: string) => formatDateTime(v) },
      {
        title: t('audit.actor'),
        key: 'actor',
        render: (_: unknown, e) => e.actorName ?? e.actorId ?? <Typography.Text type="secondary">{t('audit.system')}</Typography.Text>,
      },
      { title: t('audit.action'), dataIndex: 'action', render: (v: string) => <Tag>{v}</Tag> },
      { title: t('audit.entityType'), dataIndex: 'entityType' },
      {
        title: t('audit.entityId'),
        dataIndex: 'entityId',
        ellipsis: true,
        responsive: ['md'],
        render: (v: string | null) => (v ? <Typography.Text style={{ fontFamily: 'monospace', fontSize: 12 }}>{v}</Typography.Text> : '—'),
      },
      {
        title: t('common.details'),
        key: 'view',
        width: 80,
        render: (_: unknown, e) => (
          <Button type="link" size="small" onClick={() => setViewing(e)} data-testid={`audit-view-${e.id}`}>
            {t('common.view')}
          </Button>
        ),
      },
    ],
    [t],
  );

  return (
    <>
      <PageHeader title={t('nav.adminAudit')} extra={can('audit.verify') ? <VerifyChainButton onResult={setVerify} /> : null} />
      {verify ? <VerifyResult result={verify} onClose={() => setVerify(null)} /> : null}
      <Card>
        <AuditFilters onChange={setFilter} />
        <KeysetTable<AuditEntry> list={list} columns={columns} emptyText={t('audit.empty')} testIdPrefix="audit" />
      </Card>
      <AuditDetailDrawer entry={viewing} onClose={() => setViewing(null)} />
    </>
  );
}
