// Asks for confirmation before submitting a form that carries data-confirm (CSP forbids inline handlers).
document.addEventListener('submit', function (event) {
  var message = event.target.getAttribute('data-confirm');
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
}, true);

// Copy buttons (data-copy-target="<css selector>"): the clipboard when the browser allows it, otherwise the text is
// selected so that Ctrl+C copies it. The status element (data-copy-status) says which happened.
document.addEventListener('click', function (event) {
  var button = event.target.closest ? event.target.closest('[data-copy-target]') : null;
  if (!button) {
    return;
  }
  var source = document.querySelector(button.getAttribute('data-copy-target'));
  var status = document.querySelector(button.getAttribute('data-copy-status'));
  if (!source) {
    return;
  }
  var text = source.textContent.trim();

  function say(message) {
    if (status) {
      status.textContent = message;
    }
  }

  function select() {
    var range = document.createRange();
    range.selectNodeContents(source);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copied() {
    document.body.setAttribute('data-copied', 'true');
    button.textContent = 'Copied';
    button.classList.add('btn-success');
    button.classList.remove('btn-primary');
    say('Copied to the clipboard.');
  }

  function fallback() {
    select();
    var ok = false;
    try {
      ok = document.execCommand('copy');
    } catch (ignored) {
      ok = false;
    }
    if (ok) {
      copied();
    } else {
      say('The secret is selected: press Ctrl+C (\u2318C on a Mac) to copy it.');
    }
  }

  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(copied, fallback);
  } else {
    fallback();
  }
});

// A page that shows a secret answers a POST: point the address bar at the key's own page, so that reloading
// neither resubmits the form (a second key) nor shows the secret again.
(function () {
  var element = document.querySelector('[data-replace-url]');
  if (element && window.history && window.history.replaceState) {
    window.history.replaceState(null, '', element.getAttribute('data-replace-url'));
  }
})();

// Leaving the secret page before copying asks first (data-confirm-unless-copied on the link).
document.addEventListener('click', function (event) {
  var link = event.target.closest ? event.target.closest('[data-confirm-unless-copied]') : null;
  if (link && document.body.getAttribute('data-copied') !== 'true'
      && !window.confirm(link.getAttribute('data-confirm-unless-copied'))) {
    event.preventDefault();
  }
});
document.addEventListener('copy', function () {
  if (document.querySelector('[data-confirm-unless-copied]')) {
    document.body.setAttribute('data-copied', 'true');
  }
});
