import { Flex, Spin } from 'antd';
import { useT } from '../i18n/context';

/** Centered spinner filling its container (whole page by default). */
export function FullPageSpin({ minHeight = '100vh' }: { minHeight?: number | string }) {
  const t = useT();
  return (
    <Flex align="center" justify="center" style={{ minHeight }} data-testid="loading">
      <Spin size="large" description={t('app.loading')} />
    </Flex>
  );
}
