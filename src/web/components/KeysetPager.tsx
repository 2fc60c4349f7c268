import type { HTMLAttributes, ReactNode } from 'react';
import { Button, Flex, Table, Typography } from 'antd';
import type { TableProps } from 'antd';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useT } from '../i18n/context';
import type { KeysetPage } from '../lib/useKeysetPage';

/** Previous / next controls for a table paged by useKeysetPage. */
export function KeysetPager({ list, testIdPrefix }: { list: Pick<KeysetPage<unknown>, 'page' | 'hasPrev' | 'hasNext' | 'loading' | 'prev' | 'next'>; testIdPrefix: string }) {
  const t = useT();
  const { page, hasPrev, hasNext, loading, prev: onPrev, next: onNext } = list;
  if (!hasPrev && !hasNext) return null;
  return (
    <Flex justify="end" align="center" gap={8} style={{ marginTop: 16 }}>
      <Button icon={<LeftOutlined />} disabled={!hasPrev || loading} onClick={onPrev} data-testid={`${testIdPrefix}-prev`}>
        {t('common.prev')}
      </Button>
      <Typography.Text type="secondary" data-testid={`${testIdPrefix}-page`}>
        {t('common.page', { n: page })}
      </Typography.Text>
      <Button disabled={!hasNext || loading} onClick={onNext} data-testid={`${testIdPrefix}-next`}>
        {t('common.next')} <RightOutlined />
      </Button>
    </Flex>
  );
}

/**
 * A table of one keyset page with its pager: rows `<prefix>-row-<id>`, the table `<prefix>-table`,
 * the pager `<prefix>-prev|page|next`. Other Table props pass through.
 */
export function KeysetTable<T extends { id: string }>({
  list,
  testIdPrefix,
  emptyText,
  ...table
}: { list: KeysetPage<T>; testIdPrefix: string; emptyText?: ReactNode } & Omit<TableProps<T>, 'dataSource' | 'loading' | 'pagination'>) {
  return (
    <>
      <Table<T>
        rowKey="id"
        dataSource={list.items}
        loading={list.loading}
        pagination={false}
        size="middle"
        scroll={{ x: 'max-content' }}
        locale={emptyText ? { emptyText } : undefined}
        onRow={(row) => ({ 'data-testid': `${testIdPrefix}-row-${row.id}` }) as HTMLAttributes<HTMLElement>}
        data-testid={`${testIdPrefix}-table`}
        {...table}
      />
      <KeysetPager list={list} testIdPrefix={testIdPrefix} />
    </>
  );
}
