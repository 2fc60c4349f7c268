import { Checkbox, Descriptions, Flex } from 'antd';
import { useLabels } from '../../../i18n/labels';
import { groupByDomain } from '../../../lib/permissions';

export interface RolePermissionsEditorProps {
  /** Every permission the server knows. */
  available: string[];
  value: string[];
  onChange: (permissions: string[]) => void;
}

/** Checkboxes for every permission, grouped by domain, with a per-domain "all" toggle. */
export function RolePermissionsEditor({ available, value, onChange }: RolePermissionsEditorProps) {
  const labels = useLabels();
  const selected = new Set(value);
  const groups = groupByDomain([...available, ...value], available);

  const setGroup = (perms: string[], on: boolean) => {
    const next = new Set(selected);
    for (const p of perms) {
      if (on) next.add(p);
      else next.delete(p);
    }
    onChange([...next]);
  };

  return (
    <Descriptions column={1} bordered size="small" styles={{ label: { width: 180 } }} data-testid="role-permissions-editor">
      {groups.map((g) => {
        const count = g.permissions.filter((p) => selected.has(p)).length;
        return (
          <Descriptions.Item
            key={g.domain}
            label={
              <Checkbox
                checked={count === g.permissions.length}
                indeterminate={count > 0 && count < g.permissions.length}
                onChange={(e) => setGroup(g.permissions, e.target.checked)}
              >
                {labels.permissionDomain(g.domain)}
              </Checkbox>
            }
          >
            <Flex gap={12} wrap>
              {g.permissions.map((p) => (
                <Checkbox
                  key={p}
                  checked={selected.has(p)}
                  onChange={(e) => setGroup([p], e.target.checked)}
                  title={p}
                  data-testid={`perm-check-${p}`}
                >
                  {labels.permission(p)}
                </Checkbox>
              ))}
            </Flex>
          </Descriptions.Item>
        );
      })}
    </Descriptions>
  );
}
