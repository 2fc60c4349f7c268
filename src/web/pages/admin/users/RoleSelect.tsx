import { Select } from 'antd';
import { useT } from '../../../i18n/context';
import { useLabels } from '../../../i18n/labels';
import { useRoleList } from '../../../lib/roles';

export interface RoleSelectProps {
  value?: string[];
  onChange?: (roles: string[]) => void;
  id?: string;
  'data-testid'?: string;
}

/** Multi-select of roles with translated names. */
export function RoleSelect({ value, onChange, id, ...rest }: RoleSelectProps) {
  const t = useT();
  const labels = useLabels();
  const { roles, loading } = useRoleList();
  return (
    <Select<string[]>
      id={id}
      data-testid={rest['data-testid']}
      mode="multiple"
      value={value}
      onChange={onChange}
      loading={loading}
      placeholder={t('users.rolesPlaceholder')}
      options={roles.map((r) => ({ value: r.code, label: labels.roleOf(r) }))}
      optionFilterProp="label"
      style={{ width: '100%' }}
    />
  );
}
