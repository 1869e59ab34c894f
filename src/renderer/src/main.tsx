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
      <Notifications position="bottom-right" limit={3} autoClose={5000} />
      <DatesProvider settings={DATES_SETTINGS}>
        <SessionProvider>
          <App />
        </SessionProvider>
      </DatesProvider>
    </MantineProvider>
  </StrictMode>,
);
