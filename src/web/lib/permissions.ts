/** Permission codes (`domain.action`) known to this front end, in display order. */
export const KNOWN_PERMISSIONS = [
  'org.read',
  'org.manage',
  'user.read',
  'user.manage',
  'role.read',
  'role.manage',
  'audit.read',
  'audit.verify',
  'region.read',
  'household.read',
  'household.write',
  'household.approve',
  'household.export',
  'pii.view',
  'programme.read',
  'programme.manage',
  'application.read',
  'application.write',
  'application.approve',
  'fund.read',
  'fund.manage',
  'payment.read',
  'payment.manage',
  'payment.approve',
  'centre.read',
  'centre.manage',
  'monitor.read',
  'monitor.manage',
  'report.read',
  'report.submit',
  'report.approve',
  'inspection.read',
  'inspection.manage',
] as const;

export type Permission = (typeof KNOWN_PERMISSIONS)[number];

export function domainOf(permission: string): string {
  const dot = permission.indexOf('.');
  return dot < 0 ? permission : permission.slice(0, dot);
}

export interface PermissionGroup {
  domain: string;
  permissions: string[];
}

/**
 * Groups permissions by domain, keeping the known order first and appending
 * any codes the server has that this build does not know yet.
 */
export function groupByDomain(permissions: readonly string[]): PermissionGroup[] {
  const order = new Map<string, number>();
  KNOWN_PERMISSIONS.forEach((p, i) => order.set(p, i));
  const sorted = [...new Set(permissions)].sort((a, b) => {
    const ia = order.get(a) ?? Number.MAX_SAFE_INTEGER;
    const ib = order.get(b) ?? Number.MAX_SAFE_INTEGER;
    return ia === ib ? a.localeCompare(b) : ia - ib;
  });
  const groups: PermissionGroup[] = [];
  for (const p of sorted) {
    const domain = domainOf(p);
    const last = groups[groups.length - 1];
    const existing = last?.domain === domain ? last : groups.find((g) => g.domain === domain);
    if (existing) existing.permissions.push(p);
    else groups.push({ domain, permissions: [p] });
  }
  return groups;
}
