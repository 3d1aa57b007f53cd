// The console's entry: only the sign-in state, the first screen and its catalogues load
// with the page; the console itself (router, query cache, shell) comes after sign-in (app/Console.tsx).

import { StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { AuthProvider } from './app/auth';
import { App } from './app/App';
import { initI18n } from './i18n/i18n';
import './app/styles.css';

await initI18n();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Suspense fallback={null}>
      <AuthProvider>
        <App />
      </AuthProvider>
    </Suspense>
  </StrictMode>,
);
