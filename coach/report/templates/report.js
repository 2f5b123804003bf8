(function () {
  "use strict";
  var player = document.getElementById("player");
  var timeline = document.getElementById("timeline");
  var playhead = document.getElementById("playhead");
  var turns = Array.prototype.slice.call(document.querySelectorAll(".turn[data-start]"));

  function seek(t) {
    if (!player) { return; }
    player.currentTime = Math.max(0, t);
    var p = player.play();
    if (p && p.catch) { p.catch(function () { /* autoplay may be refused; the position is set */ }); }
  }
  function select(el) {
    document.querySelectorAll(".turn.current").forEach(function (x) { x.classList.remove("current"); });
    if (el) { el.classList.add("current"); }
  }
  turns.forEach(function (el) {
    function go() { select(el); seek(parseFloat(el.dataset.start)); }
    el.addEventListener("click", go);
    el.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); go(); } });
  });
  document.querySelectorAll("a.evidence").forEach(function (a) {
    a.addEventListener("click", function (e) {
      var el = document.getElementById("turn-" + a.dataset.turn);
      if (!el) { return; }
      e.preventDefault();
      el.scrollIntoView({behavior: "smooth", block: "center"});
      select(el);
      el.classList.add("flash");
      setTimeout(function () { el.classList.remove("flash"); }, 1200);
      if (el.dataset.start) { seek(parseFloat(el.dataset.start)); }
    });
  });
  if (timeline) {
    var dur = parseFloat(timeline.dataset.duration);
    var x0 = parseFloat(timeline.dataset.x0), x1 = parseFloat(timeline.dataset.x1);
    timeline.addEventListener("click", function (e) {
      var r = timeline.getBoundingClientRect();
      var f = ((e.clientX - r.left) / r.width - x0) / (x1 - x0);
      if (f >= 0 && f <= 1) { seek(f * dur); }
    });
    if (player && playhead) {
      player.addEventListener("timeupdate", function () {
        var t = player.currentTime;
        playhead.hidden = false;
        playhead.style.left = ((x0 + (x1 - x0) * Math.min(t / dur, 1)) * 100) + "%";
        var cur = null;
        turns.forEach(function (el) { if (parseFloat(el.dataset.start) <= t + 0.05) { cur = el; } });
        document.querySelectorAll(".turn.playing").forEach(function (x) { if (x !== cur) { x.classList.remove("playing"); } });
        if (cur) { cur.classList.add("playing"); }
      });
    }
  }
})();
