// The small-screen header: the "Search" and "Menu" links (which, without
// JavaScript, show the search form or the menu as the target of the link)
// become buttons that open and close them in place. No request to any host.
(function () {
  'use strict';
  var root = document.documentElement;
  var toggles = document.querySelectorAll('a[data-toggle]');
  if (!toggles.length || !('hidden' in root)) return;
  root.classList.add('js-header');
  var buttons = [];
  function close(button, restoreFocus) {
    var target = document.getElementById(button.getAttribute('aria-controls'));
    button.setAttribute('aria-expanded', 'false');
    if (target) target.classList.remove('is-open');
    if (restoreFocus) button.focus();
  }
  Array.prototype.forEach.call(toggles, function (link) {
    var id = link.getAttribute('href').slice(1);
    var target = document.getElementById(id);
    if (!target) return;
    var button = document.createElement('button');
    button.type = 'button';
    button.className = link.className;
    button.textContent = link.textContent;
    button.setAttribute('aria-controls', id);
    button.setAttribute('aria-expanded', 'false');
    link.parentNode.replaceChild(button, link);
    buttons.push(button);
    button.addEventListener('click', function () {
      var open = button.getAttribute('aria-expanded') !== 'true';
      buttons.forEach(function (b) {
        if (b !== button) close(b, false);
      });
      button.setAttribute('aria-expanded', open ? 'true' : 'false');
      target.classList.toggle('is-open', open);
      if (open) {
        var field = target.querySelector('input');
        if (field) field.focus();
      }
    });
    target.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && button.getAttribute('aria-expanded') === 'true') close(button, true);
    });
  });
})();
