// Renders a renderer component as the app does (the app's Mantine theme, the AdminClient context),
// for the component tests; the DOM comes from ./dom.js, imported first. env="test" turns off
// Mantine's transitions and portals, so a closed dialog is gone at once.
import './dom.js';
import type { ReactNode } from 'react';
import { render, type RenderResult } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { theme } from '../../renderer/theme.js';
import { ClientProvider } from '../../renderer/client-context.js';
import type { AdminClient } from '../../renderer/api.js';

export function renderWith(client: AdminClient, ui: ReactNode): RenderResult {
  return render(
    <MantineProvider theme={theme} env="test">
      <ClientProvider client={client}>{ui}</ClientProvider>
    </MantineProvider>,
  );
}
