import { ConfigProvider } from 'antd';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { Skeleton } from 'antd';
import { lazy, Suspense } from 'react';
import { Shell } from './Shell';
import { homeOf, SessionProvider, useSession } from './session';
import { FeedbackProvider } from './feedback';
import { TokenRenewal } from '../features/sign-in/TokenRenewal';
import { antdLocale, withAdministration } from '../i18n';

// Each screen is loaded when first opened: the first load carries only what the person sees. The
// administration screens bring their catalogue with them (withAdministration).
const SignInPage = lazy(() =>
  import('../features/sign-in/SignInPage').then((m) => ({ default: m.SignInPage })),
);
const CallbackPage = lazy(() =>
  import('../features/sign-in/CallbackPage').then((m) => ({ default: m.CallbackPage })),
);
const MyAppraisalPage = lazy(() =>
  import('../features/appraisal/AppraisalPage').then((m) => ({ default: m.MyAppraisalPage })),
);
const AppraisalPage = lazy(() =>
  import('../features/appraisal/AppraisalPage').then((m) => ({ default: m.AppraisalPage })),
);
const DaysPage = lazy(() => import('../features/days/DaysPage').then((m) => ({ default: m.DaysPage })));
const InboxPage = lazy(() => import('../features/inbox/InboxPage').then((m) => ({ default: m.InboxPage })));
const PeerRatingPage = lazy(() =>
  import('../features/ratings/PeerRatingPage').then((m) => ({ default: m.PeerRatingPage })),
);
const TeamBoardPage = lazy(() =>
  import('../features/team/TeamBoardPage').then((m) => ({ default: m.TeamBoardPage })),
);
const AuditPage = lazy(() =>
  withAdministration(import('../features/audit/AuditPage')).then((m) => ({ default: m.AuditPage })),
);
const DirectoryPage = lazy(() =>
  withAdministration(import('../features/directory/DirectoryPage')).then((m) => ({
    default: m.DirectoryPage,
  })),
);
const WorkflowsPage = lazy(() =>
  withAdministration(import('../features/workflows/WorkflowsPage')).then((m) => ({
    default: m.WorkflowsPage,
  })),
);
const CalibrationPage = lazy(() =>
  withAdministration(import('../features/calibration/CalibrationPage')).then((m) => ({
    default: m.CalibrationPage,
  })),
);
const CyclesPage = lazy(() =>
  withAdministration(import('../features/cycles/CyclesPage')).then((m) => ({ default: m.CyclesPage })),
);
const RedLinesPage = lazy(() =>
  withAdministration(import('../features/red-lines/RedLinesPage')).then((m) => ({ default: m.RedLinesPage })),
);
const SlaPage = lazy(() =>
  withAdministration(import('../features/sla/SlaPage')).then((m) => ({ default: m.SlaPage })),
);
const IntegrationsPage = lazy(() =>
  withAdministration(import('../features/integrations/IntegrationsPage')).then((m) => ({
    default: m.IntegrationsPage,
  })),
);

/**
 * Ant Design's default blue and its grey labels fall under WCAG AA contrast (4.5:1) on white, and
 * the dark menu's text on its background: the same palette, a shade darker (axe checks every screen).
 */
const THEME = {
  token: {
    colorPrimary: '#0958d9',
    // The pointer stays on a button after a click: its hover shade must keep the contrast too.
    colorPrimaryHover: '#003eb3',
    colorLink: '#0958d9',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextDescription: 'rgba(0, 0, 0, 0.62)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
    // A field's error message (the API's, on its field) is text too: antd's red is 3.9:1 on white.
    colorError: '#cf1322',
  },
  components: { Menu: { darkItemColor: 'rgba(255, 255, 255, 0.88)' } },
};

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false, staleTime: 5_000 } },
});

/** The home screen of each role. */
function Home() {
  const { session } = useSession();
  if (!session) return <Navigate to="/app/sign-in" replace />;
  return <Navigate to={homeOf(session.role)} replace />;
}

function SignedIn({ children }: { children: React.ReactNode }) {
  const { session } = useSession();
  if (!session) return <Navigate to="/app/sign-in" replace />;
  return <Shell>{children}</Shell>;
}

function Localized() {
  // Subscribes to the language: this renders again, with antd's locale, when the switch changes it.
  useTranslation();
  return (
    // No space inserted between two Chinese characters of a button: its accessible name stays the catalogue's word.
    <ConfigProvider theme={THEME} button={{ autoInsertSpace: false }} locale={antdLocale()}>
      <FeedbackProvider>
        <BrowserRouter>
          <Suspense fallback={<Skeleton active style={{ padding: 24 }} />}>
            <Routes>
              <Route path="/" element={<Home />} />
              <Route path="/app" element={<Home />} />
              <Route path="/app/sign-in" element={<SignInPage />} />
              <Route path="/app/callback" element={<CallbackPage />} />
              <Route
                path="/app/my-appraisal"
                element={
                  <SignedIn>
                    <MyAppraisalPage />
                  </SignedIn>
                }
              />
              <Route
                path="/app/appraisals/:appraisalId"
                element={
                  <SignedIn>
                    <AppraisalPage />
                  </SignedIn>
                }
              />
              <Route
                path="/app/days"
                element={
                  <SignedIn>
                    <DaysPage />
                  </SignedIn>
                }
              />
              <Route
                path="/app/inbox"
                element={
                  <SignedIn>
                    <InboxPage />
                  </SignedIn>
                }
              />
              <Route
                path="/app/ratings/:appraisalId"
                element={
                  <SignedIn>
                    <PeerRatingPage />
                  </SignedIn>
                }
              />
              <Route
                path="/app/team"
                element={
                  <SignedIn>
                    <TeamBoardPage />
                  </SignedIn>
                }
              />
              <Route
                path="/app/audit"
                element={
                  <SignedIn>
                    <AuditPage />
                  </SignedIn>
                }
              />
              <Route
                path="/app/integrations"
                element={
                  <SignedIn>
                    <IntegrationsPage />
                  </SignedIn>
                }
              />
              <Route
                path="/app/directory"
                element={
                  <SignedIn>
                    <DirectoryPage />
                  </SignedIn>
                }
              />
              <Route
                path="/app/cycles"
                element={
                  <SignedIn>
                    <CyclesPage />
                  </SignedIn>
                }
              />
              <Route
                path="/app/workflows"
                element={
                  <SignedIn>
                    <WorkflowsPage />
                  </SignedIn>
                }
              />
              <Route
                path="/app/calibration"
                element={
                  <SignedIn>
                    <CalibrationPage />
                  </SignedIn>
                }
              />
              <Route
                path="/app/red-lines"
                element={
                  <SignedIn>
                    <RedLinesPage />
                  </SignedIn>
                }
              />
              <Route
                path="/app/sla"
                element={
                  <SignedIn>
                    <SlaPage />
                  </SignedIn>
                }
              />
              <Route path="*" element={<Home />} />
            </Routes>
          </Suspense>
        </BrowserRouter>
      </FeedbackProvider>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <TokenRenewal />
        <Localized />
      </SessionProvider>
    </QueryClientProvider>
  );
}
