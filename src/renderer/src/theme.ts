/** Calm, legible theme for desks used all day: system fonts, generous contrast, one accent. */
import { Badge, createTheme } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'teal',
  primaryShade: 8,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Ubuntu, Cantarell, sans-serif',
  defaultRadius: 'md',
  headings: { fontWeight: '650' },
  components: {
    // Badges carry short facts (state, priority, appointment): never truncate them, never shout.
    Badge: Badge.extend({
      defaultProps: { tt: 'none' },
      styles: { root: { maxWidth: 'none', flexShrink: 0, overflow: 'visible' }, label: { overflow: 'visible' } },
    }),
  },
});
