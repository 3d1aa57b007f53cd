// Top-level routes: the sign-in screen and its OAuth callback, and everything else inside
// the signed-in shell, where the schema's layouts decide which page a path shows.

import { Navigate, Route, Routes, useLocation } from 'react-router';
import { CALLBACK_PATH } from '../auth/oauth';
import { useAuth } from './auth';
import { BlockedPage } from './BlockedPage';
import { CallbackPage } from './CallbackPage';
import { SignInPage } from './SignInPage';
import { Shell } from './Shell';

function RequireAuth() {
  const { username } = useAuth();
  const location = useLocation();
  if (!username) return <Navigate to="/signin" replace state={{ from: location.pathname + location.search }} />;
  return <Shell />;
}

export function App() {
  const { blocked } = useAuth();
  if (blocked) return <BlockedPage blocked={blocked} />;
  return (
    <Routes>
      <Route path="/signin" element={<SignInPage />} />
      <Route path={CALLBACK_PATH} element={<CallbackPage />} />
      <Route path="*" element={<RequireAuth />} />
    </Routes>
  );
}
