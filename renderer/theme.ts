// The app's Mantine theme (main.tsx and the renderer tests use the same one).
//
// Contrast (issue 18, WCAG 2.1 AA 1.4.3: text at least 4.5:1). Mantine's light scheme paints text in
// shade 6 (filled buttons and badges: white on shade 6; `c="red"`; outline variants), light variants
// in shade 9 on shade 1, and dimmed text in gray 6 — below 4.5:1 for most colours (white on green 6
// is 2.4:1, dimmed gray 6 on white 3.3:1). ACCESSIBLE holds, per colour the screens use, the lightest
// shade that reaches 4.6:1 both against white and against its own shade 1 (where shade 9 does not,
// shade 9 darkened in steps of 3 % until it does); cssVariablesResolver puts it in place of shade 6
// in those roles. Dimmed text is gray 7 (8.2:1).
import { Drawer, Modal, NumberInput, createTheme, type CSSVariablesResolver } from '@mantine/core';

/** Text-safe colour per palette (test/renderer/theme-contrast.test.ts checks the 4.5:1). */
export const ACCESSIBLE: Record<string, string> = {
  red: '#c32929', // shade 9 darkened
  green: '#267a37', // shade 9 darkened
  orange: '#ba3e0d', // shade 9 darkened
  yellow: '#aa5800', // shade 9 darkened
  teal: '#087756', // shade 9 darkened
  lime: '#4a780b', // shade 9 darkened
  blue: '#1864ab', // shade 9
  cyan: '#0b7285', // shade 9
  indigo: '#364fc7', // shade 9
  violet: '#6741d9', // shade 8
  grape: '#862e9c', // shade 9
  pink: '#a61e4d', // shade 9
  gray: '#495057', // shade 7
};

/** `hex` darkened by `share` (0..1) towards black, for hover states. */
function darker(hex: string, share: number): string {
  const channels = [1, 3, 5].map((i) => Math.round(parseInt(hex.slice(i, i + 2), 16) * (1 - share)));
  return `#${channels.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

export const cssVariablesResolver: CSSVariablesResolver = () => {
  const light: Record<string, string> = {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-anchor': ACCESSIBLE.indigo,
    '--mantine-color-error': ACCESSIBLE.red,
    '--mantine-color-placeholder': 'var(--mantine-color-gray-6)',
  };
  for (const [color, hex] of Object.entries(ACCESSIBLE)) {
    light[`--mantine-color-${color}-filled`] = hex;
    light[`--mantine-color-${color}-filled-hover`] = darker(hex, 0.15);
    light[`--mantine-color-${color}-text`] = hex;
    light[`--mantine-color-${color}-light-color`] = hex;
    light[`--mantine-color-${color}-outline`] = hex;
  }
  return { variables: {}, light, dark: {} };
};

export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'md',
  components: {
    // No silent clamping (issue 18): a number out of range stays as typed and the form says why.
    NumberInput: NumberInput.extend({ defaultProps: { clampBehavior: 'none' } }),
    // Named close buttons (an icon alone has no name for a screen reader).
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close the dialog' } } }),
    Drawer: Drawer.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close the panel' } } }),
  },
});
