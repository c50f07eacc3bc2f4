/* The indicator library on the edit page: the name input is a combobox over the suggestions
   HTMX loads (arrow keys move, Enter fills, Escape closes); a picked entry fills name, unit,
   operator and 指标解释, then asks where the annual value sits among peers. No inline scripts. */
(function () {
  "use strict";

  function listOf(input) {
    var box = document.getElementById(input.getAttribute("aria-controls"));
    return box ? box.querySelector("[role=listbox]") : null;
  }

  function options(input) {
    var list = listOf(input);
    return list ? Array.prototype.slice.call(list.querySelectorAll("[role=option]")) : [];
  }

  function close(input) {
    var box = document.getElementById(input.getAttribute("aria-controls"));
    if (box) { box.innerHTML = ""; }
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function activate(input, index) {
    var opts = options(input);
    if (!opts.length) { return; }
    var next = (index + opts.length) % opts.length;
    opts.forEach(function (o, i) { o.setAttribute("aria-selected", i === next ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", opts[next].id);
    opts[next].scrollIntoView({ block: "nearest" });
  }

  function activeIndex(input) {
    var id = input.getAttribute("aria-activedescendant");
    return options(input).findIndex(function (o) { return o.id === id; });
  }

  function setValue(field, value) {
    if (field && value) { field.value = value; }
  }

  function categoryFor(form, level2) {
    var select = form.querySelector("select[name=category]");
    if (!select || !level2 || select.value) { return; }
    var match = Array.prototype.find.call(select.options, function (o) {
      return o.value.split("|")[3] === level2;
    });
    if (match) { select.value = match.value; }
  }

  function fill(form, data) {
    setValue(form.querySelector("input[name=name]"), data.name);
    if (data.category) { form.querySelector("select[name=category]").value = data.category; }
    categoryFor(form, data.level2);
    var op = data.direction === "neutral" ? "text" : data.op;
    ["period", "annual"].forEach(function (p) {
      setValue(form.querySelector("select[name=" + p + "_op]"), op);
      setValue(form.querySelector("input[name=" + p + "_unit]"), data.unit);
    });
    var explanation = form.querySelector("textarea[name=explanation]");
    if (explanation && data.explanation) {
      explanation.value = data.explanation;
      var more = explanation.closest("details");
      if (more) { more.open = true; }
    }
    setValue(form.querySelector("input[name=library_entry]"), data.entry);
    form.querySelector("input[name=name]").dispatchEvent(new Event("change", { bubbles: true }));
    var value = form.querySelector("input[name=annual_value]");
    if (value && typeof htmx !== "undefined") { htmx.trigger(value, "picked"); }
  }

  function pick(input, option) {
    fill(input.form, option.dataset);
    close(input);
    var value = input.form.querySelector("input[name=annual_value]");
    (value || input).focus();
  }

  document.addEventListener("keydown", function (evt) {
    var input = evt.target;
    if (!input.matches || !input.matches("input[role=combobox]")) { return; }
    var open = options(input).length > 0;
    if (evt.key === "ArrowDown" || evt.key === "ArrowUp") {
      if (!open) { return; }
      evt.preventDefault();
      var at = activeIndex(input);
      activate(input, evt.key === "ArrowDown" ? at + 1 : (at < 0 ? -1 : at - 1));
    } else if (evt.key === "Enter" && open && activeIndex(input) >= 0) {
      evt.preventDefault();
      pick(input, options(input)[activeIndex(input)]);
    } else if (evt.key === "Escape" && open) {
      evt.preventDefault();
      close(input);
    }
  });

  document.addEventListener("mousedown", function (evt) {
    var option = evt.target.closest && evt.target.closest("[role=option][data-entry]");
    if (!option) { return; }
    var box = option.closest("[data-suggest]");
    var input = box ? document.querySelector("input[aria-controls='" + box.id + "']") : null;
    if (input) { evt.preventDefault(); pick(input, option); }
  });

  document.addEventListener("click", function (evt) {
    var button = evt.target.closest && evt.target.closest("button.lib-pick");
    if (!button) { return; }
    var form = document.getElementById(button.dataset.form);
    if (!form) { return; }
    fill(form, button.dataset);
    form.scrollIntoView({ block: "center" });
    form.querySelector("input[name=annual_value]").focus();
  });

  /* The list HTMX swapped in: tell assistive technology whether it is open. */
  document.addEventListener("htmx:afterSwap", function (evt) {
    var box = evt.target;
    if (!box.hasAttribute || !box.hasAttribute("data-suggest")) { return; }
    var input = document.querySelector("input[aria-controls='" + box.id + "']");
    if (!input) { return; }
    input.setAttribute("aria-expanded", options(input).length ? "true" : "false");
    input.removeAttribute("aria-activedescendant");
  });

  document.addEventListener("focusout", function (evt) {
    var input = evt.target;
    if (input.matches && input.matches("input[role=combobox]")) {
      setTimeout(function () { if (document.activeElement !== input) { close(input); } }, 150);
    }
  });
})();
