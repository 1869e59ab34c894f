import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { DatesProvider } from '@mantine/dates';
import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/dates/styles.css';
import './styles.css';
import { cssVariablesResolver, theme } from './theme';
import { SessionProvider } from './session/SessionContext';
import { App } from './App';
import { DATES_SETTINGS } from './components/dates';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="light" cssVariablesResolver={cssVariablesResolver}>
      {/* Bottom left, as wide as the navigation column: toasts never cover the board, its buttons or a form. */}
      <Notifications position="bottom-left" containerWidth={190} notificationMaxHeight={480} limit={2} autoClose={5000} />
      <DatesProvider settings={DATES_SETTINGS}>
        <SessionProvider>
          <App />
        </SessionProvider>
      </DatesProvider>
    </MantineProvider>
  </StrictMode>,
);
