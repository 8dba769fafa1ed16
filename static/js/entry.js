// The entry page: show a rate's percentage as it is typed, and warn before leaving
// the page with changes not yet saved.
(function () {
  "use strict";
  function parse(text) {
    text = (text || "").trim().replace(/\s/g, "");
    if (!text) return null;
    if (text.indexOf(",") >= 0) text = text.replace(/\./g, "").replace(",", ".");
    else if (/^-?\d{1,3}(\.\d{3})+$/.test(text)) text = text.replace(/\./g, "");
    var n = Number(text);
    return isFinite(n) ? n : null;
  }
  function format(n) {
    return n.toLocaleString("vi-VN", { maximumFractionDigits: 2 });
  }
  document.querySelectorAll("[data-rate]").forEach(function (box) {
    var num = box.querySelector("[data-numerator]");
    var den = box.querySelector("[data-denominator]");
    var out = box.querySelector("[data-percentage]");
    function update() {
      var a = parse(num.value), b = parse(den.value);
      out.textContent = a !== null && b ? format((a * 100) / b) + " %" : "—";
      out.classList.toggle("text-danger", a !== null && b && (a > b || a < 0));
    }
    num.addEventListener("input", update);
    den.addEventListener("input", update);
    update();
  });
  var form = document.getElementById("entry-form");
  if (!form) return;
  var dirty = form.dataset.dirty === "true";
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
})();
