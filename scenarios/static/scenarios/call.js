// The call screen's small helpers: a running call timer, number keys for choices (in the order
// shown), and focus kept on the customer's latest line after each htmx swap, never on a
// choice, so nothing looks chosen before the agent acts. The page works without any of it.
(function () {
  "use strict";

  function tick() {
    var call = document.getElementById("call");
    var timer = document.getElementById("call-timer");
    if (!call || !timer) return;
    var started = parseInt(call.dataset.started, 10) * 1000;
    var seconds = Math.max(0, Math.floor((Date.now() - started) / 1000));
    var mm = String(Math.floor(seconds / 60)).padStart(2, "0");
    var ss = String(seconds % 60).padStart(2, "0");
    timer.textContent = mm + ":" + ss;
  }

  function scrollTranscript() {
    var log = document.querySelector("#call .transcript");
    if (log) log.scrollTop = log.scrollHeight;
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var target = event.target;
    if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT")) return;
    if (!/^[1-9]$/.test(event.key)) return;
    var button = document.querySelectorAll("#choices .choice")[parseInt(event.key, 10) - 1];
    if (button) {
      event.preventDefault();
      button.focus();
      button.click();
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id !== "call") return;
    scrollTranscript();
    tick();
    var latest = document.querySelector("#call .bubble-latest");
    if (latest) latest.focus();
  });

  // A refused or failed choice changes nothing on the server: show the call as it stands.
  document.addEventListener("htmx:responseError", function (event) {
    if (event.detail.target && event.detail.target.id === "call") window.location.reload();
  });

  scrollTranscript();
  tick();
  setInterval(tick, 1000);
})();
