import { useCallback, useEffect, useState, type CSSProperties } from 'react';
import { Tag, TreeSelect } from 'antd';
import type { Org } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useT } from '../i18n/context';
import { fetchOrgChildren } from '../lib/orgsApi';

interface SimpleNode {
  id: string;
  pId: string | null;
  value: string;
  title: string;
  isLeaf: boolean;
  disabled?: boolean;
  org: Org;
}

function toNode(org: Org, pId: string | null, onlyActive: boolean): SimpleNode {
  return {
    id: org.id,
    pId,
    value: org.id,
    title: org.name,
    isLeaf: org.childCount === 0,
    disabled: onlyActive && !org.active,
    org,
  };
}

export interface OrgTreeSelectProps {
  value?: string;
  onChange?: (orgId: string | undefined) => void;
  placeholder?: string;
  allowClear?: boolean;
  /** Disable inactive organisations (when choosing where to put a user). */
  onlyActive?: boolean;
  id?: string;
  style?: CSSProperties;
  'data-testid'?: string;
}

/** Organisation picker; loads each level on expand via GET /api/orgs?parentId=…. */
export function OrgTreeSelect({ value, onChange, placeholder, allowClear, onlyActive = false, id, style, ...rest }: OrgTreeSelectProps) {
  const t = useT();
  const { showError } = useApiError();
  const [nodes, setNodes] = useState<SimpleNode[]>([]);

  useEffect(() => {
    let cancelled = false;
    fetchOrgChildren()
      .then((orgs) => !cancelled && setNodes(orgs.map((o) => toNode(o, null, onlyActive))))
      .catch((err: unknown) => !cancelled && showError(err));
    return () => {
      cancelled = true;
    };
  }, [onlyActive, showError]);

  const loadData = useCallback(
    async (node: { value?: string | number | null }) => {
      const parentId = node.value == null ? undefined : String(node.value);
      if (!parentId) return;
      try {
        const orgs = await fetchOrgChildren(parentId);
        setNodes((prev) => {
          const known = new Set(prev.map((n) => n.id));
          return [...prev, ...orgs.filter((o) => !known.has(o.id)).map((o) => toNode(o, parentId, onlyActive))];
        });
      } catch (err) {
        showError(err);
      }
    },
    [onlyActive, showError],
  );

  return (
    <TreeSelect
      id={id}
      data-testid={rest['data-testid']}
      style={{ width: '100%', ...style }}
      value={value}
      onChange={(v: string | undefined) => onChange?.(v ?? undefined)}
      treeDataSimpleMode
      treeData={nodes.map(({ org, ...n }) => ({
        ...n,
        title: org.active ? (
          n.title
        ) : (
          <span>
            {n.title} <Tag>{t('orgs.inactiveTag')}</Tag>
          </span>
        ),
        label: n.title,
      }))}
      loadData={loadData}
      placeholder={placeholder}
      allowClear={allowClear}
      showSearch
      treeNodeFilterProp="label"
      treeNodeLabelProp="label"
      popupMatchSelectWidth={false}
      styles={{ popup: { root: { maxHeight: 400, overflow: 'auto', minWidth: 280 } } }}
    />
  );
}
