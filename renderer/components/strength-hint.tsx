// A password's strength under its field: a short bar and a word (renderer/format.ts passwordStrength).
import { Group, Progress, Text } from '@mantine/core';
import { passwordStrength } from '../format.js';

export function StrengthHint({ password }: { password: string }) {
  if (password === '') return null;
  const { score, label } = passwordStrength(password);
  const color = ['red', 'red', 'orange', 'teal', 'green'][score];
  return (
    <Group gap="xs" mt={-8}>
      <Progress value={(score / 4) * 100} color={color} w={120} size="sm" aria-label="Password strength" />
      <Text size="xs" c={color}>
        {label}
      </Text>
    </Group>
  );
}
