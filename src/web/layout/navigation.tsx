import type { ReactNode } from 'react';
import {
  AlertOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  DashboardOutlined,
  FileDoneOutlined,
  GiftOutlined,
  IdcardOutlined,
  MoneyCollectOutlined,
  NotificationOutlined,
  NodeIndexOutlined,
  ProfileOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  ShopOutlined,
  TransactionOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { MessageKey } from '../i18n/zh-CN';

export interface NavLeaf {
  key: string;
  path: string;
  label: MessageKey;
  icon: ReactNode;
  /** Shown only to users holding this permission; undefined = everyone signed in. */
  permission?: string;
  /** Shown only to users holding at least one of these (with `permission`, both must hold). */
  anyPermission?: readonly string[];
  testId: string;
}

export interface NavGroup {
  key: string;
  path: string;
  label: MessageKey;
  icon: ReactNode;
  testId: string;
  children: NavLeaf[];
}

export type NavEntry = NavLeaf | NavGroup;

export function isGroup(entry: NavEntry): entry is NavGroup {
  return 'children' in entry;
}

/** 困难职工档案: find a file by ID number, file a new one, read a file. */
export const HOUSEHOLDS_NAV: NavLeaf = {
  key: 'households',
  path: '/households',
  label: 'nav.households',
  icon: <IdcardOutlined />,
  permission: 'household.read',
  testId: 'nav-households',
};

/** Modules that are planned but not built yet: they render a "coming soon" page. */
export const UPCOMING_MODULES: NavLeaf[] = [
  { key: 'centres', path: '/centres', label: 'nav.centres', icon: <ShopOutlined />, permission: 'centre.read', testId: 'nav-centres' },
  { key: 'monitoring', path: '/monitoring', label: 'nav.monitoring', icon: <AlertOutlined />, permission: 'monitor.read', testId: 'nav-monitoring' },
  { key: 'reports', path: '/reports', label: 'nav.reports', icon: <BarChartOutlined />, permission: 'report.read', testId: 'nav-reports' },
];

export const ADMIN_PAGES: NavLeaf[] = [
  { key: 'admin-orgs', path: '/admin/orgs', label: 'nav.adminOrgs', icon: <ApartmentOutlined />, permission: 'org.read', testId: 'nav-admin-orgs' },
  { key: 'admin-users', path: '/admin/users', label: 'nav.adminUsers', icon: <UserOutlined />, permission: 'user.read', testId: 'nav-admin-users' },
  { key: 'admin-roles', path: '/admin/roles', label: 'nav.adminRoles', icon: <SafetyCertificateOutlined />, permission: 'role.read', testId: 'nav-admin-roles' },
  { key: 'admin-audit', path: '/admin/audit', label: 'nav.adminAudit', icon: <AuditOutlined />, permission: 'audit.read', testId: 'nav-admin-audit' },
  { key: 'admin-approval-policies', path: '/admin/approval-policies', label: 'nav.adminApprovalPolicies', icon: <NodeIndexOutlined />, permission: 'role.read', testId: 'nav-admin-approval-policies' },
  { key: 'standards', path: '/standards', label: 'std.nav', icon: <ProfileOutlined />, permission: 'standard.manage', testId: 'nav-standards' },
];

export const NAVIGATION: NavEntry[] = [
  { key: 'dashboard', path: '/', label: 'nav.dashboard', icon: <DashboardOutlined />, testId: 'nav-dashboard' },
  HOUSEHOLDS_NAV,
  { key: 'approvals', path: '/approvals', label: 'appr.nav', icon: <FileDoneOutlined />, anyPermission: ['household.approve', 'application.approve', 'payment.approve'], testId: 'nav-approvals' },
  { key: 'programmes', path: '/programmes', label: 'nav.programmes', icon: <GiftOutlined />, permission: 'programme.read', testId: 'nav-programmes' },
  { key: 'postings', path: '/postings', label: 'nav.postings', icon: <NotificationOutlined />, anyPermission: ['application.approve', 'household.approve'], testId: 'nav-postings' },
  { key: 'funds', path: '/funds', label: 'nav.funds', icon: <MoneyCollectOutlined />, permission: 'fund.read', testId: 'nav-funds' },
  { key: 'payments', path: '/payments', label: 'nav.payments', icon: <TransactionOutlined />, permission: 'payment.read', testId: 'nav-payments' },
  ...UPCOMING_MODULES,
  { key: 'admin', path: '/admin', label: 'nav.admin', icon: <SettingOutlined />, testId: 'nav-admin', children: ADMIN_PAGES },
];

/** Navigation pruned to what `can` allows; groups with no visible child disappear. */
export function visibleNavigation(can: (permission: string) => boolean): NavEntry[] {
  const allowed = (leaf: NavLeaf) => (!leaf.permission || can(leaf.permission)) && (!leaf.anyPermission || leaf.anyPermission.some(can));
  const result: NavEntry[] = [];
  for (const entry of NAVIGATION) {
    if (isGroup(entry)) {
      const children = entry.children.filter(allowed);
      if (children.length > 0) result.push({ ...entry, children });
    } else if (allowed(entry)) {
      result.push(entry);
    }
  }
  return result;
}

/** Key of the nav leaf matching a pathname (longest path prefix wins). */
export function selectedKeyFor(pathname: string): { selected: string; open: string | null } {
  if (pathname === '/' || pathname === '') return { selected: 'dashboard', open: null };
  for (const entry of NAVIGATION) {
    if (isGroup(entry)) {
      const child = entry.children.find((c) => pathname === c.path || pathname.startsWith(`${c.path}/`));
      if (child) return { selected: child.key, open: entry.key };
      if (pathname === entry.path) return { selected: '', open: entry.key };
    } else if (entry.path !== '/' && (pathname === entry.path || pathname.startsWith(`${entry.path}/`))) {
      return { selected: entry.key, open: null };
    }
  }
  return { selected: '', open: null };
}

