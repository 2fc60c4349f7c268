import { useCallback, useEffect, useState } from 'react';
import { TreeSelect } from 'antd';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { Org } from '../../api/types';
import { useApiError } from '../../api/useApiError';
import { fetchOrgChildren } from '../../lib/orgsApi';

interface Node {
  id: string;
  pId: string | null;
  value: string;
  title: string;
  isLeaf: boolean;
  disabled: boolean;
}

const toNode = (o: Org, pId: string | null, onlyActive: boolean): Node => ({ id: o.id, pId, value: o.id, title: o.name, isLeaf: o.childCount === 0, disabled: onlyActive && !o.active });

export interface FundOrgSelectProps {
  /** Only organisations below this one (for allocations); the top of the caller's scope when omitted. */
  rootId?: string;
  /** With rootId: disabled until the root is chosen. */
  needsRoot?: boolean;
  value?: string;
  onChange?: (v: string | undefined) => void;
  placeholder?: string;
  allowClear?: boolean;
  onlyActive?: boolean;
  width?: number | string;
  id?: string;
  'data-testid'?: string;
}

/**
 * An organisation in the caller's scope, level by level (GET /api/orgs?parentId=…). A value chosen
 * elsewhere (a link from the overview, a reloaded URL) shows its name, looked up once.
 */
export function FundOrgSelect({ rootId, needsRoot, value, onChange, placeholder, allowClear, onlyActive = false, width = '100%', id, 'data-testid': testId }: FundOrgSelectProps) {
  const { showError } = useApiError();
  const [nodes, setNodes] = useState<Node[]>([]);
  const [names, setNames] = useState<Record<string, string>>({});

  useEffect(() => {
    setNodes([]);
    if (needsRoot && !rootId) return;
    let cancelled = false;
    fetchOrgChildren(rootId)
      .then((orgs) => !cancelled && setNodes(orgs.map((o) => toNode(o, null, onlyActive))))
      .catch((err: unknown) => !cancelled && showError(err));
    return () => {
      cancelled = true;
    };
  }, [rootId, needsRoot, onlyActive, showError]);

  // The name of a value not loaded in the tree.
  useEffect(() => {
    if (!value || names[value] || nodes.some((n) => n.id === value)) return;
    let cancelled = false;
    unwrap(api.GET('/api/orgs/{id}', { params: { path: { id: value } } }))
      .then((o) => !cancelled && setNames((m) => ({ ...m, [o.id]: o.name })))
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [value, names, nodes]);

  const loadData = useCallback(
    async (node: { value?: string | number | null }) => {
      if (node.value == null) return;
      const parentId = String(node.value);
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

  const label = value ? (nodes.find((n) => n.id === value)?.title ?? names[value] ?? '…') : undefined;

  return (
    <TreeSelect
      id={id}
      data-testid={testId}
      style={{ width }}
      labelInValue
      value={value ? { value, label } : undefined}
      onChange={(v: { value: string; label?: string } | undefined) => onChange?.(v?.value ?? undefined)}
      treeDataSimpleMode
      treeData={nodes.map((n) => ({ ...n, label: n.title }))}
      loadData={loadData}
      disabled={needsRoot && !rootId}
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
