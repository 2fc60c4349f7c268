import { useMemo } from 'react';
import { Empty, Flex, Spin, Tag, Tree } from 'antd';
import type { TreeDataNode } from 'antd';
import type { Org } from '../../../api/types';
import { useT } from '../../../i18n/context';
import type { OrgTreeModel } from './useOrgTree';

export interface OrgTreeProps {
  model: OrgTreeModel;
  selectedId: string | null;
  onSelect: (id: string) => void;
  expandedKeys: string[];
  onExpand: (keys: string[]) => void;
}

export function OrgTree({ model, selectedId, onSelect, expandedKeys, onExpand }: OrgTreeProps) {
  const t = useT();
  const { roots, children, loadChildren } = model;

  const treeData = useMemo(() => {
    const build = (orgs: Org[]): TreeDataNode[] =>
      orgs.map((org) => {
        const loaded = children.get(org.id);
        return {
          key: org.id,
          isLeaf: org.childCount === 0,
          title: (
            <span data-testid={`org-node-${org.id}`} style={org.active ? undefined : { color: 'rgba(0,0,0,0.45)' }}>
              {org.name}
              {org.active ? null : (
                <Tag style={{ marginInlineStart: 6 }} variant="filled">
                  {t('orgs.inactiveTag')}
                </Tag>
              )}
            </span>
          ),
          ...(loaded ? { children: build(loaded) } : {}),
        };
      });
    return build(roots ?? []);
  }, [roots, children, t]);

  if (roots === null) {
    return (
      <Flex justify="center" style={{ padding: 32 }}>
        <Spin />
      </Flex>
    );
  }
  if (roots.length === 0) return <Empty description={t('orgs.empty')} />;

  return (
    <Tree
      treeData={treeData}
      selectedKeys={selectedId ? [selectedId] : []}
      expandedKeys={expandedKeys}
      loadedKeys={[...children.keys()]}
      onExpand={(keys) => onExpand(keys.map(String))}
      onSelect={(keys) => {
        const key = keys[0];
        if (key !== undefined) onSelect(String(key));
      }}
      loadData={(node) => loadChildren(String(node.key))}
      showLine={{ showLeafIcon: false }}
      blockNode
      data-testid="org-tree"
    />
  );
}
