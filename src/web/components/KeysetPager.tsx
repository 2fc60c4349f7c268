import { Button, Flex, Typography } from 'antd';
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
