import { Descriptions, Drawer, Grid, Typography } from 'antd';
import type { AuditEntry } from '../../../api/types';
import { useT } from '../../../i18n/context';
import { formatDateTime } from '../../../lib/format';

function JsonBlock({ value, testId }: { value: unknown; testId: string }) {
  const t = useT();
  if (value === null || value === undefined) return <Typography.Text type="secondary">{t('audit.noValue')}</Typography.Text>;
  return (
    <pre className="jk-json" data-testid={testId}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

/** Full audit entry with its before/after snapshots. */
export function AuditDetailDrawer({ entry, onClose }: { entry: AuditEntry | null; onClose: () => void }) {
  const t = useT();
  const screens = Grid.useBreakpoint();
  return (
    <Drawer
      open={entry !== null}
      onClose={onClose}
      title={entry ? t('audit.detailTitle', { seq: entry.seq }) : ''}
      size={screens.md ? 640 : '100%'}
      data-testid="audit-drawer"
    >
      {entry ? (
        <>
          <Descriptions column={1} size="small" bordered style={{ marginBottom: 24 }} styles={{ label: { width: 120 } }}>
            <Descriptions.Item label={t('audit.at')}>{formatDateTime(entry.at)}</Descriptions.Item>
            <Descriptions.Item label={t('audit.actor')}>{entry.actorName ?? entry.actorId ?? t('audit.system')}</Descriptions.Item>
            <Descriptions.Item label={t('audit.action')}>
              <Typography.Text code>{entry.action}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('audit.entityType')}>{entry.entityType}</Descriptions.Item>
            <Descriptions.Item label={t('audit.entityId')}>
              <Typography.Text copyable={Boolean(entry.entityId)}>{entry.entityId ?? '—'}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('audit.region')}>{entry.regionCode || '—'}</Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5}>{t('audit.before')}</Typography.Title>
          <JsonBlock value={entry.before} testId="audit-before" />
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            {t('audit.after')}
          </Typography.Title>
          <JsonBlock value={entry.after} testId="audit-after" />
        </>
      ) : null}
    </Drawer>
  );
}
