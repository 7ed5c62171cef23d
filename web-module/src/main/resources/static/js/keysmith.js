// Asks for confirmation before submitting a form that carries data-confirm (CSP forbids inline handlers).
document.addEventListener('submit', function (event) {
  var message = event.target.getAttribute('data-confirm');
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
}, true);
