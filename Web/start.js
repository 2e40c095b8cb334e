'use strict';
// Boot: a sign-in link carries the token in the fragment (#token=...), which the browser never
// sends to the server; take it and wipe it from the address bar and history before anything else.
(() => {
  const m = location.hash.match(/^#token=([^&]+)/);
  if (m) {
    history.replaceState(null, '', location.pathname);
    P.signIn(decodeURIComponent(m[1]), null);
  }
  document.getElementById('lang').addEventListener('click', () => {
    P.lang = P.lang === 'id' ? 'en' : 'id';
    localStorage.setItem('pilar.lang', P.lang);
    P.say('');
    P.render();
  });
  document.getElementById('signout').addEventListener('click', () => P.signOut(P.t('signed_out')));
  window.addEventListener('hashchange', () => { P.say(''); P.render(); });
  if (!m) P.render();
})();
