import { useState } from 'react';
import { App, Button, Card, Col, Row } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { Org } from '../../api/types';
import { useApiError } from '../../api/useApiError';
import { useAuth } from '../../auth/AuthContext';
import { PageHeader } from '../../components/PageHeader';
import { useT } from '../../i18n/context';
import { OrgCreateModal } from './orgs/OrgCreateModal';
import { OrgDetails } from './orgs/OrgDetails';
import { OrgEditModal } from './orgs/OrgEditModal';
import { OrgTree } from './orgs/OrgTree';
import { useOrgTree } from './orgs/useOrgTree';

export default function OrgsPage() {
  const t = useT();
  const { can } = useAuth();
  const { message } = App.useApp();
  const { showError } = useApiError();
  const model = useOrgTree();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [expandedKeys, setExpandedKeys] = useState<string[]>([]);
  const [creatingUnder, setCreatingUnder] = useState<Org | null>(null);
  const [editing, setEditing] = useState<Org | null>(null);
  const [busy, setBusy] = useState(false);

  const selected = selectedId ? model.find(selectedId) : undefined;
  const parentName = selected?.parentId ? model.find(selected.parentId)?.name : undefined;

  const setActive = async (org: Org, active: boolean) => {
    setBusy(true);
    try {
      const saved = await unwrap(api.PATCH('/api/orgs/{id}', { params: { path: { id: org.id } }, body: { active } }));
      model.update(saved);
      void message.success(active ? t('orgs.activated') : t('orgs.deactivated'));
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  const created = async (org: Org) => {
    const parentId = creatingUnder?.id;
    setCreatingUnder(null);
    void message.success(t('common.created'));
    if (parentId) {
      await model.refreshParent(parentId);
      setExpandedKeys((keys) => (keys.includes(parentId) ? keys : [...keys, parentId]));
    }
    setSelectedId(org.id);
  };

  return (
    <>
      <PageHeader
        title={t('nav.adminOrgs')}
        extra={
          <Button icon={<ReloadOutlined />} onClick={model.reload} data-testid="orgs-reload">
            {t('common.refresh')}
          </Button>
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10} xl={9}>
          <Card title={t('orgs.tree')} styles={{ body: { maxHeight: 'calc(100vh - 230px)', minHeight: 120, overflow: 'auto' } }}>
            <OrgTree model={model} selectedId={selectedId} onSelect={setSelectedId} expandedKeys={expandedKeys} onExpand={setExpandedKeys} />
          </Card>
        </Col>
        <Col xs={24} lg={14} xl={15}>
          <Card title={t('common.details')}>
            <OrgDetails
              org={selected}
              parentName={parentName}
              canManage={can('org.manage')}
              busy={busy}
              onCreateChild={setCreatingUnder}
              onEdit={setEditing}
              onSetActive={(org, active) => void setActive(org, active)}
            />
          </Card>
        </Col>
      </Row>
      <OrgCreateModal parent={creatingUnder} onClose={() => setCreatingUnder(null)} onCreated={(org) => void created(org)} />
      <OrgEditModal
        org={editing}
        onClose={() => setEditing(null)}
        onSaved={(org) => {
          setEditing(null);
          model.update(org);
          void message.success(t('common.saved'));
        }}
      />
    </>
  );
}
