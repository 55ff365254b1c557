// The theme's text colours (issue 18, WCAG 2.1 1.4.3): each colour put in place of Mantine's shade 6
// reaches 4.5:1 against white (filled buttons and badges carry white text; plain text sits on white)
// and against its own shade 1 (light badges and alerts); the dimmed grey too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_THEME } from '@mantine/core';
import { ACCESSIBLE, cssVariablesResolver, theme } from '../../renderer/theme.js';

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const channel = (c: number) => ((c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const luminance = (hex: string) => {
  const [r, g, b] = rgb(hex).map(channel);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
/** WCAG 2.1 contrast ratio of two #rrggbb colours. */
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

test('every replacement colour reaches 4.5:1 on white and on its own shade 1', () => {
  for (const [color, hex] of Object.entries(ACCESSIBLE)) {
    const shade1 = DEFAULT_THEME.colors[color][1];
    assert.ok(contrast(hex, '#ffffff') >= 4.5, `${color} ${hex} on white: ${contrast(hex, '#ffffff').toFixed(2)}`);
    assert.ok(contrast(hex, shade1) >= 4.5, `${color} ${hex} on ${shade1}: ${contrast(hex, shade1).toFixed(2)}`);
  }
  // Mantine's own shade 6 is what fails, which is why the table exists.
  assert.ok(contrast(DEFAULT_THEME.colors.green[6], '#ffffff') < 4.5);
});

test('the light scheme uses them for filled, text, light and outline colours, and gray 7 for dimmed text', () => {
  const { light } = cssVariablesResolver({ ...DEFAULT_THEME, ...theme } as Parameters<typeof cssVariablesResolver>[0]);
  assert.equal(light['--mantine-color-red-filled'], ACCESSIBLE.red);
  assert.equal(light['--mantine-color-green-light-color'], ACCESSIBLE.green);
  assert.equal(light['--mantine-color-yellow-text'], ACCESSIBLE.yellow);
  assert.equal(light['--mantine-color-dimmed'], 'var(--mantine-color-gray-7)');
  assert.ok(contrast(DEFAULT_THEME.colors.gray[7], '#ffffff') >= 4.5);
});
