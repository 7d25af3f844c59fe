// vCIO Ledger dashboard behaviour: review keyboard, focus kept across htmx swaps, charts, print.
// No build step: plain browser JavaScript next to the vendored htmx and Chart.js files.
(function () {
  "use strict";

  const ITEM = "[data-item]";
  const TYPING = "input, textarea, select, [contenteditable='true']";
  let lastItemId = null;

  function items() {
    return Array.from(document.querySelectorAll(ITEM));
  }

  function focusItem(item) {
    if (!item) return;
    item.focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest" });
    lastItemId = item.id;
  }

  function move(current, step) {
    const all = items();
    if (!all.length) return;
    const index = current ? all.indexOf(current) : -1;
    const next = all[Math.min(Math.max(index + step, 0), all.length - 1)];
    focusItem(index < 0 ? all[0] : next);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.matches && target.matches(TYPING)) {
      if (event.key === "Escape") {
        const item = target.closest(ITEM);
        if (item) focusItem(item);
      }
      return;
    }
    if (!items().length) return;
    const current = target.closest ? target.closest(ITEM) : null;
    switch (event.key) {
      case "j":
        move(current, 1);
        break;
      case "k":
        move(current, -1);
        break;
      case "ArrowDown":
        if (!current) return;
        move(current, 1);
        break;
      case "ArrowUp":
        if (!current) return;
        move(current, -1);
        break;
      case "y":
      case "n":
      case "a": {
        if (!current) return;
        const button = current.querySelector('[data-key="' + event.key + '"]');
        if (!button || button.disabled) return;
        button.click();
        move(current, 1);
        break;
      }
      default:
        return;
    }
    event.preventDefault();
  });

  document.addEventListener("focusin", function (event) {
    const item = event.target.closest && event.target.closest(ITEM);
    if (item) lastItemId = item.id;
  });

  // An answered item is swapped out; if it held the focus, give the focus to its replacement.
  document.addEventListener("htmx:after:swap", function () {
    if (document.activeElement && document.activeElement !== document.body) return;
    const again = lastItemId && document.getElementById(lastItemId);
    if (again) again.focus({ preventScroll: true });
  });

  function drawCharts(root) {
    if (typeof Chart === "undefined") return;
    root.querySelectorAll("canvas[data-chart='trend']").forEach(function (canvas) {
      if (canvas.dataset.drawn) return;
      const source = document.getElementById(canvas.dataset.source);
      if (!source) return;
      const data = JSON.parse(source.textContent);
      canvas.dataset.drawn = "yes";
      new Chart(canvas, {
        type: "line",
        data: {
          labels: data.labels,
          datasets: [{
            label: "Alignment score",
            data: data.scores,
            borderColor: "#0a58a8",
            backgroundColor: "rgba(10, 88, 168, 0.12)",
            fill: true,
            tension: 0.2,
            pointRadius: 4,
          }],
        },
        options: {
          animation: false,
          maintainAspectRatio: false,
          scales: { y: { min: 0, max: 100, title: { display: true, text: "score" } } },
          plugins: { legend: { display: false } },
        },
      });
    });
  }

  document.addEventListener("click", function (event) {
    if (!event.target.closest) return;
    if (event.target.closest("[data-print]")) window.print();
    const dismiss = event.target.closest("[data-dismiss]");
    if (dismiss) dismiss.closest(".notice").remove();
  });

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts(document);
  });
  document.addEventListener("htmx:after:settle", function () {
    drawCharts(document);
  });
})();
