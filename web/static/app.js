// vCIO Ledger dashboard behaviour: review and rating keyboard, focus kept across htmx swaps, charts, print.
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

  // A note kept for after signing in again (see below) is not lost by leaving.
  function unsavedNotes() {
    const kept = readPending();
    return Array.from(document.querySelectorAll(ITEM + " textarea[name='note']"))
      .some(function (t) {
        const item = t.closest(ITEM);
        const entry = item && kept[item.id];
        return t.value !== t.defaultValue && !(entry && entry.note === t.value);
      });
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
      case "a":
      case "m":
      case "h": {
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

  // When the session has ended, an answer or rating sent from an item comes back as a redirect
  // to sign in. The click and the note typed are kept in this tab (sessionStorage) and put back on
  // the same item when the page is shown again, marked as not saved, to be pressed once more:
  // nothing is sent on the user's behalf. A swap means the session was alive, so it forgets them.
  const PENDING_PREFIX = "vcio-pending:";
  const PENDING_MAX_AGE_MS = 12 * 60 * 60 * 1000;

  function pendingKey() {
    return PENDING_PREFIX + location.pathname;
  }

  function readPending() {
    try {
      return JSON.parse(sessionStorage.getItem(pendingKey()) || "{}");
    } catch (error) {
      return {};
    }
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest &&
      event.target.closest('button[name="answer"], button[name="rating"]');
    const item = button && button.closest(ITEM);
    if (!item || !item.id) return;
    const textarea = item.querySelector("textarea[name='note']");
    const pending = readPending();
    pending[item.id] = {
      name: button.name, value: button.value, at: Date.now(),
      label: (button.firstChild ? button.firstChild.textContent : button.value).trim(),
      note: textarea ? textarea.value : null,
    };
    sessionStorage.setItem(pendingKey(), JSON.stringify(pending));
  }, true);

  document.addEventListener("htmx:after:swap", function () {
    sessionStorage.removeItem(pendingKey());
  });

  function restorePending() {
    const pending = readPending();
    sessionStorage.removeItem(pendingKey());
    let first = null;
    Object.keys(pending).forEach(function (id) {
      const entry = pending[id];
      const item = document.getElementById(id);
      if (!item || !/^[a-z_]+$/.test(entry.value) || Date.now() - entry.at > PENDING_MAX_AGE_MS) return;
      const button = item.querySelector('button[name="' + entry.name + '"][value="' + entry.value + '"]');
      if (!button || button.disabled) return;
      const textarea = item.querySelector("textarea[name='note']");
      const noteSaved = !textarea || entry.note === null || textarea.defaultValue === entry.note;
      if (button.getAttribute("aria-pressed") === "true" && noteSaved) return;
      if (textarea && entry.note !== null) textarea.value = entry.note;
      button.classList.add("pending");
      const notice = document.createElement("p");
      notice.className = "notice notice-info pending-answer";
      notice.setAttribute("role", "status");
      notice.textContent = "Not saved: your session ended before \u201c" + entry.label +
        "\u201d was recorded. Press it again to save it" + (textarea ? " with the note." : ".");
      button.closest("form").prepend(notice);
      if (!first) first = item;
    });
    if (first) focusItem(first);
  }

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
    restorePending();
    drawCharts(document);
  });
  document.addEventListener("htmx:after:settle", function () {
    drawCharts(document);
  });
})();
