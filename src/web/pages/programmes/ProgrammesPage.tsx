import { useCallback, useEffect, useMemo, useState } from 'react';
import { App, Button, Card, Checkbox, Descriptions, Drawer, Flex, Grid, Popconfirm, Select, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { TableColumnsType } from 'antd';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { ResponseOf } from '../../api/types';
import { useApiError } from '../../api/useApiError';
import { useAuth } from '../../auth/AuthContext';
import { PageHeader } from '../../components/PageHeader';
import { type Translate, useI18n } from '../../i18n/context';
import { KINDS, ProgrammeFormModal } from './ProgrammeFormModal';
import { eligibilityInWords, formulaInWords, useWords, yuanText } from './words';

type Programme = ResponseOf<'/api/programmes', 'get'>['items'][number];

const KIND_COLORS: Record<string, string> = {
  living_subsidy: 'blue',
  festival_relief: 'red',
  education_aid: 'gold',
  medical_aid: 'green',
  temporary_aid: 'orange',
  entrepreneurship: 'purple',
  skills_training: 'cyan',
  graduate_employment: 'geekblue',
};

function Posting({ p, t }: { p: Programme; t: Translate }) {
  return p.postingRequired ? <Tag color="volcano">{t('prog.postingDays', { days: p.postingDays })}</Tag> : <Typography.Text type="secondary">{t('prog.noPosting')}</Typography.Text>;
}

/** 帮扶项目: the catalogue that applies in the user's scope, read-only (managed through the API for now). */
export default function ProgrammesPage() {
  const { t, lang } = useI18n();
  const words = useWords();
  const { showError } = useApiError();
  const screens = Grid.useBreakpoint();
  const [kind, setKind] = useState<string | undefined>();
  const [inactive, setInactive] = useState(false);
  const [items, setItems] = useState<Programme[]>([]);
  const [loading, setLoading] = useState(true);
  const [open, setOpen] = useState<Programme | null>(null);
  const [editing, setEditing] = useState<Programme | null | 'new'>(null);
  const { can } = useAuth();
  const { message } = App.useApp();
  const manage = can('programme.manage');

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const r = await unwrap(api.GET('/api/programmes', { params: { query: { ...(kind ? { kind } : {}), ...(inactive ? { includeInactive: true } : {}) } } }));
      setItems([...r.items].sort((a, b) => KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind) || a.code.localeCompare(b.code)));
    } catch (err) {
      showError(err);
    } finally {
      setLoading(false);
    }
  }, [kind, inactive, showError]);

  useEffect(() => {
    void load();
  }, [load]);

  const deactivate = async (p: Programme) => {
    try {
      const r = await unwrap(api.POST('/api/programmes/{id}/deactivate', { params: { path: { id: p.id } }, body: { version: p.version } }));
      setOpen(r);
      void message.success(t('prog.deactivated'));
      void load();
    } catch (err) {
      showError(err);
    }
  };

  const name = (p: Programme) => (lang === 'zh-CN' ? p.nameZh : p.nameEn);

  const columns = useMemo<TableColumnsType<Programme>>(
    () => [
      {
        title: t('prog.name'),
        key: 'name',
        width: 260,
        render: (_: unknown, p) => (
          <Flex vertical gap={2}>
            <Typography.Link strong onClick={() => setOpen(p)} data-testid={`programme-${p.code}`}>
              {name(p)}
            </Typography.Link>
            <Flex gap={4} wrap>
              <Tag color={KIND_COLORS[p.kind]} style={{ marginInlineEnd: 0 }}>
                {t(`prog.kind.${p.kind}` as never)}
              </Tag>
              {!p.active && <Tag style={{ marginInlineEnd: 0 }}>{t('prog.inactive')}</Tag>}
            </Flex>
            <Typography.Text type="secondary" ellipsis={{ tooltip: p.policyBasis }} style={{ fontSize: 12, maxWidth: 240 }}>
              {t('prog.basisLine', { basis: p.policyBasis })}
            </Typography.Text>
          </Flex>
        ),
      },
      { title: t('prog.frequency'), key: 'frequency', width: 90, render: (_: unknown, p) => t(`prog.freq.${p.frequency}` as never) },
      { title: t('prog.amount'), key: 'amount', render: (_: unknown, p) => formulaInWords(p, words) },
      {
        title: t('prog.eligibility'),
        key: 'eligibility',
        render: (_: unknown, p) => {
          const lines = eligibilityInWords(p, words);
          return lines.length ? (
            <Typography.Text type="secondary">{lines.join(t('prog.and'))}</Typography.Text>
          ) : (
            <Typography.Text type="secondary">{t('prog.anyone')}</Typography.Text>
          );
        },
      },
      {
        title: t('prog.cap'),
        key: 'cap',
        width: 120,
        align: 'right',
        render: (_: unknown, p) => (p.capPerHouseholdYearFen ? t('prog.yuan', { amount: yuanText(p.capPerHouseholdYearFen) }) : <Typography.Text type="secondary">{t('prog.noCap')}</Typography.Text>),
      },
      { title: t('prog.posting'), key: 'posting', width: 110, render: (_: unknown, p) => <Posting p={p} t={t} /> },
    ],
    [t, words, lang],
  );

  return (
    <>
      <PageHeader
        title={t('prog.title')}
        extra={
          manage ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="programme-create">
              {t('prog.create')}
            </Button>
          ) : undefined
        }
      />
      <Typography.Paragraph type="secondary" style={{ maxWidth: 860 }}>
        {t('prog.intro')}
      </Typography.Paragraph>
      <Card>
        <Flex gap={16} wrap align="center" style={{ marginBottom: 16 }}>
          <Select
            allowClear
            placeholder={t('prog.filterKind')}
            style={{ width: 200 }}
            value={kind}
            onChange={setKind}
            options={KINDS.map((k) => ({ value: k, label: t(`prog.kind.${k}` as never) }))}
            data-testid="programme-kind-filter"
          />
          <Checkbox checked={inactive} onChange={(e) => setInactive(e.target.checked)}>
            {t('prog.showInactive')}
          </Checkbox>
        </Flex>
        <Table<Programme>
          rowKey="id"
          size="middle"
          loading={loading}
          columns={columns}
          dataSource={items}
          pagination={false}
          scroll={{ x: 980 }}
          locale={{ emptyText: t('prog.empty') }}
          data-testid="programmes-table"
        />
      </Card>
      <Drawer open={open !== null} onClose={() => setOpen(null)} size={screens.md ? 640 : '100%'} title={open ? name(open) : ''} data-testid="programme-drawer">
        {open && (
          <Descriptions column={1} size="small" bordered styles={{ label: { width: 140 } }}>
            <Descriptions.Item label={t('prog.kind')}>
              <Tag color={KIND_COLORS[open.kind]}>{t(`prog.kind.${open.kind}` as never)}</Tag>
              {!open.active && <Tag>{t('prog.inactive')}</Tag>}
            </Descriptions.Item>
            <Descriptions.Item label={t('prog.code')}>
              <Typography.Text code>{open.code}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('prog.frequency')}>{t(`prog.freq.${open.frequency}` as never)}</Descriptions.Item>
            <Descriptions.Item label={t('prog.amount')}>{formulaInWords(open, words)}</Descriptions.Item>
            <Descriptions.Item label={t('prog.eligibility')}>
              {open.eligibility.allOf.length ? (
                <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                  {eligibilityInWords(open, words).map((l) => (
                    <li key={l}>{l}</li>
                  ))}
                </ul>
              ) : (
                t('prog.anyone')
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('prog.cap')}>{open.capPerHouseholdYearFen ? t('prog.yuan', { amount: yuanText(open.capPerHouseholdYearFen) }) : t('prog.noCap')}</Descriptions.Item>
            <Descriptions.Item label={t('prog.posting')}>
              <Posting p={open} t={t} />
            </Descriptions.Item>
            <Descriptions.Item label={t('prog.policyBasis')}>{open.policyBasis}</Descriptions.Item>
            <Descriptions.Item label={t('prog.region')}>{open.regionPrefix === '' ? t('prog.national') : open.regionPrefix}</Descriptions.Item>
            <Descriptions.Item label={t('prog.fundType')}>{open.fundType}</Descriptions.Item>
            <Descriptions.Item label={t('prog.approval')}>{open.approvalKind}</Descriptions.Item>
            <Descriptions.Item label={t('prog.version')}>
              {open.version} · {new Date(open.updatedAt).toLocaleString(lang)}
            </Descriptions.Item>
          </Descriptions>
        )}
        <Flex justify="end" gap={8} style={{ marginTop: 16 }}>
          {manage && open?.active && (
            <Popconfirm title={t('prog.deactivateConfirm')} onConfirm={() => void deactivate(open)}>
              <Button danger data-testid="programme-deactivate">
                {t('prog.deactivate')}
              </Button>
            </Popconfirm>
          )}
          {manage && open && (
            <Button
              onClick={() => {
                setEditing(open);
                setOpen(null);
              }}
              data-testid="programme-edit"
            >
              {t('prog.edit')}
            </Button>
          )}
          <Button onClick={() => setOpen(null)}>{t('common.close')}</Button>
        </Flex>
      </Drawer>
      <ProgrammeFormModal
        open={editing !== null}
        editing={editing === 'new' ? null : editing}
        code={words.code}
        onClose={() => setEditing(null)}
        onSaved={(p) => {
          setEditing(null);
          setOpen(p);
          void message.success(t('prog.saved'));
          void load();
        }}
      />
    </>
  );
}
