// The answer sheet, enhanced: a countdown to the server's deadline, a live count of answered
// questions with a navigator, and a confirmation naming the unanswered ones before handing
// in. Without script the page still works: the deadline shows as a time, the server grades.
(() => {
  const sheet = document.getElementById("answer-sheet");
  if (!sheet) return;
  const blocks = [...sheet.querySelectorAll("fieldset[id^='question-']")];

  const answered = (block) =>
    [...block.querySelectorAll("input, select, textarea")].some((field) => {
      if (field.type === "hidden") return false;
      if (field.type === "radio" || field.type === "checkbox") return field.checked;
      return field.value.trim() !== "";
    });

  const count = document.getElementById("answered-count");
  const links = new Map(
    [...document.querySelectorAll("[data-question-link]")].map((a) => [a.dataset.questionLink, a]),
  );
  const refresh = () => {
    let done = 0;
    for (const block of blocks) {
      const ok = answered(block);
      done += ok;
      const link = links.get(block.id);
      if (link) {
        link.classList.toggle("btn-success", ok);
        link.classList.toggle("btn-outline-secondary", !ok);
        link.setAttribute("aria-label", `${link.dataset.label} · ${ok ? link.dataset.done : link.dataset.todo}`);
      }
    }
    if (count) count.textContent = String(done);
  };
  sheet.addEventListener("change", refresh);
  sheet.addEventListener("input", refresh);
  refresh();

  const submit = sheet.querySelector("button[formaction$='/submit/']");
  if (submit) {
    submit.addEventListener("click", (event) => {
      const missing = blocks.filter((b) => !answered(b)).map((b) => b.id.replace("question-", ""));
      if (missing.length && !window.confirm(submit.dataset.confirm.replace("{list}", missing.join(", ")))) {
        event.preventDefault();
      }
    });
  }

  const clock = document.getElementById("countdown");
  if (clock && clock.dataset.deadline) {
    // The server's clock, not the device's: the page says how far the deadline was when sent.
    const left0 = Number(clock.dataset.secondsLeft);
    const start = Date.now();
    const tick = () => {
      const left = Math.max(0, Math.round(left0 - (Date.now() - start) / 1000));
      const minutes = Math.floor(left / 60);
      const seconds = String(left % 60).padStart(2, "0");
      clock.textContent = `${minutes}:${seconds}`;
      clock.classList.toggle("text-danger", left <= 60);
      if (left === 0) {
        window.clearInterval(timer);
        window.location.reload(); // the server grades what was saved
      }
    };
    const timer = window.setInterval(tick, 1000);
    tick();
  }
})();
