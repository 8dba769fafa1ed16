// "Select all" boxes, bound here because the content security policy allows no inline
// script. A checkbox with data-check-all="G" checks or clears every checkbox with
// data-check-group="G" (a group may be a part of another: data-check-group="a b"
// belongs to "a" and to "b"); it shows itself checked, unchecked or half-checked as
// they are, and every element with data-check-count="G" shows how many are checked.
// Without JavaScript the boxes are simply ticked one by one.
(function () {
  "use strict";
  function members(group) {
    return Array.prototype.filter.call(
      document.querySelectorAll("input[type=checkbox][data-check-group]"),
      function (box) { return box.dataset.checkGroup.split(" ").indexOf(group) >= 0; }
    );
  }
  function groupsOf(box) {
    return box.dataset.checkGroup ? box.dataset.checkGroup.split(" ") : [];
  }
  function refresh(group) {
    var boxes = members(group);
    var checked = boxes.filter(function (box) { return box.checked; }).length;
    document.querySelectorAll("input[type=checkbox][data-check-all]").forEach(function (all) {
      if (all.dataset.checkAll !== group) return;
      all.checked = boxes.length > 0 && checked === boxes.length;
      all.indeterminate = checked > 0 && checked < boxes.length;
    });
    document.querySelectorAll("[data-check-count]").forEach(function (counter) {
      if (counter.dataset.checkCount === group) counter.textContent = String(checked);
    });
  }
  function refreshAll() {
    var seen = {};
    document.querySelectorAll("input[type=checkbox][data-check-all]").forEach(function (all) {
      seen[all.dataset.checkAll] = true;
    });
    document.querySelectorAll("[data-check-count]").forEach(function (counter) {
      seen[counter.dataset.checkCount] = true;
    });
    Object.keys(seen).forEach(refresh);
  }
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || box.type !== "checkbox") return;
    if (box.dataset.checkAll) {
      members(box.dataset.checkAll).forEach(function (member) { member.checked = box.checked; });
      refreshAll();
    } else if (box.dataset.checkGroup) {
      groupsOf(box).forEach(refresh);
    }
  });
  // After the page comes back with an error, the boxes keep what was ticked.
  document.addEventListener("DOMContentLoaded", refreshAll);
  window.addEventListener("pageshow", refreshAll);
})();
