/* typingtest console: the live room (no framework, no build, offline).
 *
 * Polls the JSON of /room/state (the URL in #room's data-state-url) every 2 s and updates the
 * workstation tiles the page rendered, adding a tile (a clone of <template id="tile-template">)
 * for a workstation that appears. Every value goes in with textContent (never as HTML). A tile of
 * a workstation that missed three beats gets the class "lost". The tiles' forms post as usual.
 */
(function () {
  "use strict";

  var POLL_MS = 2000;

  function clock(seconds) {
    if (seconds === null || seconds === undefined) { return "–"; }
    var s = Math.max(0, Math.floor(seconds));
    var m = Math.floor(s / 60);
    var r = s % 60;
    return m + ":" + (r < 10 ? "0" : "") + r;
  }

  function field(tile, name) {
    return tile.querySelector('[data-field="' + name + '"]');
  }

  function tileFor(room, ws) {
    var tiles = room.querySelectorAll("section.tile");
    for (var i = 0; i < tiles.length; i++) {
      if (tiles[i].getAttribute("data-ws") === ws) { return tiles[i]; }
    }
    var template = document.getElementById("tile-template");
    if (!template) { return null; }
    var tile = template.content.firstElementChild.cloneNode(true);
    tile.setAttribute("data-ws", ws);
    tile.querySelector(".ws-name").textContent = ws;
    tile.querySelector("form").setAttribute("action", "/room/" + encodeURIComponent(ws) + "/command");
    var empty = document.getElementById("room-empty");
    if (empty) { empty.parentNode.removeChild(empty); }
    room.appendChild(tile);
    return tile;
  }

  function update(room, data) {
    var words = data.labels || {};
    (data.workstations || []).forEach(function (w) {
      var tile = tileFor(room, w.workstation);
      if (!tile) { return; }
      tile.className = "tile state-" + w.state + (w.lost ? " lost" : "");
      field(tile, "state").textContent = w.lost ? words.lost : (words["state_" + w.state] || w.state);
      field(tile, "age").textContent = w.age_s + " s";
      field(tile, "candidate_id").textContent = w.candidate_id || "–";
      field(tile, "battery").textContent = w.battery || "–";
      field(tile, "task").textContent = w.task || "–";
      field(tile, "time_left").textContent = clock(w.time_left_s);
      var kinds = (w.incidents || []).slice(-5).map(function (i) { return i.kind; });
      field(tile, "incidents").textContent = kinds.length ? kinds.join(", ") : "–";
      var list = field(tile, "commands");
      while (list.firstChild) { list.removeChild(list.firstChild); }
      (w.commands || []).forEach(function (c) {
        var li = document.createElement("li");
        var text = (words["command_" + c.command] || c.command) + " (" + c.issued_by + "): " +
          (words["status_" + c.status] || c.status);
        if (c.status === "refused" && c.ack_result) { text += ": " + c.ack_result; }
        li.textContent = text;
        list.appendChild(li);
      });
      var session = tile.querySelector('input[name="session_id"]');
      if (session && document.activeElement && !tile.contains(document.activeElement)) {
        session.value = w.session_id || "";
      }
    });
    room.setAttribute("data-updated", String(Date.now()));
  }

  function poll(room) {
    var request = new XMLHttpRequest();
    request.open("GET", room.getAttribute("data-state-url"));
    request.setRequestHeader("Accept", "application/json");
    request.onload = function () {
      if (request.status === 200) {
        try { update(room, JSON.parse(request.responseText)); } catch (e) { /* a bad answer: try again */ }
        room.removeAttribute("data-offline");
      } else {
        room.setAttribute("data-offline", String(request.status));
      }
      window.setTimeout(function () { poll(room); }, POLL_MS);
    };
    request.onerror = function () {
      room.setAttribute("data-offline", "network");
      window.setTimeout(function () { poll(room); }, POLL_MS);
    };
    request.send();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var room = document.getElementById("room");
    if (room) { poll(room); }
  });
}());
