// Live progress of a solve: poll the job's JSON once a second, update the figures, and
// reload the page when the job has finished so that it shows the result. Without
// JavaScript the page refreshes itself instead (a meta refresh inside <noscript>).
(function () {
  "use strict";
  var section = document.getElementById("job");
  if (!section) return;
  var url = section.getAttribute("data-progress-url");
  var active = ["queued", "running"];
  var numbers = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

  function text(name, value) {
    var cell = section.querySelector('[data-field="' + name + '"]');
    if (cell) cell.textContent = value;
  }

  function show(job) {
    var p = job.progress;
    text("elapsed_seconds", p.elapsed_seconds.toFixed(1));
    text("solutions", String(p.solutions));
    text("objective", p.objective === null ? "–" : numbers.format(p.objective));
    text("bound", p.bound === null ? "–" : numbers.format(p.bound));
    text("gap", p.gap === null ? "–" : (100 * p.gap).toFixed(1) + " %");
    var bar = document.getElementById("job-progress");
    if (bar) bar.value = Math.min(p.elapsed_seconds, job.time_limit_seconds);
    if (job.state !== section.getAttribute("data-state")) {
      var badge = document.querySelector("#job-state .badge");
      if (badge) {
        badge.textContent = job.state;
        badge.className = "badge state-" + job.state;
      }
      section.setAttribute("data-state", job.state);
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok || response.redirected) throw new Error("status " + response.status);
        return response.json();
      })
      .then(function (job) {
        show(job);
        if (active.indexOf(job.state) === -1) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        window.setTimeout(function () { window.location.reload(); }, 3000);
      });
  }

  window.setTimeout(poll, 500);
})();
