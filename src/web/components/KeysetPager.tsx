import { Button, Flex, Typography } from 'antd';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useT } from '../i18n/context';

export interface KeysetPagerProps {
  page: number;
  hasPrev: boolean;
  hasNext: boolean;
  loading?: boolean;
  onPrev: () => void;
  onNext: () => void;
  testIdPrefix: string;
}

/** Previous / next controls for cursor-paginated tables. */
export function KeysetPager({ page, hasPrev, hasNext, loading, onPrev, onNext, testIdPrefix }: KeysetPagerProps) {
  const t = useT();
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
