/** Calm, legible theme for desks used all day: system fonts, generous contrast, one accent. */
import { Badge, createTheme, Drawer, Modal, Notification, PasswordInput, SegmentedControl, type CSSVariablesResolver } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'teal',
  primaryShade: 9,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Ubuntu, Cantarell, sans-serif',
  defaultRadius: 'md',
  headings: { fontWeight: '650' },
  components: {
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Fermer' } } }),
    // Mantine's default label is English ("Toggle password visibility"); aria-pressed says the state.
    PasswordInput: PasswordInput.extend({ defaultProps: { visibilityToggleButtonProps: { 'aria-label': 'Afficher le mot de passe en clair' } } }),
    // Choices are never cut with "…": a long label wraps instead ("Avec code personne…").
    SegmentedControl: SegmentedControl.extend({ styles: { label: { whiteSpace: 'normal', overflow: 'visible', textOverflow: 'clip' } } }),
    Drawer: Drawer.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Fermer' } } }),
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
