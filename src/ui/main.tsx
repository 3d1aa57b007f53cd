// The console's entry: only the sign-in state and the first screen load with the page;
// the console itself (router, query cache, shell) comes after sign-in (app/Console.tsx).

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AuthProvider } from './app/auth';
import { App } from './app/App';
import './app/styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AuthProvider>
      <App />
    </AuthProvider>
  </StrictMode>,
);
