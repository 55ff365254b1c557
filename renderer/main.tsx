// Renderer entry: Mantine's theme and styles, notifications, and the app with the AdminClient the
// host offers (the desktop bridge or the admin HTTP server; renderer/api.ts decides).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/charts/styles.css';
import './theme.css';
import { App } from './app.js';
import { createAdminClient } from './api.js';
import { cssVariablesResolver, theme } from './theme.js';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
      <Notifications position="top-right" />
      <App client={createAdminClient()} />
    </MantineProvider>
  </StrictMode>,
);
