import { useState } from 'react';
import { Button, Card, Empty, Form, Input, Typography } from 'antd';
import { PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { api } from '../../api/client';
import { ApiError, unwrap } from '../../api/errors';
import { useApiError } from '../../api/useApiError';
import { useAuth } from '../../auth/AuthContext';
import { PageHeader } from '../../components/PageHeader';
import { useT } from '../../i18n/context';

interface FindValues {
  idNumber: string;
}

/** 困难职工档案: find a file by a member's ID number; filing a new one for writers. */
export default function HouseholdsPage() {
  const t = useT();
  const navigate = useNavigate();
  const { can } = useAuth();
  const { showError } = useApiError();
  const [form] = Form.useForm<FindValues>();
  const [searching, setSearching] = useState(false);
  const [notFound, setNotFound] = useState(false);

  const find = async ({ idNumber }: FindValues) => {
    setSearching(true);
    setNotFound(false);
    try {
      const household = await unwrap(api.POST('/api/households/find-by-id-number', { body: { idNumber: idNumber.trim() } }));
      void navigate(`/households/${household.id}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) setNotFound(true);
      else showError(err);
    } finally {
      setSearching(false);
    }
  };

  return (
    <>
      <PageHeader
        title={t('hh.title')}
        extra={
          can('household.write') ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate('/households/new')} data-testid="household-create">
              {t('hh.create')}
            </Button>
          ) : null
        }
      />
      <Card title={t('hh.findTitle')} data-testid="household-find">
        <Form<FindValues> form={form} layout="inline" onFinish={(v) => void find(v)} onValuesChange={() => setNotFound(false)}>
          <Form.Item name="idNumber" rules={[{ required: true, whitespace: true, message: t('hh.findRequired') }]} style={{ flex: '1 1 260px', maxWidth: 360 }}>
            <Input allowClear autoComplete="off" maxLength={24} placeholder={t('hh.findPlaceholder')} data-testid="household-find-input" />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />} loading={searching} data-testid="household-find-submit">
              {t('hh.findSubmit')}
            </Button>
          </Form.Item>
        </Form>
        {notFound ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('hh.notFound')} style={{ marginTop: 24 }} data-testid="household-not-found" />
        ) : null}
      </Card>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, fontSize: 13 }}>
        {t('hh.listLater')}
      </Typography.Paragraph>
    </>
  );
}
