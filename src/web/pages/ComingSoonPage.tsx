import type { ReactNode } from 'react';
import { Card, Result } from 'antd';
import { BackHomeButton } from '../components/BackHomeButton';
import { useT } from '../i18n/context';
import type { MessageKey } from '../i18n/zh-CN';

/** Placeholder for modules planned for a later release — no fake data. */
export default function ComingSoonPage({ module, icon }: { module: MessageKey; icon: ReactNode }) {
  const t = useT();
  return (
    <Card data-testid="coming-soon">
      <Result
        icon={<span style={{ fontSize: 56, color: '#8aa4c8' }}>{icon}</span>}
        title={t('comingSoon.title', { module: t(module) })}
        subTitle={t('comingSoon.desc')}
        extra={<BackHomeButton />}
      />
    </Card>
  );
}
