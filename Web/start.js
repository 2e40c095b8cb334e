'use strict';
// Boot: a sign-in link carries the token in the fragment (#token=...), which the browser never
// sends to the server; take it and wipe it from the address bar and history before anything else.
// (A link opened in a tab already showing Pilar arrives as a hash change, so that is checked too.)
(() => {
  const takeToken = () => {
    const m = location.hash.match(/^#token=([^&]+)/);
    if (!m) return false;
    history.replaceState(null, '', location.pathname);
    P.me = null;
    P.signIn(decodeURIComponent(m[1]), null);
    return true;
  };
  document.getElementById('lang').addEventListener('click', () => {
    P.lang = P.lang === 'id' ? 'en' : 'id';
    localStorage.setItem('pilar.lang', P.lang);
    P.say('');
    P.render();
  });
  document.getElementById('signout').addEventListener('click', () => P.signOut(P.t('signed_out')));
  // After moving to another screen, put focus on its heading so a screen reader announces it.
  window.addEventListener('hashchange', async () => {
    if (takeToken()) return;
    P.say('');
    await P.render();
    const h1 = document.querySelector('main h1');
    if (h1 && !document.querySelector('main').contains(document.activeElement)) { h1.tabIndex = -1; h1.focus(); }
  });
  if (!takeToken()) P.render();
})();
