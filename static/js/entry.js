// The entry page: show a rate's or a ratio's figure as it is typed (its scale, unit and
// bound come from the indicator's measure type, in data attributes), and warn before leaving
// the page with changes not yet saved.
(function () {
  "use strict";
  // The same rules as reporting.forms.parse_number.
  var GROUPS = { ".": /^\d{1,3}(\.\d{3})+$/, ",": /^\d{1,3}(,\d{3})+$/ };
  function parse(text) {
    text = (text || "").trim().replace(/\s/g, "");
    if (!text) return null;
    var sign = 1;
    if (text[0] === "-" || text[0] === "+") { sign = text[0] === "-" ? -1 : 1; text = text.slice(1); }
    if (text.indexOf(",") >= 0 && text.indexOf(".") >= 0) {
      var dec = text.lastIndexOf(",") > text.lastIndexOf(".") ? "," : ".";
      var grp = dec === "," ? "." : ",";
      var cut = text.lastIndexOf(dec), whole = text.slice(0, cut), fraction = text.slice(cut + 1);
      if (!GROUPS[grp].test(whole) || !/^\d+$/.test(fraction)) return null;
      text = whole.split(grp).join("") + "." + fraction;
    } else if ((text.match(/,/g) || []).length > 1 || (text.match(/\./g) || []).length > 1) {
      var mark = text.indexOf(",") >= 0 ? "," : ".";
      if (!GROUPS[mark].test(text)) return null;
      text = text.split(mark).join("");
    } else if (text.indexOf(",") >= 0) {
      text = text.replace(",", ".");
    } else if (GROUPS["."].test(text)) {
      text = text.split(".").join("");
    }
    if (!/^(\d+(\.\d+)?|\.\d+)$/.test(text)) return null;
    return sign * Number(text);
  }
  function format(n) {
    return n.toLocaleString("vi-VN", { maximumFractionDigits: 2 });
  }
  // The same rule as indicators.formatting.with_unit: "%" attaches ("75%"), other units follow a space.
  function withUnit(text, unit) {
    unit = (unit || "").trim();
    return unit.charAt(0) === "%" ? text + unit : (text + " " + unit).trim();
  }
  document.querySelectorAll("[data-quotient]").forEach(function (box) {
    var num = box.querySelector("[data-numerator]");
    var den = box.querySelector("[data-denominator]");
    var out = box.querySelector("[data-quotient-out]");
    var scale = Number(box.dataset.scale) || 100, unit = box.dataset.unit || "";
    var bounded = box.hasAttribute("data-bounded");
    function update() {
      var a = parse(num.value), b = parse(den.value);
      if (a === 0 && b === 0) out.textContent = box.dataset.notApplicable;
      else out.textContent = a !== null && b ? withUnit(format((a * scale) / b), unit) : "—";
      out.classList.toggle("text-danger", a !== null && b !== null && (a < 0 || b < 0 || (bounded && a > b)));
    }
    num.addEventListener("input", update);
    den.addEventListener("input", update);
    update();
  });
  // A field's error message goes once the field is changed: the server checks again
  // at the next save.
  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!field.classList || !field.classList.contains("is-invalid")) return;
    field.classList.remove("is-invalid");
    field.parentElement.querySelectorAll(".invalid-feedback").forEach(function (m) { m.remove(); });
  });
  var form = document.getElementById("entry-form");
  if (!form) return;
  var dirty = form.dataset.dirty === "true";
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  document.querySelectorAll("button[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      var text = dirty ? button.dataset.confirmDirty : button.dataset.confirm;
      if (!window.confirm(text)) { event.preventDefault(); return; }
      dirty = false;
    });
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
})();
