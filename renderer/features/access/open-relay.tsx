// Relaying without a password for a range beyond the private ones (0.0.0.0/0, ::/0, any public
// range) makes an open relay. The server refuses it unless the input confirms it; this is the GUI's
// confirmation: a dialog that says what it means, answered before anything is saved.
import { useCallback, useRef, useState, type ReactNode } from 'react';
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { isPrivateRange } from '../../../server/policy/private-range.js';

export const OPEN_RELAY_WARNING = 'anyone on the internet can send mail through this server';

/** True when relaying for `cidr` would be an open relay (a valid range that is not private). */
export function isOpenRelay(cidr: string, relay: boolean): boolean {
  return relay && isPrivateRange(cidr) === false;
}

/** `ask(cidr)` opens the dialog and resolves true only when the admin allows the open relay. */
export function useOpenRelayConfirm(): { ask(cidr: string): Promise<boolean>; dialog: ReactNode } {
  const [cidr, setCidr] = useState<string>();
  const answer = useRef<(yes: boolean) => void>(undefined);
  const ask = useCallback(
    (range: string) =>
      new Promise<boolean>((resolve) => {
        answer.current = resolve;
        setCidr(range);
      }),
    [],
  );
  const close = (yes: boolean) => {
    answer.current?.(yes);
    answer.current = undefined;
    setCidr(undefined);
  };
  const dialog = (
    <Modal opened={cidr !== undefined} onClose={() => close(false)} title="Allow an open relay?" centered>
      <Stack>
        <Text>
          {cidr} is not a private range. If devices there may send without a password, {OPEN_RELAY_WARNING}. Spammers find open relays
          within hours, and the server's address ends up on blocklists.
        </Text>
        <Text size="sm" c="dimmed">
          For an office scanner, give only its LAN range (like 192.168.1.0/24), or let it log in.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" data-autofocus onClick={() => close(false)}>
            Cancel
          </Button>
          <Button color="red" onClick={() => close(true)}>
            Allow relaying for {cidr}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
  return { ask, dialog };
}
