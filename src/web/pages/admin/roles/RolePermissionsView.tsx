import { Descriptions, Empty, Flex, Tag } from 'antd';
import { useT } from '../../../i18n/context';
import { useLabels } from '../../../i18n/labels';
import { groupByDomain } from '../../../lib/permissions';

/** A role's permissions grouped by domain, read-only. */
export function RolePermissionsView({ permissions, catalogue }: { permissions: string[]; catalogue: readonly string[] }) {
  const t = useT();
  const labels = useLabels();
  const groups = groupByDomain(permissions, catalogue);
  if (groups.length === 0) return <Empty description={t('roles.noPermissions')} />;
  return (
    <Descriptions column={1} bordered size="small" styles={{ label: { width: 160 } }} data-testid="role-permissions">
      {groups.map((g) => (
        <Descriptions.Item key={g.domain} label={labels.permissionDomain(g.domain)}>
          <Flex gap={6} wrap>
            {g.permissions.map((p) => (
              <Tag key={p} color="blue" title={p} data-testid={`perm-${p}`} style={{ marginInlineEnd: 0 }}>
                {labels.permission(p)}
              </Tag>
            ))}
          </Flex>
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}
