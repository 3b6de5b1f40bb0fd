import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { ready } from './i18n';

// The catalogue of the language in force is a chunk of its own, fetched beside the screen's first
// request; the app renders once it is in, as it did when every catalogue was in the entry.
void ready.finally(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
