// The app's Mantine theme (main.tsx and the renderer tests use the same one).
import { NumberInput, createTheme } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'md',
  // No silent clamping (issue 18): a number out of range stays as typed and the form says why.
  components: { NumberInput: NumberInput.extend({ defaultProps: { clampBehavior: 'none' } }) },
});
