/* Draws every Plotly chart on the page: an element with data-chart="ID" gets the figure kept
   as JSON in <script type="application/json" id="ID"> (made by Django's json_script). */
(function () {
  "use strict";
  function draw() {
    if (typeof Plotly === "undefined") { return; }
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.chart);
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      var layout = Object.assign({
        margin: { t: 20, r: 60, b: 40, l: 60 },
        paper_bgcolor: "rgba(0,0,0,0)",
        plot_bgcolor: "rgba(0,0,0,0)",
        legend: { orientation: "h", y: -0.2 },
        font: { family: "system-ui, sans-serif", size: 12 }
      }, figure.layout || {});
      Plotly.newPlot(el, figure.data, layout, { responsive: true, displaylogo: false });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
