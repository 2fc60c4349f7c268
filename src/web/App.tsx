import { lazy, Suspense, type ReactNode } from 'react';
import { App as AntdApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { Navigate, Route, Routes } from 'react-router';
import { AuthProvider, useAuth } from './auth/AuthContext';
import { RequireAuth } from './auth/RequireAuth';
import { ErrorBoundary } from './components/ErrorBoundary';
import { FullPageSpin } from './components/FullPageSpin';
import { I18nProvider } from './i18n/I18nProvider';
import { useLang } from './i18n/context';
import { ADMIN_PAGES, UPCOMING_MODULES } from './layout/navigation';
import { useReducedMotion } from './lib/useReducedMotion';
import { stillTheme, theme } from './theme';

const LoginPage = lazy(() => import('./pages/LoginPage'));
const PublicPostingsPage = lazy(() => import('./pages/public/PublicPostingsPage'));
const PublicPostingPage = lazy(() => import('./pages/public/PublicPostingPage'));
const AppLayout = lazy(() => import('./layout/AppLayout'));
const DashboardPage = lazy(() => import('./pages/DashboardPage'));
const ComingSoonPage = lazy(() => import('./pages/ComingSoonPage'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));
const OrgsPage = lazy(() => import('./pages/admin/OrgsPage'));
const UsersPage = lazy(() => import('./pages/admin/UsersPage'));
const RolesPage = lazy(() => import('./pages/admin/RolesPage'));
const AuditPage = lazy(() => import('./pages/admin/AuditPage'));
const ApprovalPoliciesPage = lazy(() => import('./pages/admin/ApprovalPoliciesPage'));
const HouseholdsPage = lazy(() => import('./pages/households/HouseholdsPage'));
const HouseholdFormPage = lazy(() => import('./pages/households/HouseholdFormPage'));
const HouseholdDetailPage = lazy(() => import('./pages/households/HouseholdDetailPage'));
const ApprovalsPage = lazy(() => import('./pages/approvals/ApprovalsPage'));
const ReverificationPage = lazy(() => import('./pages/households/ReverificationPage'));
const StandardsPage = lazy(() => import('./pages/standards/StandardsPage'));
const ProgrammesPage = lazy(() => import('./pages/programmes/ProgrammesPage'));
const HouseholdPrintPage = lazy(() => import('./pages/households/HouseholdPrintPage'));
const PostingsPage = lazy(() => import('./pages/postings/PostingsPage'));
const PostingDetailPage = lazy(() => import('./pages/postings/PostingDetailPage'));
const PostingPrintPage = lazy(() => import('./pages/postings/PostingPrintPage'));
const FundsPage = lazy(() => import('./pages/funds/FundsPage'));
const PaymentsPage = lazy(() => import('./pages/payments/PaymentsPage'));
const CycleDetailPage = lazy(() => import('./pages/payments/CycleDetailPage'));
const FlagsPage = lazy(() => import('./pages/payments/FlagsPage'));
const CoveragePage = lazy(() => import('./pages/households/CoveragePage'));
const ImportPage = lazy(() => import('./pages/households/ImportPage'));

/** Ant Design in the person's language; without animations when they have asked their system for less motion. */
function AntdRoot({ children }: { children: ReactNode }) {
  const { lang } = useLang();
  const reduced = useReducedMotion();
  return (
    <ConfigProvider locale={lang === 'zh-CN' ? zhCN : enUS} theme={reduced ? stillTheme : theme}>
      <AntdApp>{children}</AntdApp>
    </ConfigProvider>
  );
}

/** First admin page the user may open, for the bare /admin path. */
function AdminIndex() {
  const { can } = useAuth();
  const first = ADMIN_PAGES.find((p) => !p.permission || can(p.permission));
  return <Navigate to={first ? first.path : '/'} replace />;
}

function AppRoutes() {
  return (
    <Routes>
      <Route
        path="/login"
        element={
          <Suspense fallback={<FullPageSpin />}>
            <LoginPage />
          </Suspense>
        }
      />
      <Route path="/public/postings" element={<Suspense fallback={<FullPageSpin />}><PublicPostingsPage /></Suspense>} />
      <Route path="/public/postings/:id" element={<Suspense fallback={<FullPageSpin />}><PublicPostingPage /></Suspense>} />
      <Route path="/households/:id/print" element={<RequireAuth permission="household.read"><Suspense fallback={<FullPageSpin />}><HouseholdPrintPage /></Suspense></RequireAuth>} />
      <Route path="/postings/:id/print" element={<RequireAuth><Suspense fallback={<FullPageSpin />}><PostingPrintPage /></Suspense></RequireAuth>} />
      <Route
        path="/"
        element={
          <RequireAuth>
            <Suspense fallback={<FullPageSpin />}>
              <AppLayout />
            </Suspense>
          </RequireAuth>
        }
      >
        <Route index element={<DashboardPage />} />
        {UPCOMING_MODULES.map((m) => (
          <Route
            key={m.key}
            path={m.path.slice(1)}
            element={
              <RequireAuth permission={m.permission}>
                <ComingSoonPage module={m.label} icon={m.icon} />
              </RequireAuth>
            }
          />
        ))}
        <Route path="households" element={<RequireAuth permission="household.read"><HouseholdsPage /></RequireAuth>} />
        <Route path="households/new" element={<RequireAuth permission="household.write"><HouseholdFormPage /></RequireAuth>} />
        <Route path="households/:id/edit" element={<RequireAuth permission="household.write"><HouseholdFormPage /></RequireAuth>} />
        <Route path="households/import" element={<RequireAuth permission="household.write"><ImportPage /></RequireAuth>} />
        <Route path="households/reverification" element={<RequireAuth permission="household.read"><ReverificationPage /></RequireAuth>} />
        <Route path="households/coverage" element={<RequireAuth permission="household.read"><CoveragePage /></RequireAuth>} />
        <Route path="households/:id" element={<RequireAuth permission="household.read"><HouseholdDetailPage /></RequireAuth>} />
        <Route path="approvals" element={<RequireAuth><ApprovalsPage /></RequireAuth>} />
        {/* readable with household.read or standard.manage: the page checks (RequireAuth takes one permission) */}
        <Route path="standards" element={<RequireAuth><StandardsPage /></RequireAuth>} />
        <Route path="programmes" element={<RequireAuth permission="programme.read"><ProgrammesPage /></RequireAuth>} />
        {/* readable with application.read or household.read: the server checks (RequireAuth takes one permission) */}
        <Route path="postings" element={<RequireAuth><PostingsPage /></RequireAuth>} />
        <Route path="postings/:id" element={<RequireAuth><PostingDetailPage /></RequireAuth>} />
        <Route path="funds" element={<RequireAuth permission="fund.read"><FundsPage /></RequireAuth>} />
        <Route path="payments" element={<RequireAuth permission="payment.read"><PaymentsPage /></RequireAuth>} />
        <Route path="payments/flags" element={<RequireAuth permission="payment.read"><FlagsPage /></RequireAuth>} />
        <Route path="payments/:id" element={<RequireAuth permission="payment.read"><CycleDetailPage /></RequireAuth>} />
        <Route path="admin" element={<AdminIndex />} />
        <Route path="admin/orgs" element={<RequireAuth permission="org.read"><OrgsPage /></RequireAuth>} />
        <Route path="admin/users" element={<RequireAuth permission="user.read"><UsersPage /></RequireAuth>} />
        <Route path="admin/roles" element={<RequireAuth permission="role.read"><RolesPage /></RequireAuth>} />
        <Route path="admin/audit" element={<RequireAuth permission="audit.read"><AuditPage /></RequireAuth>} />
        <Route path="admin/approval-policies" element={<RequireAuth permission="role.read"><ApprovalPoliciesPage /></RequireAuth>} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

export function App() {
  return (
    <I18nProvider>
      <AntdRoot>
        <ErrorBoundary>
          <AuthProvider>
            <AppRoutes />
          </AuthProvider>
        </ErrorBoundary>
      </AntdRoot>
    </I18nProvider>
  );
}
