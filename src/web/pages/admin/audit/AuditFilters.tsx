import { Button, DatePicker, Flex, Form, Input } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useT } from '../../../i18n/context';

export interface AuditFilter {
  action?: string;
  entityType?: string;
  from?: string;
  to?: string;
}

interface Values {
  action?: string;
  entityType?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

/** Action / entity type / date range filters; dates are whole local days. */
export function AuditFilters({ onChange }: { onChange: (filter: AuditFilter) => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();

  const apply = (values: Values) => {
    const filter: AuditFilter = {};
    const action = values.action?.trim();
    const entityType = values.entityType?.trim();
    if (action) filter.action = action;
    if (entityType) filter.entityType = entityType;
    const [start, end] = values.range ?? [null, null];
    if (start) filter.from = start.startOf('day').toISOString();
    if (end) filter.to = end.add(1, 'day').startOf('day').toISOString(); // `to` is exclusive
    onChange(filter);
  };

  return (
    <Form<Values> form={form} name="auditFilter" layout="inline" onFinish={apply} style={{ marginBottom: 16, rowGap: 12 }} data-testid="audit-filters">
      <Form.Item name="action" style={{ marginInlineEnd: 12 }}>
        <Input allowClear placeholder={t('audit.filterAction')} style={{ width: 200 }} data-testid="audit-filter-action" />
      </Form.Item>
      <Form.Item name="entityType" style={{ marginInlineEnd: 12 }}>
        <Input allowClear placeholder={t('audit.filterEntity')} style={{ width: 180 }} data-testid="audit-filter-entity" />
      </Form.Item>
      <Form.Item name="range" style={{ marginInlineEnd: 12 }}>
        <DatePicker.RangePicker allowEmpty={[true, true]} data-testid="audit-filter-range" />
      </Form.Item>
      <Flex gap={8}>
        <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="audit-filter-apply">
          {t('common.search')}
        </Button>
        <Button
          onClick={() => {
            form.resetFields();
            onChange({});
          }}
        >
          {t('common.reset')}
        </Button>
      </Flex>
    </Form>
  );
}
