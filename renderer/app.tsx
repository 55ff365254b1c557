// The app shell: decides between login, first-run wizard and the admin screens, and lays out the
// navigation. Screens live in features/<area>/ and know only the AdminClient.
// Layout and accessibility (issue 18): below NAV_BREAKPOINT the navigation folds behind a burger (and
// is inert while folded, so Tab never reaches links nobody sees); a skip link leads past it; every
// screen sets the document title; after a navigation the focus moves to the new screen's content so
// a screen reader starts there; the header's product name is the page's one h1, screens start at h2.
import { useEffect, useRef, useState, type MouseEvent, type ReactNode } from 'react';
import { AppShell, Badge, Burger, Button, Center, Group, Loader, NavLink, ScrollArea, Text, Title } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import {
  IconDashboard,
  IconWorld,
  IconUsers,
  IconArrowsSplit,
  IconShieldLock,
  IconClockHour4,
  IconListDetails,
  IconSettings,
  IconLogout,
  IconMail,
  IconNetwork,
  IconDeviceMobile,
  IconUserShield,
  IconInbox,
  IconFilter,
  IconDatabaseExport,
  IconRoute,
  IconShieldCheck,
  IconTruckDelivery,
} from '@tabler/icons-react';
import type { AdminClient, AuthState } from './api.js';
import { ClientProvider, errorMessage } from './client-context.js';
import { href, navigate, useRoute, type Route } from './router.js';
import { LoginPage, NotSetUpPage } from './features/auth/login-page.js';
import { SetupWizard } from './features/setup/setup-wizard.js';
import { DashboardPage } from './features/dashboard/dashboard-page.js';
import { DomainsPage } from './features/domains/domains-page.js';
import { UsersPage } from './features/users/users-page.js';
import { AliasesPage } from './features/aliases/aliases-page.js';
import { NetworksPage } from './features/access/networks-page.js';
import { RulesPage } from './features/access/rules-page.js';
import { QueuePage } from './features/queue/queue-page.js';
import { LogsPage } from './features/logs/logs-page.js';
import { SettingsPage } from './features/settings/settings-page.js';
import { ClientsPage } from './features/clients/clients-page.js';
import { SenderRightsPage } from './features/sender-rights/sender-rights-page.js';
import { SharedMailboxesPage } from './features/shared/shared-page.js';
import { GlobalScriptsPage } from './features/sieve/global-scripts-page.js';
import { BackupPage } from './features/backup/backup-page.js';
import { TransportsPage } from './features/transports/transports-page.js';
import { FiltersPage } from './features/filters/filters-page.js';
import { MoveInPage } from './features/move-in/move-in-page.js';
import { usePageTitle } from './components/page.js';

/** Below this width the navigation folds behind the burger (Mantine's `md`, 62em). */
const NAV_BREAKPOINT = 'md';
const NARROW_QUERY = '(max-width: 61.99em)';
const MAIN_ID = 'main-content';

const SCREENS: Array<{ path: string; label: string; icon: ReactNode; render: (route: Route) => ReactNode }> = [
  { path: 'dashboard', label: 'Dashboard', icon: <IconDashboard size={18} />, render: () => <DashboardPage /> },
  { path: 'domains', label: 'Domains', icon: <IconWorld size={18} />, render: () => <DomainsPage /> },
  { path: 'users', label: 'Users', icon: <IconUsers size={18} />, render: (r) => <UsersPage domain={r.query.get('domain') ?? undefined} /> },
  { path: 'aliases', label: 'Aliases', icon: <IconArrowsSplit size={18} />, render: (r) => <AliasesPage domain={r.query.get('domain') ?? undefined} /> },
  { path: 'shared', label: 'Shared mailboxes', icon: <IconInbox size={18} />, render: () => <SharedMailboxesPage /> },
  { path: 'sender-rights', label: 'Sender rights', icon: <IconUserShield size={18} />, render: () => <SenderRightsPage /> },
  { path: 'mail-rules', label: 'Global mail rules', icon: <IconFilter size={18} />, render: () => <GlobalScriptsPage /> },
  { path: 'rules', label: 'Access rules', icon: <IconShieldLock size={18} />, render: () => <RulesPage /> },
  { path: 'networks', label: 'Trusted networks', icon: <IconNetwork size={18} />, render: () => <NetworksPage /> },
  { path: 'transports', label: 'Transports', icon: <IconRoute size={18} />, render: () => <TransportsPage /> },
  { path: 'queue', label: 'Queue', icon: <IconClockHour4 size={18} />, render: () => <QueuePage /> },
  { path: 'logs', label: 'Logs', icon: <IconListDetails size={18} />, render: (r) => <LogsPage route={r} /> },
  { path: 'clients', label: 'Mail clients', icon: <IconDeviceMobile size={18} />, render: () => <ClientsPage /> },
  { path: 'move-in', label: 'Move in', icon: <IconTruckDelivery size={18} />, render: () => <MoveInPage /> },
  { path: 'backup', label: 'Backup', icon: <IconDatabaseExport size={18} />, render: () => <BackupPage /> },
  { path: 'filters', label: 'Filters', icon: <IconShieldCheck size={18} />, render: () => <FiltersPage /> },
  { path: 'settings', label: 'Settings', icon: <IconSettings size={18} />, render: () => <SettingsPage /> },
];

type Gate = { kind: 'loading' } | { kind: 'error'; message: string } | ({ kind: 'ready'; setupError?: string } & AuthState);

