import { Flex, Typography } from 'antd';
import { Link } from 'react-router';
import { useT } from '../i18n/context';

/** Product mark at the top of the navigation. */
export function Brand({ collapsed }: { collapsed: boolean }) {
  const t = useT();
  return (
    <Link to="/" aria-label={t('app.name')} data-testid="brand">
      <Flex align="center" gap={10} style={{ height: 56, padding: collapsed ? '0 16px' : '0 20px', overflow: 'hidden' }}>
        <img src="/favicon.svg" alt="" width={32} height={32} style={{ flex: 'none' }} />
        {collapsed ? null : (
          <Flex vertical style={{ minWidth: 0, lineHeight: 1.2 }}>
            <Typography.Text strong style={{ color: '#fff', fontSize: 17 }}>
              {t('app.name')}
            </Typography.Text>
            <Typography.Text style={{ color: 'rgba(255,255,255,0.65)', fontSize: 11, lineHeight: 1.25 }}>
              {t('app.subtitle')}
            </Typography.Text>
          </Flex>
        )}
      </Flex>
    </Link>
  );
}
