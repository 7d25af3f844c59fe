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

  // Notes save on their own: on leaving the field and on Ctrl+Enter, by sending the item's
  // current answer again with the note (a note belongs to an answer). The item says what
  // happened; leaving the page with a note not saved asks first.
  let savedNoteItemId = null;

  function noteStatus(form, text) {
    const status = form.querySelector("[data-note-status]");
    if (status) status.textContent = text;
  }

  function saveNote(textarea) {
    const form = textarea.closest("form");
    if (!form || textarea.value === textarea.defaultValue) return;
    const answered = form.querySelector('button[name="answer"][aria-pressed="true"]');
    if (!answered) {
      noteStatus(form, "Not saved: choose an answer and the note is saved with it.");
      return;
    }
    noteStatus(form, "Saving…");
    const item = textarea.closest(ITEM);
    savedNoteItemId = item ? item.id : null;
    answered.click();
  }

  function unsavedNotes() {
    return Array.from(document.querySelectorAll(ITEM + " textarea[name='note']"))
      .some(function (t) { return t.value !== t.defaultValue; });
  }

  document.addEventListener("focusout", function (event) {
    const target = event.target;
    if (!target.matches || !target.matches("textarea[name='note']")) return;
    const form = target.closest("form");
    // An answer button of the same item sends the note itself; a field removed by the swap
    // of its own save (Chrome says it lost the focus) has nothing left to save.
    if (form && event.relatedTarget && form.contains(event.relatedTarget)) return;
    const item = target.closest(ITEM);
    if (!target.isConnected || (item && item.id === savedNoteItemId)) return;
    saveNote(target);
  });

  document.addEventListener("input", function (event) {
    const target = event.target;
    if (target.matches && target.matches("textarea[name='note']")) {
      noteStatus(target.closest("form"), "Not saved yet");
    }
  });

  window.addEventListener("beforeunload", function (event) {
    if (!unsavedNotes()) return;
    event.preventDefault();
    event.returnValue = "";
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey && event.key === "Enter" && event.target.matches &&
        event.target.matches("textarea[name='note']")) {
      event.preventDefault();
      saveNote(event.target);
      return;
    }
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
    const saved = savedNoteItemId && document.getElementById(savedNoteItemId);
    if (saved) {
      const form = saved.querySelector("form");
      if (form) noteStatus(form, "Note saved");
      savedNoteItemId = null;
    }
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
