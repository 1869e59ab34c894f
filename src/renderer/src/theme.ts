/** Calm, legible theme for desks used all day: system fonts, generous contrast, one accent. */
import { Badge, createTheme, Drawer, Menu, Modal, Notification, type CSSVariablesResolver } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'teal',
  primaryShade: 9,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Ubuntu, Cantarell, sans-serif',
  defaultRadius: 'md',
  headings: { fontWeight: '650' },
  components: {
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Fermer' } } }),
    Drawer: Drawer.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Fermer' } } }),
    // No focus placeholder inside role="menu" (axe: aria-required-children, critical); the first item takes focus instead.
    Menu: Menu.extend({ defaultProps: { withInitialFocusPlaceholder: false } }),
    Notification: Notification.extend({
      defaultProps: { closeButtonProps: { 'aria-label': 'Fermer la notification' } },
      styles: { description: { color: 'var(--mantine-color-gray-8)' } },
    }),
    // Badges carry short facts (state, priority, appointment): never truncate them, never shout.
    Badge: Badge.extend({
      defaultProps: { tt: 'none' },
      styles: { root: { maxWidth: 'none', flexShrink: 0, overflow: 'visible' }, label: { overflow: 'visible' } },
    }),
  },
});

/**
 * Contrast (WCAG AA, checked by axe in the end-to-end tests): Mantine's default "dimmed" grey and
 * the text of light/subtle variants are too pale on white for a reception desk; darken them.
 */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-placeholder': 'var(--mantine-color-gray-7)',
    ...Object.fromEntries(
      ['teal', 'orange', 'red', 'blue', 'gray', 'violet', 'green', 'yellow'].flatMap((c) => [
        [`--mantine-color-${c}-light`, `var(--mantine-color-${c}-0)`],
        [`--mantine-color-${c}-light-hover`, `var(--mantine-color-${c}-1)`],
        [`--mantine-color-${c}-light-color`, `var(--mantine-color-${c}-9)`],
      ]),
    ),
    '--mantine-color-yellow-light-color': 'var(--mantine-color-dark-7)',
    '--mantine-color-orange-light-color': '#a13a06',
    '--mantine-color-green-light-color': '#1e6b2f',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    // Hover darkens instead of lightening, so white text keeps its contrast.
    '--mantine-primary-color-filled-hover': '#066148',
    '--mantine-color-teal-filled-hover': '#066148',
    '--mantine-primary-color-light': 'var(--mantine-color-teal-1)',
    '--mantine-primary-color-light-hover': 'var(--mantine-color-teal-2)',
    '--mantine-primary-color-light-color': 'var(--mantine-color-teal-9)',
  },
  dark: {},
});
