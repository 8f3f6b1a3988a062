// Behaviour the pages ask for with data attributes, so no page carries inline script.
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-submit-on-change]");
  if (field && field.form) field.form.requestSubmit();
});
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
// A procedure is read once its end is on screen: the "mark as read" form sends itself.
const readMark = document.querySelector("[data-read-when-seen]");
if (readMark && "IntersectionObserver" in window) {
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((entry) => entry.isIntersecting)) {
      observer.disconnect();
      readMark.requestSubmit();
    }
  });
  observer.observe(readMark);
}
