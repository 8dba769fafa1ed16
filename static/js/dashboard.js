// The dashboards' charts, drawn with Chart.js (served by the portal, from npm).
// Every chart has its numbers in a table beside it; the charts only help the eye.
(function () {
  "use strict";
  if (typeof Chart === "undefined") return;
  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  var number = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2 });
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.animation = false; // prints as it is shown

  var trend = data("trend-data");
  var trendCanvas = document.getElementById("trend-chart");
  if (trend && trendCanvas) {
    new Chart(trendCanvas, {
      type: "line",
      data: {
        labels: trend.labels,
        datasets: [
          // No line across a period without a figure: the gap shows it is missing.
          { label: trend.figureLabel, data: trend.figures, borderColor: "#0d6efd", backgroundColor: "#0d6efd", spanGaps: false },
          { label: trend.targetLabel, data: trend.targets, borderColor: "#dc3545", borderDash: [6, 4], pointRadius: 0, stepped: true },
        ],
      },
      options: {
        scales: { y: { beginAtZero: true, title: { display: Boolean(trend.unit), text: trend.unit }, ticks: { callback: function (v) { return number.format(v); } } } },
        plugins: { tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + number.format(c.parsed.y); } } } },
      },
    });
  }

  var punctuality = data("punctuality-data");
  var punctualityCanvas = document.getElementById("punctuality-chart");
  if (punctuality && punctualityCanvas) {
    new Chart(punctualityCanvas, {
      type: "bar",
      data: { labels: punctuality.labels, datasets: [{ label: punctuality.label, data: punctuality.values, backgroundColor: "#0d6efd" }] },
      options: { indexAxis: "y", scales: { x: { min: 0, max: 100 } }, plugins: { legend: { display: false } } },
    });
  }
})();
