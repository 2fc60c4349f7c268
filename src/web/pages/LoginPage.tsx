import { useState } from 'react';
import { Alert, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { useApiError } from '../api/useApiError';
import { useAuth, type LoginRedirectState } from '../auth/AuthContext';
import { FullPageSpin } from '../components/FullPageSpin';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useT } from '../i18n/context';

interface Values {
  username: string;
  password: string;
}

function safeRedirect(state: unknown): string {
  const from = (state as LoginRedirectState | null)?.from;
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') && !from.startsWith('/login') ? from : '/';
}

export default function LoginPage() {
  const t = useT();
  const { status, login } = useAuth();
  const { describe } = useApiError();
  const navigate = useNavigate();
  const location = useLocation();
  const [error, setError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);

  if (status === 'loading') return <FullPageSpin />;
  if (status === 'authenticated' && !submitting) return <Navigate to={safeRedirect(location.state)} replace />;

  const submit = async (values: Values) => {
    setSubmitting(true);
    setError(null);
    try {
      await login(values.username.trim(), values.password);
      void navigate(safeRedirect(location.state), { replace: true });
    } catch (err) {
      setError(err);
      setSubmitting(false);
    }
  };

  return (
    <Flex
      vertical
      align="center"
      justify="center"
      style={{ minHeight: '100vh', padding: 16, background: 'linear-gradient(160deg, #eaf1fb 0%, #f3f5f8 60%)' }}
    >
      <div style={{ position: 'fixed', top: 16, right: 16 }}>
        <LanguageSwitch />
      </div>
      <Card style={{ width: '100%', maxWidth: 400, boxShadow: '0 8px 24px rgba(15, 42, 74, 0.08)' }} styles={{ body: { padding: 32 } }}>
        <Flex vertical align="center" gap={4} style={{ marginBottom: 28 }}>
          <img src="/favicon.svg" alt="" width={48} height={48} style={{ marginBottom: 8 }} />
          <Typography.Title level={2} style={{ margin: 0 }} data-testid="login-title">
            {t('app.name')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('app.subtitle')}</Typography.Text>
        </Flex>
        <Form<Values> name="login" layout="vertical" onFinish={submit} requiredMark={false} size="large" data-testid="login-form" disabled={submitting}>
          {error ? (
            <Alert type="error" showIcon title={describe(error)} style={{ marginBottom: 16 }} data-testid="login-error" role="alert" />
          ) : null}
          <Form.Item
            name="username"
            label={t('login.username')}
            rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('login.username') }) }]}
          >
            <Input
              prefix={<UserOutlined />}
              placeholder={t('login.usernamePlaceholder')}
              autoComplete="username"
              autoFocus
              data-testid="login-username"
            />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('login.password')}
            rules={[{ required: true, message: t('common.required', { field: t('login.password') }) }]}
          >
            <Input.Password
              prefix={<LockOutlined />}
              placeholder={t('login.passwordPlaceholder')}
              autoComplete="current-password"
              data-testid="login-password"
            />
          </Form.Item>
          <Form.Item style={{ marginBottom: 0, marginTop: 8 }}>
            <Button type="primary" htmlType="submit" block loading={submitting} data-testid="login-submit">
              {t('login.submit')}
            </Button>
          </Form.Item>
        </Form>
      </Card>
      <Typography.Text type="secondary" style={{ marginTop: 24, fontSize: 12 }}>
        {t('login.footer')}
      </Typography.Text>
      <Typography.Link href="/public/postings" style={{ marginTop: 8, fontSize: 12 }} data-testid="login-public-postings">
        {t('pub.title')}
      </Typography.Link>
    </Flex>
  );
}
