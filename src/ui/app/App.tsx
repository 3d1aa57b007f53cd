// Top-level routes: the sign-in screen, and everything else inside the signed-in shell,
// where the schema's layouts decide which page a path shows.

import { Navigate, Route, Routes, useLocation } from 'react-router';
import { useAuth } from './auth';
import { SignInPage } from './SignInPage';
import { Shell } from './Shell';

function RequireAuth() {
  const { username } = useAuth();
  const location = useLocation();
  if (!username) return <Navigate to="/signin" replace state={{ from: location.pathname + location.search }} />;
  return <Shell />;
}

export function App() {
  return (
    <Routes>
      <Route path="/signin" element={<SignInPage />} />
      <Route path="*" element={<RequireAuth />} />
    </Routes>
  );
}
