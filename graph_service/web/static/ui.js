// The planner UI's script, loaded by every page and needed by none to work:
// - search-as-you-type for the forms: an <input data-picker="City"> asks /lookup as the planner types (any
//   language or pinyin), lists the matches, and a choice fills the hidden id next to it (names are inserted
//   as text, never as markup);
// - a link with data-print opens the browser's print dialog (the print stylesheet prints the page whole);
// - a refused form brings its first marked field into view and focuses it.
(function () {
  "use strict";

  function setup(input) {
    var hidden = document.getElementById(input.dataset.pickerId);
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var timer = null;
    var active = -1;
    var items = [];

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      active = -1;
    }

    function choose(item) {
      input.value = item.label;
      hidden.value = item.id;
      close();
    }

    function render() {
      list.textContent = "";
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.dataset.id = item.id;
        li.textContent = item.label;
        if (item.hint) {
          var hint = document.createElement("span");
          hint.className = "meta";
          hint.textContent = " · " + item.hint;
          li.appendChild(hint);
        }
        if (i === active) {
          li.className = "active";
        }
        li.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(item);
        });
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
    }

    input.addEventListener("input", function () {
      hidden.value = "";
      window.clearTimeout(timer);
      var query = input.value.trim();
      if (!query) {
        items = [];
        render();
        return;
      }
      timer = window.setTimeout(function () {
        var params = new URLSearchParams({ q: query, kind: input.dataset.picker, lang: input.dataset.lang });
        fetch("/lookup?" + params.toString(), { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (found) {
            if (input.value.trim() === query) {
              items = found;
              active = -1;
              render();
            }
          })
          .catch(function () { items = []; render(); });
      }, 150);
    });

    input.addEventListener("keydown", function (event) {
      if (list.hidden || !items.length) {
        return;
      }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        active = (active + (event.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
        render();
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(items[active]);
      } else if (event.key === "Escape") {
        close();
      }
    });

    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
  }

  document.querySelectorAll("input[data-picker]").forEach(setup);
  var firstInvalid = document.querySelector(".field.invalid input, .field.invalid select, .field.invalid textarea");
  if (firstInvalid) {
    firstInvalid.scrollIntoView({ block: "center" });
    firstInvalid.focus({ preventScroll: true });
  }
  document.querySelectorAll("[data-print]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      window.print();
    });
  });
})();
