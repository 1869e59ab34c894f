/** A labelled group of toggle chips (several choices), as used for domains, actions and flags. */
import { Chip, Group, Text, type MantineColor, type MantineSize } from '@mantine/core';

interface Props {
  id: string;
  label: string;
  options: readonly { value: string; label: string }[];
  value: string[];
  onChange: (value: string[]) => void;
  required?: boolean;
  color?: MantineColor;
  size?: MantineSize;
  error?: string | undefined;
  /** Focus lands on the group when its modal opens. */
  autoFocus?: boolean;
  /** DOM id of the group, target of the error summary's link. */
  groupId?: string;
}

export function ChipField({ id, label, options, value, onChange, required, color, size = 'sm', error, autoFocus, groupId }: Props) {
  const errorId = `${id}-error`;
  return (
    <div>
      <Text size="sm" fw={500} id={id}>
        {label}
        {required && <span aria-hidden> *</span>}
      </Text>
      <Chip.Group multiple value={value} onChange={onChange}>
        <Group
          gap={6}
          mt={4}
          role="group"
          aria-labelledby={id}
          {...(groupId ? { id: groupId } : {})}
          {...(error ? { 'aria-describedby': errorId } : {})}
          {...(autoFocus ? { 'data-autofocus': true } : {})}
        >
          {options.map((o) => (
            <Chip key={o.value} value={o.value} size={size} {...(color ? { color } : {})}>
              {o.label}
            </Chip>
          ))}
        </Group>
      </Chip.Group>
      {error && (
        <Text size="sm" c="red.9" mt={4} id={errorId}>
          {error}
        </Text>
      )}
    </div>
  );
}
