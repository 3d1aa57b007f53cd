// Sets the chosen theme on <html> before the first paint (a blocking script in <head>, a
// file rather than inline so the Content-Security-Policy keeps `script-src 'self'`).
// 'system' or nothing stored: no attribute, and the stylesheet follows prefers-color-scheme.
// Kept in step with src/ui/app/theme.ts (same key, same values).
(function () {
  try {
    var choice = window.localStorage.getItem('postern.theme');
    if (choice === 'dark' || choice === 'light') document.documentElement.setAttribute('data-theme', choice);
  } catch {
    // no storage (private mode, blocked): the system's setting applies
  }
})();
