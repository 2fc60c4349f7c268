/**
 * Named permissions, `domain.action`. Routes ask for one; roles grant sets of them.
 * The catalogue is closed: a role can only hold permissions listed here.
 */
export const permissions = [
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
  'standard.manage',
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
] as const

export type Permission = (typeof permissions)[number]

export function isPermission(value: string): value is Permission {
  return (permissions as readonly string[]).includes(value)
}

export interface BuiltInRole {
  code: string
  nameZh: string
  nameEn: string
  permissions: readonly Permission[]
}

const read = ['region.read', 'org.read'] as const

/** The roles of domain.md §1. Their permission sets can be changed by an administrator. */
export const builtInRoles: readonly BuiltInRole[] = [
  {
    code: 'admin',
    nameZh: '系统管理员',
    nameEn: 'Administrator',
    permissions: [...read, 'org.manage', 'user.read', 'user.manage', 'role.read', 'role.manage', 'audit.read', 'standard.manage', 'programme.read', 'programme.manage'],
  },
  {
    code: 'case_worker',
    nameZh: '帮扶工作人员',
    nameEn: 'Case worker',
    permissions: [...read, 'household.read', 'household.write', 'household.export', 'programme.read', 'application.read', 'application.write', 'report.read'],
  },
  {
    code: 'approver',
    nameZh: '审核审批人',
    nameEn: 'Approver',
    permissions: [...read, 'household.read', 'household.approve', 'pii.view', 'programme.read', 'application.read', 'application.approve', 'payment.read', 'payment.approve', 'report.read', 'report.approve'],
  },
  {
    code: 'fund_manager',
    nameZh: '财务人员',
    nameEn: 'Fund manager',
    permissions: [...read, 'household.read', 'programme.read', 'fund.read', 'fund.manage', 'payment.read', 'payment.manage', 'report.read'],
  },
  {
    code: 'centre_operator',
    nameZh: '再就业服务中心经办人',
    nameEn: 'Re-employment centre operator',
    permissions: [...read, 'centre.read', 'centre.manage', 'report.read', 'report.submit'],
  },
  {
    code: 'monitor',
    nameZh: '劳动保障监控人员',
    nameEn: 'Monitor',
    permissions: [...read, 'monitor.read', 'monitor.manage', 'centre.read', 'report.read', 'report.submit'],
  },
  {
    code: 'inspector',
    nameZh: '督查审计人员',
    nameEn: 'Inspector / auditor',
    permissions: [...read, 'audit.read', 'audit.verify', 'household.read', 'programme.read', 'fund.read', 'payment.read', 'centre.read', 'monitor.read', 'report.read', 'inspection.read', 'inspection.manage'],
  },
]
