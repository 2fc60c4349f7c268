import { useMemo, useState, useEffect } from 'react';
import { Menu } from 'antd';
import type { MenuProps } from 'antd';
import { Link, useLocation } from 'react-router';
import { useAuth } from '../auth/AuthContext';
import { useT } from '../i18n/context';
import { isGroup, selectedKeyFor, visibleNavigation } from './navigation';

type MenuItem = Required<MenuProps>['items'][number];

/** Side navigation filtered by the user's permissions. */
export function NavMenu({ collapsed, onNavigate }: { collapsed: boolean; onNavigate?: () => void }) {
  const t = useT();
  const { can } = useAuth();
  const { pathname } = useLocation();
  const { selected, open } = selectedKeyFor(pathname);
  const [openKeys, setOpenKeys] = useState<string[]>(open ? [open] : []);

  useEffect(() => {
    if (open) setOpenKeys((keys) => (keys.includes(open) ? keys : [...keys, open]));
  }, [open]);

  const items = useMemo<MenuItem[]>(
    () =>
      visibleNavigation(can).map((entry): MenuItem => {
        if (isGroup(entry)) {
          return {
            key: entry.key,
            icon: entry.icon,
            label: <span data-testid={entry.testId}>{t(entry.label)}</span>,
            children: entry.children.map((child) => ({
              key: child.key,
              icon: child.icon,
              label: (
                <Link to={child.path} data-testid={child.testId} onClick={onNavigate}>
                  {t(child.label)}
                </Link>
              ),
            })),
          };
        }
        return {
          key: entry.key,
          icon: entry.icon,
          label: (
            <Link to={entry.path} data-testid={entry.testId} onClick={onNavigate}>
              {t(entry.label)}
            </Link>
          ),
        };
      }),
    [can, t, onNavigate],
  );

  return (
    <Menu
      theme="dark"
      mode="inline"
      items={items}
      selectedKeys={selected ? [selected] : []}
      {...(collapsed ? {} : { openKeys, onOpenChange: setOpenKeys })}
      aria-label={t('nav.menu')}
      data-testid="nav"
      style={{ borderInlineEnd: 0 }}
    />
  );
}