export function App({ client }: { client: AdminClient }) {
  const route = useRoute();
  // The desktop window needs no login: it is ready at once.
  const [gate, setGate] = useState<Gate>(() => (client.auth ? { kind: 'loading' } : { kind: 'ready', authenticated: true, passwordSet: true }));

  const setupToken = route.path[0] === 'setup' ? route.path[1] : undefined;

  useEffect(() => {
    const auth = client.auth;
    if (!auth) return;
    let live = true;
    auth.state().then(
      (state) => live && setGate({ kind: 'ready', ...state }),
      (error: unknown) => live && setGate({ kind: 'error', message: errorMessage(error) }),
    );
    const off = auth.onSessionLost(() => setGate((g) => (g.kind === 'ready' ? { ...g, authenticated: false } : g)));
    return () => {
      live = false;
      off();
    };
  }, [client]);

  // The one-time setup link (#/setup/TOKEN), whether it opened the page or was pasted into an open one.
  const waitingForSetup = gate.kind === 'ready' && !gate.authenticated && !gate.passwordSet;
  useEffect(() => {
    const auth = client.auth;
    if (!auth || !setupToken || !waitingForSetup) return;
    let live = true;
    auth.redeemSetupToken(setupToken).then(
      () => {
        if (live) setGate({ kind: 'ready', authenticated: true, passwordSet: false });
        navigate('setup', {}, true); // the used token leaves the address bar
      },
      (error: unknown) => live && setGate((g) => (g.kind === 'ready' ? { ...g, setupError: errorMessage(error) } : g)),
    );
    return () => {
      live = false;
    };
  }, [client, setupToken, waitingForSetup]);

  if (gate.kind === 'loading') {
    return (
      <Center h="100vh">
        <Loader aria-label="Starting" />
      </Center>
    );
  }
  if (gate.kind === 'error') return <NotSetUpPage error={`The Mailroom server cannot be reached: ${gate.message}`} />;

  let body: ReactNode;
  if (!gate.authenticated) {
    body = gate.passwordSet ? (
      <LoginPage onLoggedIn={() => setGate({ ...gate, authenticated: true })} />
    ) : (
      <NotSetUpPage error={gate.setupError} />
    );
  } else if (!gate.passwordSet || route.path[0] === 'setup') {
    body = <SetupWizard needsAdminPassword={!gate.passwordSet} onAdminPasswordSet={() => setGate({ ...gate, passwordSet: true })} />;
  } else {
    body = <Shell client={client} route={route} onLoggedOut={() => setGate({ ...gate, authenticated: false })} />;
  }
  return <ClientProvider client={client}>{body}</ClientProvider>;
}

function Shell({ client, route, onLoggedOut }: { client: AdminClient; route: Route; onLoggedOut(): void }) {
  const current = SCREENS.find((s) => s.path === route.path[0]);
  const [navOpen, nav] = useDisclosure(false);
  const narrow = useMediaQuery(NARROW_QUERY) ?? false;
  const main = useRef<HTMLElement>(null);
  usePageTitle(current?.label ?? (route.path.length === 0 ? undefined : 'No such page'));

  // A new screen: the folded navigation closes and the focus goes to the screen (not on first load,
  // where the skip link is the way past the navigation).
  const screen = route.path[0] ?? '';
  const shown = useRef(screen);
  useEffect(() => {
    if (shown.current === screen) return;
    shown.current = screen;
    nav.close();
    main.current?.focus({ preventScroll: false });
  }, [screen, nav]);

  const skip = (event: MouseEvent<HTMLAnchorElement>) => {
    // Hash routing: the link's own #main-content would be read as a route.
    event.preventDefault();
    main.current?.focus();
  };

  useEffect(() => {
    if (route.path.length > 0) return;
    // First start of a desktop install (no login there): no domain yet means the wizard.
    client.api.getStatus().then(
      (status) => navigate(status.domains === 0 ? 'setup' : 'dashboard', {}, true),
      () => navigate('dashboard', {}, true),
    );
  }, [client, route.path.length]);

  const logout = async () => {
    await client.auth?.logout().catch(() => undefined);
    onLoggedOut();
  };

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 230, breakpoint: NAV_BREAKPOINT, collapsed: { mobile: !navOpen } }} padding="lg">
      <a href={`#${MAIN_ID}`} className="skip-link" onClick={skip}>
        Skip to the page content
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <Burger
              opened={navOpen}
              onClick={nav.toggle}
              hiddenFrom={NAV_BREAKPOINT}
              size="sm"
              aria-label={navOpen ? 'Close the navigation' : 'Open the navigation'}
              aria-expanded={navOpen}
              aria-controls="main-navigation"
            />
            <IconMail size={24} aria-hidden />
            <Title order={1} size="h3">
              Mailroom
            </Title>
            <Badge variant="light" size="sm">
              admin
            </Badge>
          </Group>
          {client.auth && (
            <Button variant="subtle" size="xs" leftSection={<IconLogout size={16} />} onClick={() => void logout()}>
              Log out
            </Button>
          )}
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" id="main-navigation" aria-label="Main" inert={narrow && !navOpen}>
        <AppShell.Section grow component={ScrollArea}>
          {SCREENS.map((s) => (
            <NavLink
              key={s.path}
              href={href(s.path)}
              label={s.label}
              leftSection={s.icon}
              active={s === current}
              aria-current={s === current ? 'page' : undefined}
              onClick={nav.close}
            />
          ))}
        </AppShell.Section>
        <AppShell.Section>
          <NavLink href={href('setup')} label="Run the setup wizard" c="dimmed" onClick={nav.close} />
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main id={MAIN_ID} ref={main} tabIndex={-1} className="app-main">
        {current ? current.render(route) : route.path.length === 0 ? null : <UnknownPage />}
      </AppShell.Main>
    </AppShell>
  );
}

function UnknownPage() {
  return (
    <Center py="xl">
      <Text>
        There is no such page. <a href={href('dashboard')}>Go to the dashboard</a>.
      </Text>
    </Center>
  );
}
