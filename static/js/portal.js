/* Behaviour every page shares, bound here rather than in inline handlers: the
   content security policy allows no inline script. */
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-autosubmit]")) event.target.form.submit();
});
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
  // "Quay lại": the previous page when there is one, else the link's own target.
  if (event.target.closest("[data-back]") && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});
