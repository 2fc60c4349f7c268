import { Suspense, useCallback, useState } from 'react';
import { Button, Drawer, Flex, Grid, Layout, Typography } from 'antd';
import { MenuFoldOutlined, MenuOutlined, MenuUnfoldOutlined } from '@ant-design/icons';
import { Link, Outlet, useLocation } from 'react-router';
import { useAuth } from '../auth/AuthContext';
import { ChangePasswordModal } from '../auth/ChangePasswordModal';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { FullPageSpin } from '../components/FullPageSpin';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useT } from '../i18n/context';
import { Brand } from './Brand';
import { NavMenu } from './NavMenu';
import { UserMenu } from './UserMenu';

const COLLAPSE_KEY = 'jk.siderCollapsed';
const SIDER_WIDTH = 240;
const SIDER_COLLAPSED_WIDTH = 64;

function readCollapsed(): boolean {
  try {
    return window.localStorage.getItem(COLLAPSE_KEY) === '1';
  } catch {
    return false;
  }
}

/**
 * Signed-in shell. Wide screens (≥ 992px): sider, collapsible and remembered.
 * Tablets (768–991px): sider folded to icons. Phones (< 768px): sider replaced by a drawer.
 */
export default function AppLayout() {
  const t = useT();
  const { logout } = useAuth();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const isPhone = screens.md === false;
  const isTablet = !isPhone && screens.lg === false;

  const [userCollapsed, setUserCollapsed] = useState(readCollapsed);
  const [tabletExpanded, setTabletExpanded] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [passwordOpen, setPasswordOpen] = useState(false);

  const collapsed = isTablet ? !tabletExpanded : userCollapsed;
  const toggleCollapsed = () => {
    if (isTablet) {
      setTabletExpanded((v) => !v);
      return;
    }
    const next = !userCollapsed;
    setUserCollapsed(next);
    try {
      window.localStorage.setItem(COLLAPSE_KEY, next ? '1' : '0');
    } catch {
      // ignore
    }
  };
  const closeDrawer = useCallback(() => setDrawerOpen(false), []);
  const foldTablet = useCallback(() => setTabletExpanded(false), []);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {isPhone ? (
        <Drawer
          open={drawerOpen}
          onClose={closeDrawer}
          placement="left"
          size={SIDER_WIDTH + 40}
          closable={false}
          styles={{ body: { padding: 0, background: '#0f2a4a' }, header: { display: 'none' } }}
          data-testid="nav-drawer"
        >
          <Brand collapsed={false} />
          <NavMenu collapsed={false} onNavigate={closeDrawer} />
        </Drawer>
      ) : (
        <Layout.Sider
          width={SIDER_WIDTH}
          collapsedWidth={SIDER_COLLAPSED_WIDTH}
          collapsed={collapsed}
          trigger={null}
          style={
            isTablet
              ? { position: 'fixed', insetInlineStart: 0, top: 0, bottom: 0, overflow: 'auto', zIndex: 120 }
              : { position: 'sticky', top: 0, height: '100vh', overflow: 'auto', zIndex: 20 }
          }
          data-testid="sider"
        >
          <Brand collapsed={collapsed} />
          <NavMenu collapsed={collapsed} onNavigate={isTablet ? foldTablet : undefined} />
        </Layout.Sider>
      )}
      {isTablet && !collapsed ? (
        // Tablets: the expanded sider floats over the page; a tap outside folds it again.
        <div
          onClick={foldTablet}
          aria-hidden
          style={{ position: 'fixed', inset: 0, background: 'rgba(0,0,0,0.25)', zIndex: 110 }}
        />
      ) : null}
      <Layout style={isTablet ? { marginInlineStart: SIDER_COLLAPSED_WIDTH } : undefined}>
        <Layout.Header
          style={{
            position: 'sticky',
            top: 0,
            zIndex: 10,
            display: 'flex',
            alignItems: 'center',
            gap: 12,
            borderBottom: '1px solid #e8ebf0',
          }}
        >
          {isPhone ? (
            <>
              <Button
                type="text"
                icon={<MenuOutlined />}
                onClick={() => setDrawerOpen(true)}
                aria-label={t('header.openMenu')}
                data-testid="nav-toggle"
              />
              <Link to="/" style={{ color: 'inherit' }}>
                <Typography.Text strong style={{ fontSize: 16 }}>
                  {t('app.name')}
                </Typography.Text>
              </Link>
            </>
          ) : (
            <Button
              type="text"
              icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
              onClick={toggleCollapsed}
              aria-label={collapsed ? t('header.expand') : t('header.collapse')}
              data-testid="nav-toggle"
            />
          )}
          <Flex flex={1} justify="end" align="center" gap={12} style={{ minWidth: 0 }}>
            <LanguageSwitch size="small" />
            <UserMenu onChangePassword={() => setPasswordOpen(true)} onLogout={() => void logout()} />
          </Flex>
        </Layout.Header>
        <Layout.Content style={{ padding: isPhone ? 12 : 24, minWidth: 0 }}>
          <ErrorBoundary key={location.pathname}>
            <Suspense fallback={<FullPageSpin minHeight={320} />}>
              <Outlet />
            </Suspense>
          </ErrorBoundary>
        </Layout.Content>
      </Layout>
      <ChangePasswordModal open={passwordOpen} onClose={() => setPasswordOpen(false)} />
    </Layout>
  );
}
