// ESLint: typescript-eslint, plus the dependency direction of docs/architecture.md checked
// mechanically: renderer → shared ← api → core → store; core and store never see Electron or
// a transport.
import tseslint from 'typescript-eslint';

const layerRule = (patterns) => ['error', { patterns }];
// Relative import of a sibling layer of src/main, e.g. '../../api/router' (but not '../../../shared/api/…').
const mainLayer = (name) => `^(\\.\\./)+(main/)?${name}(/|$)`;

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.tmp*'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/main/core/**/*.ts', 'src/main/store/**/*.ts'],
    rules: {
      'no-restricted-imports': layerRule([
        { group: ['electron', 'electron/*'], message: 'core and store never import Electron (see docs/architecture.md).' },
        { regex: mainLayer('(hub|desktop)'), message: 'core and store never import a transport (hub, desktop).' },
        { regex: mainLayer('api'), message: 'core and store do not depend on the api router.' },
        { regex: mainLayer('(sync|central)'), message: 'core and store know nothing of the central database or the sync.' },
        { group: ['**/renderer/**'], message: 'the main process never imports the renderer.' },
      ]),
    },
  },
  {
    files: ['src/main/store/**/*.ts'],
    rules: {
      'no-restricted-imports': layerRule([
        { group: ['electron', 'electron/*'], message: 'store never imports Electron.' },
        { regex: mainLayer('(hub|desktop)'), message: 'store never imports a transport.' },
        { regex: mainLayer('(core|api|cli)'), message: 'store is the bottom layer: it imports neither core nor api.' },
      ]),
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': layerRule([
        { group: ['**/main/**', '**/renderer/**', 'electron', 'node:*'], message: 'shared is pure: no main, renderer, Electron or Node APIs.' },
      ]),
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': layerRule([{ group: ['**/main/**', 'electron', 'node:*'], message: 'the renderer talks to main only through the API client.' }]),
    },
  },
);
