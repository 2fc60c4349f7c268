import { useCallback, useState } from 'react';
import { Button, Card, Tabs, Typography } from 'antd';
import { PlusOutlined, SendOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router';
import { useAuth } from '../../auth/AuthContext';
import { PageHeader } from '../../components/PageHeader';
import { useI18n } from '../../i18n/context';
import { EntriesTab, type EntryFilters } from './EntriesTab';
import { AllocationModal, ReceiptModal } from './MoneyFormModals';
import { OverviewTab, type OverviewFilters } from './OverviewTab';
import { ReportTab } from './ReportTab';
import type { FundBalance } from './shared';
import { type StatementFilters, StatementTab } from './StatementTab';

type TabKey = 'overview' | 'entries' | 'statement' | 'report';
const TABS: readonly TabKey[] = ['overview', 'entries', 'statement', 'report'];

/** The URL keeps the tab and its filters (?tab=statement&orgId=…&fundType=…&month=…), so a view can be linked and reloaded. */
function useTabState() {
  const [params, setParams] = useSearchParams();
  const tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as TabKey) : 'overview';
  const get = (k: string) => params.get(k) ?? undefined;
  const filters = { orgId: get('orgId'), fundType: get('fundType'), kind: get('kind'), month: get('month') };
  const set = useCallback(
    (next: TabKey, f: Record<string, string | undefined> = {}) => {
      const p = new URLSearchParams();
      if (next !== 'overview') p.set('tab', next);
      for (const [k, v] of Object.entries(f)) if (v) p.set(k, v);
      setParams(p, { replace: true });
    },
    [setParams],
  );
  return { tab, filters, set };
}

/** 资金管理: overview, entries, statements and the raised-against-paid report; receipts and allocations for fund managers. */
export default function FundsPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const manage = can('fund.manage');
  const { tab, filters, set } = useTabState();
  const [dialog, setDialog] = useState<'receipt' | 'allocation' | null>(null);
  const [version, setVersion] = useState(0);

  const toStatement = useCallback((b: FundBalance) => set('statement', { orgId: b.orgId, fundType: b.fundType }), [set]);
  const toEntries = useCallback((b: FundBalance) => set('entries', { orgId: b.orgId, fundType: b.fundType }), [set]);
  const defaults = { orgId: filters.orgId, fundType: filters.fundType };

  const done = () => {
    setDialog(null);
    setVersion((v) => v + 1);
  };

  return (
    <>
      <PageHeader
        title={t('fund.title')}
        extra={
          manage ? (
            <>
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog('receipt')} data-testid="fund-receipt-create">
                {t('fund.receipt.create')}
              </Button>
              <Button icon={<SendOutlined />} onClick={() => setDialog('allocation')} data-testid="fund-allocation-create">
                {t('fund.allocation.create')}
              </Button>
            </>
          ) : undefined
        }
      />
      <Typography.Paragraph type="secondary" style={{ maxWidth: 860 }}>
        {t('fund.intro')}
      </Typography.Paragraph>
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          activeKey={tab}
          onChange={(k) => set(k as TabKey, k === 'report' ? {} : { orgId: filters.orgId, fundType: filters.fundType })}
          data-testid="fund-tabs"
          items={[
            {
              key: 'overview',
              label: t('fund.tab.overview'),
              children: tab === 'overview' && (
                <OverviewTab filters={filters} onFilters={(f: OverviewFilters) => set('overview', { ...f })} version={version} onStatement={toStatement} onEntries={toEntries} />
              ),
            },
            {
              key: 'entries',
              label: t('fund.tab.entries'),
              children: tab === 'entries' && <EntriesTab filters={filters} onFilters={(f: EntryFilters) => set('entries', { ...f })} version={version} />,
            },
            {
              key: 'statement',
              label: t('fund.tab.statement'),
              children: tab === 'statement' && (
                <StatementTab filters={{ ...filters, kind: filters.kind as StatementFilters['kind'] }} onFilters={(f: StatementFilters) => set('statement', { ...f })} />
              ),
            },
            { key: 'report', label: t('fund.tab.report'), children: tab === 'report' && <ReportTab /> },
          ]}
        />
      </Card>
      <ReceiptModal open={dialog === 'receipt'} onClose={() => setDialog(null)} onDone={done} defaults={defaults} />
      <AllocationModal open={dialog === 'allocation'} onClose={() => setDialog(null)} onDone={done} defaults={defaults} />
    </>
  );
}
