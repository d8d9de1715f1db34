// The status page: polls /status.json every second and shows it. Read-only; no configuration or
// secrets are in the JSON, only counters and gauges of this instance.
(function () {
  'use strict';

  var POLL_MILLIS = 1000;

  function byId(id) {
    return document.getElementById(id);
  }

  function seconds(value) {
    if (value === null || value === undefined) {
      return '–';
    }
    return value < 1 ? (value * 1000).toFixed(1) + ' ms' : value.toFixed(2) + ' s';
  }

  function number(value, digits) {
    return value === null || value === undefined ? '–' : value.toFixed(digits);
  }

  function chart(id, points, scale) {
    var svg = byId(id);
    var max = Math.max.apply(null, points.map(function (p) { return p || 0; }).concat([0]));
    var width = 600;
    var height = 120;
    var step = points.length > 1 ? width / (points.length - 1) : width;
    var path = points.map(function (p, i) {
      var y = max > 0 ? height - 4 - ((p || 0) / max) * (height - 8) : height - 4;
      return (i === 0 ? 'M' : 'L') + (i * step).toFixed(1) + ' ' + y.toFixed(1);
    }).join(' ');
    svg.innerHTML = '<path d="' + path + '" fill="none" stroke="currentColor" stroke-width="2"/>';
    byId(id + '-max').textContent = scale(max);
  }

  function show(report) {
    var now = report.now;
    byId('rps').textContent = number(now.requestsPerSecond, 2);
    byId('p50').textContent = seconds(now.p50Seconds);
    byId('p99').textContent = seconds(now.p99Seconds);
    byId('errors').textContent = number(now.errorsPerSecond, 2);
    byId('queued').textContent = number(now.queued, 0);
    byId('in-flight').textContent = number(now.inFlight, 0) + ' of ' + number(report.gauges['image.admission.max-in-flight'], 0);
    var max = report.gauges['image.memory.budget-bytes'];
    byId('budget').textContent = max ? (100 * now.memoryInUse / max).toFixed(1) + ' %' : '–';
    byId('total').textContent = number(report.totals.requests, 0);

    var list = byId('errors-by-kind');
    list.textContent = '';
    var kinds = Object.keys(now.errorsPerSecondByKind);
    if (kinds.length === 0) {
      var none = document.createElement('li');
      none.textContent = 'none';
      list.appendChild(none);
    }
    kinds.forEach(function (kind) {
      var item = document.createElement('li');
      item.textContent = kind + ': ' + now.errorsPerSecondByKind[kind].toFixed(2) + ' / s';
      list.appendChild(item);
    });

    chart('chart-rps', report.series.map(function (w) { return w.requestsPerSecond; }),
      function (v) { return v.toFixed(2) + ' / s'; });
    chart('chart-p99', report.series.map(function (w) { return w.p99Seconds; }), seconds);
    chart('chart-queue', report.series.map(function (w) { return w.queued; }), function (v) { return v.toFixed(0); });
    byId('status-state').textContent = 'Updated ' + new Date(report.time).toLocaleTimeString() + '.';
  }

  function poll() {
    fetch('status.json', { cache: 'no-store' })
      .then(function (response) {
        if (!response.ok) {
          throw new Error('HTTP ' + response.status);
        }
        return response.json();
      })
      .then(show)
      .catch(function (error) {
        byId('status-state').textContent = 'Could not reach the service (' + error.message + '); retrying.';
      })
      .then(function () {
        setTimeout(poll, POLL_MILLIS);
      });
  }

  poll();
}());
