/** Calm, legible theme for desks used all day: system fonts, generous contrast, one accent. */
import { Badge, createTheme, Drawer, Menu, Modal, Notification, PasswordInput, SegmentedControl, type CSSVariablesResolver } from '@mantine/core';
import { DateInput } from '@mantine/dates';

/**
 * Red text for a dangerous choice in a menu ("Annuler (erreur d’enregistrement)…"): Mantine gives
 * a coloured menu item its shade 6 (3.28:1 on white); this red reads at 7.4:1, and stays above
 * 4.5:1 on its own light hover background.
 */
export const DANGER_TEXT = '#a61e1e';

export const theme = createTheme({
  primaryColor: 'teal',
  primaryShade: 9,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Ubuntu, Cantarell, sans-serif',
  defaultRadius: 'md',
  headings: { fontWeight: '650' },
  components: {
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Fermer' } } }),
    // Mantine's hidden focus placeholder (role="presentation" with a tabindex) inside role="menu"
    // breaks aria-required-children (axe, critical); without it focus goes to the menu itself.
    Menu: Menu.extend({ defaultProps: { withInitialFocusPlaceholder: false } }),
    // Calendar days of the neighbouring months were grey on white (2.39:1): not shown at all.
    DateInput: DateInput.extend({ defaultProps: { hideOutsideDates: true } }),
    // Mantine's default label is English ("Toggle password visibility"); aria-pressed says the state.
    PasswordInput: PasswordInput.extend({ defaultProps: { visibilityToggleButtonProps: { 'aria-label': 'Afficher le mot de passe en clair' } } }),
    // Choices are never cut with "…" ("Avec code personne…"): the control takes the width its
    // labels need instead of shrinking below it, and a label wraps rather than being cut.
    SegmentedControl: SegmentedControl.extend({ styles: { root: { flexShrink: 0 }, label: { whiteSpace: 'normal', overflow: 'visible', textOverflow: 'clip' } } }),
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
    // Filled buttons, chips and coloured menu items carry white text or sit on white: Mantine's
    // shade 6 is too pale for that (red 3.28:1, orange 2.57:1, blue 3.56:1). Darker shades,
    // and a hover that darkens further.
    '--mantine-color-red-filled': 'var(--mantine-color-red-9)',
    '--mantine-color-red-filled-hover': '#a61e1e',
    '--mantine-color-orange-filled': '#a13a06',
    '--mantine-color-orange-filled-hover': '#8a3105',
    '--mantine-color-blue-filled': 'var(--mantine-color-blue-8)',
    '--mantine-color-blue-filled-hover': 'var(--mantine-color-blue-9)',
    // Teal text on its own hover background (4.31:1 with teal 9) needs a darker teal.
    '--mantine-color-teal-light-color': '#066148',
    // Hover darkens instead of lightening, so white text keeps its contrast.
    '--mantine-primary-color-filled-hover': '#066148',
    '--mantine-color-teal-filled-hover': '#066148',
    '--mantine-primary-color-light': 'var(--mantine-color-teal-1)',
    '--mantine-primary-color-light-hover': 'var(--mantine-color-teal-2)',
    '--mantine-primary-color-light-color': '#066148',
  },
  dark: {},
});
