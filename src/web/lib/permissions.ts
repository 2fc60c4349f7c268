export function domainOf(permission: string): string {
  const dot = permission.indexOf('.');
  return dot < 0 ? permission : permission.slice(0, dot);
}

export interface PermissionGroup {
  domain: string;
  permissions: string[];
}

/**
 * Groups permissions by domain in the order of the server's catalogue (GET /api/roles
 * returns it), appending any code the catalogue does not list.
 */
export function groupByDomain(permissions: readonly string[], catalogue: readonly string[]): PermissionGroup[] {
  const order = new Map<string, number>();
  catalogue.forEach((p, i) => order.set(p, i));
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
