// Asks before unsaved edits are left behind: another screen of the app (a dialog, Stay or Leave) or
// closing/reloading the page (the browser's own question). Render the returned element.
import { useEffect, useState, type ReactNode } from 'react';
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { leaveTo, setNavigationGuard } from '../router.js';

export function useUnsavedGuard(dirty: boolean): ReactNode {
  const [target, setTarget] = useState<string>();
  useEffect(() => {
    if (!dirty) return;
    const release = setNavigationGuard(setTarget);
    const beforeUnload = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', beforeUnload);
    return () => {
      release();
      window.removeEventListener('beforeunload', beforeUnload);
    };
  }, [dirty]);
  return (
    <Modal opened={target !== undefined} onClose={() => setTarget(undefined)} title="Leave without saving?" centered>
      <Stack>
        <Text>This page has changes that are not saved yet. They are lost if you leave now.</Text>
        <Group justify="flex-end">
          <Button variant="default" data-autofocus onClick={() => setTarget(undefined)}>
            Stay here
          </Button>
          <Button color="red" onClick={() => target !== undefined && leaveTo(target)}>
            Leave without saving
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
