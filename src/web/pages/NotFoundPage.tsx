import { Result } from 'antd';
import { BackHomeButton } from '../components/BackHomeButton';
import { useT } from '../i18n/context';

export default function NotFoundPage() {
  const t = useT();
  return (
    <Result
      status="404"
      title={t('notFound.title')}
      subTitle={t('notFound.desc')}
      extra={<BackHomeButton primary />}
      data-testid="not-found"
    />
  );
}
