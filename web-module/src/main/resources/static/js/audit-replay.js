// Replay page: polls the JSON status every second while a projection is replaying or catching up, and updates the
// table (position / head, progress bar, events per second, time left). No inline script: CSP script-src 'self'.
(function () {
  var table = document.getElementById('replay-table');
  if (!table) {
    return;
  }
  var url = table.getAttribute('data-status-url');

  function state(p) {
    if (p.error) {
      return 'error: ' + p.error;
    }
    return p.replaying ? 'replaying' : (p.caughtUp ? 'caught up' : (p.running ? 'catching up' : 'stopped'));
  }

  function render(list) {
    var busy = false;
    list.forEach(function (p) {
      var row = table.querySelector('tr[data-processor="' + p.name + '"]');
      if (!row) {
        return;
      }
      row.querySelector('.replay-state').textContent = state(p);
      row.querySelector('.replay-progress span').textContent = p.position + ' / ' + p.head;
      var bar = row.querySelector('.replay-bar');
      var percent = p.head > 0 ? Math.max(0, Math.min(100, Math.round(100 * (p.position + 1) / (p.head + 1)))) : 100;
      bar.classList.remove('w-100');
      bar.style.width = percent + '%';
      row.querySelector('.replay-rate').textContent = p.eventsPerSecond == null ? '' : Math.round(p.eventsPerSecond);
      row.querySelector('.replay-left').textContent = p.secondsLeft == null ? '' : p.secondsLeft + ' s';
      if (p.replaying || (!p.caughtUp && p.running)) {
        busy = true;
      }
    });
    return busy;
  }

  function poll() {
    fetch(url, {headers: {'Accept': 'application/json'}, credentials: 'same-origin'})
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (list) { window.setTimeout(poll, render(list) ? 1000 : 5000); })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  poll();
}());
