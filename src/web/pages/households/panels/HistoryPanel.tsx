import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Empty, Flex, Skeleton, Tag, Timeline, Typography } from 'antd';
import { api } from '../../../api/client';
import { unwrap } from '../../../api/errors';
import type { ResponseOf } from '../../../api/types';
import { useApiError } from '../../../api/useApiError';
import { useI18n } from '../../../i18n/context';
import { fenToYuan } from '../../../lib/money';
import { formatDateTime } from '../../../lib/format';

type HistoryEvent = ResponseOf<'/api/households/{id}/history', 'get'>['items'][number];

const PAGE = 20;
type Facts = Record<string, unknown>;
const asFacts = (v: unknown): Facts => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Facts) : {});
const isPlain = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** 变更记录: the file's history, newest first — who, when, what, and what it was before. */
/** Fields whose values are codes, by the kind of their labels (`code.<kind>.<value>`). */
const CODE_FIELDS: Record<string, string> = {
  hukouType: 'hukou',
  housingType: 'housing',
  restructuring: 'restructuring',
  socialInsurance: 'socialInsurance',
  primaryCause: 'cause',
  hardshipType: 'type',
  batch: 'batch',
};

export function HistoryPanel({ householdId }: { householdId: string }) {
  const { t, has } = useI18n();
  const { describe } = useApiError();
  const [items, setItems] = useState<HistoryEvent[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);

  const fetchPage = useCallback(
    (after: string | null) =>
      unwrap(api.GET('/api/households/{id}/history', { params: { path: { id: householdId }, query: { limit: PAGE, ...(after ? { cursor: after } : {}) } } })),
    [householdId],
  );

  const load = useCallback(
    (after: string | null) => {
      setLoading(true);
      setError(null);
      fetchPage(after)
        .then((page) => {
          setItems((list) => (after ? [...list, ...page.items] : page.items));
          setCursor(page.nextCursor);
        })
        .catch(setError)
        .finally(() => setLoading(false));
    },
    [fetchPage],
  );

  useEffect(() => load(null), [load]);

  const label = (prefix: string, code: unknown) => {
    const key = `${prefix}${String(code)}`;
    return has(key) ? t(key) : String(code);
  };
  /** A value as people read it: statuses and reasons by their labels. */
  const show = (field: string, v: unknown) => {
    if (v === null || v === undefined || v === '') return '—';
    if (field === 'status') return label('life.status.', v);
    if (field === 'level') return label('appr.level.', v);
    if (typeof v === 'boolean') return t(v ? 'hh.yes' : 'hh.no');
    if (field.endsWith('Fen') && /^-?\d+$/.test(String(v))) return `¥${fenToYuan(String(v))}`;
    const codeKind = CODE_FIELDS[field];
    if (codeKind) return label(`code.${codeKind}.`, v);
    if (field === 'endReason') {
      const exitKey = `life.exitReason.${String(v)}`;
      return has(exitKey) ? t(exitKey) : label('life.removalReason.', v);
    }
    return String(v);
  };
  const fieldName = (field: string) => label('hist.field.', field);

  /** The facts that changed (status first), at most five, plain values only. */
  const changes = (e: HistoryEvent) => {
    const before = asFacts(e.before);
    const after = asFacts(e.after);
    const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])]
      .filter((f) => isPlain(before[f]) && isPlain(after[f]) && before[f] !== after[f])
      .sort((a, b) => (a === 'status' ? -1 : b === 'status' ? 1 : 0))
      .slice(0, 5);
    return fields.map((f) => (
      <Typography.Text key={f} type="secondary" style={{ fontSize: 13 }}>
        {fieldName(f)}：{f in before ? `${show(f, before[f])} → ` : ''}
        {show(f, after[f])}
      </Typography.Text>
    ));
  };

  if (loading && items.length === 0) return <Skeleton active paragraph={{ rows: 4 }} />;
  if (error && items.length === 0) return <Alert type="warning" showIcon message={describe(error)} />;
  if (items.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('hist.empty')} />;

  return (
    <Flex vertical data-testid="history-panel">
      <Timeline
        items={items.map((e) => ({
          children: (
            <Flex vertical gap={2} data-testid="history-event">
              <Flex gap={8} wrap align="baseline">
                <Typography.Text strong>{label('hist.action.', e.action)}</Typography.Text>
                <Typography.Text>{e.actor.id ? e.actor.name : t('hist.system')}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatDateTime(e.at, true)}
                </Typography.Text>
                {e.episode > 1 ? <Tag bordered={false}>{t('hist.episode', { n: e.episode })}</Tag> : null}
              </Flex>
              {changes(e)}
              {e.note ? <Typography.Text type="secondary">“{e.note}”</Typography.Text> : null}
            </Flex>
          ),
        }))}
      />
      {error ? <Alert type="warning" showIcon message={describe(error)} /> : null}
      {cursor ? (
        <Button onClick={() => load(cursor)} loading={loading} style={{ alignSelf: 'center' }} data-testid="history-more">
          {t('hist.more')}
        </Button>
      ) : null}
    </Flex>
  );
}
