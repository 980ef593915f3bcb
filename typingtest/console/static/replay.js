/* typingtest console: the replay of a typed attempt in the browser (no framework, no build, offline).
 *
 * Reads the JSON that typingtest.console.replay.replay_frames gives, embedded in the page as
 *   <script type="application/json" id="replay-data">{...}</script>
 * and builds a player inside every element with a data-replay attribute (its value: the id of
 * the JSON script; empty means "replay-data"). Without such an element, the player goes right
 * after the #replay-data script. The text appears at the speed it was typed (1x, 2x, 4x), a
 * deletion shows struck through for a moment, and at the end the final text is shown with its
 * errors marked (substituted, extra and missing characters, as the scoring aligned them).
 *
 * Steps: [t_ms, "ins", pos, text] | [t_ms, "del", start, end] | [t_ms, "caret", pos] |
 * [t_ms, "select", anchor, pos]; positions count characters (code points), as Python does.
 * Spans: [op, t_start, t_end, p_start, p_end], op one of ok, sub, ins, del.
 * The player's state is on its root element (data-state: ready, playing, paused, ended) for tests.
 */
(function () {
  "use strict";

  var WORDS = {
    nl: {
      player: "Herhaling van het typen", play: "Afspelen", pause: "Pauzeren", restart: "Opnieuw vanaf het begin",
      end: "Naar het einde", again: "Opnieuw", toEnd: "Einde", speed: "Snelheid", speedX: "Snelheid {x}×", time: "Tijd in de poging",
      presented: "Voorgelegde tekst", typed: "Getypte tekst", notReached: "(nog {n} tekens niet bereikt)",
      final: "Eindtekst met de fouten gemarkeerd",
      sub: "vervangen", ins: "te veel", del: "ontbrekend", expected: "Verwacht: «{x}»",
      extra: "Te veel getypt", missing: "Ontbreekt: «{x}»", noData: "Geen herhaling beschikbaar voor deze poging.",
      noErrors: "Geen fouten in de eindtekst."
    },
    fr: {
      player: "Rejouer la frappe", play: "Lire", pause: "Pause", restart: "Recommencer depuis le début",
      end: "Aller à la fin", again: "Recommencer", toEnd: "Fin", speed: "Vitesse", speedX: "Vitesse {x}×", time: "Temps dans l'essai",
      presented: "Texte présenté", typed: "Texte tapé", notReached: "({n} caractères non atteints)",
      final: "Texte final avec les erreurs marquées",
      sub: "remplacés", ins: "en trop", del: "manquants", expected: "Attendu : «{x}»",
      extra: "Tapé en trop", missing: "Manque : «{x}»", noData: "Pas de rejeu disponible pour cet essai.",
      noErrors: "Aucune erreur dans le texte final."
    },
    en: {
      player: "Replay of the typing", play: "Play", pause: "Pause", restart: "Restart from the beginning",
      end: "Skip to the end", again: "Restart", toEnd: "End", speed: "Speed", speedX: "Speed {x}×", time: "Time in the attempt",
      presented: "Presented text", typed: "Typed text", notReached: "({n} characters not reached)",
      final: "Final text with the errors marked",
      sub: "substituted", ins: "extra", del: "missing", expected: "Expected: «{x}»",
      extra: "Typed in excess", missing: "Missing: «{x}»", noData: "No replay available for this attempt.",
      noErrors: "No errors in the final text."
    }
  };
  var SPEEDS = [1, 2, 4];
  // how long a deletion stays visible, struck through (milliseconds of the attempt's time)
  var GHOST_MS = 600;
  // the replay starts this long before the first keystroke (milliseconds)
  var LEAD_MS = 500;

  var CSS = [
    ".tt-replay{border:1px solid #999;border-radius:4px;padding:.75rem;max-width:60rem}",
    ".tt-replay-bar{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;margin:.25rem 0 .6rem}",
    ".tt-replay button{font:inherit;padding:.3rem .7rem;border:1px solid #555;border-radius:3px;background:#f4f4f4;" +
      "cursor:pointer}",
    ".tt-replay button:focus-visible{outline:3px solid #0072B2;outline-offset:2px}",
    ".tt-replay button[aria-pressed=true]{background:#0072B2;color:#fff;border-color:#0072B2}",
    ".tt-replay-time{font-variant-numeric:tabular-nums;margin-left:.5rem}",
    ".tt-replay progress{flex:1 1 8rem;min-width:6rem}",
    ".tt-replay-text{white-space:pre-wrap;word-break:break-word;font-family:ui-monospace,Menlo,Consolas,monospace;" +
      "border:1px solid #ccc;background:#fff;padding:.5rem;min-height:4rem;max-height:22rem;overflow:auto;" +
      "line-height:1.5}",
    ".tt-replay-presented{color:#333;background:#f7f7f7}",
    ".tt-replay h3{font-size:1rem;margin:.6rem 0 .25rem}",
    ".tt-caret{border-left:2px solid #000;margin-left:-1px;margin-right:-1px}",
    ".tt-sel{background:#b3d4fc}",
    ".tt-removed{color:#D55E00;text-decoration:line-through}",
    ".tt-sub{background:#ffd9b3;text-decoration:underline solid #D55E00 2px}",
    ".tt-ins{background:#f2c6e0;text-decoration:underline dotted #CC79A7 2px}",
    ".tt-del::after{content:attr(data-missing);font-size:.75em;vertical-align:super;color:#D55E00;" +
      "border:1px dashed #D55E00;padding:0 .1em;margin:0 .05em}",
    ".tt-replay-legend{font-size:.9rem;margin:.4rem 0 0}",
    ".tt-replay-legend span{margin-right:1rem}"
  ].join("\n");

  function installCss() {
    if (document.getElementById("tt-replay-css")) return;
    var style = document.createElement("style");
    style.id = "tt-replay-css";
    style.textContent = CSS;
    document.head.appendChild(style);
  }

  function words(lang) {
    return WORDS[lang] || WORDS.nl;
  }

  function fill(text, fields) {
    return text.replace(/\{(\w+)\}/g, function (_, k) { return fields[k] === undefined ? "" : String(fields[k]); });
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function clock(ms, lang) {
    var s = Math.max(0, ms) / 1000;
    var m = Math.floor(s / 60);
    var rest = (s - 60 * m).toFixed(1);
    if (rest.length < 4) rest = "0" + rest;
    var text = m + ":" + rest;
    return lang === "en" ? text : text.replace(".", ",");
  }

  function Player(root, data, lang) {
    this.root = root;
    this.data = data;
    this.lang = lang;
    this.w = words(lang);
    this.steps = Array.isArray(data.steps) ? data.steps : [];
    this.start = Math.max(0, (this.steps.length ? this.steps[0][0] : 0) - LEAD_MS);
    this.end = this.steps.length ? this.steps[this.steps.length - 1][0] : 0;
    this.speed = 1;
    this.frame = null;
    this.build();
    this.reset();
  }

  Player.prototype.build = function () {
    var w = this.w, self = this, root = this.root;
    root.classList.add("tt-replay");
    root.setAttribute("role", "region");
    root.setAttribute("aria-label", w.player);
    root.textContent = "";
    if (typeof this.data.presented === "string") {
      var judged = this.data.judged_chars == null ? this.data.presented.length : this.data.judged_chars;
      var shown = Array.from(this.data.presented).slice(0, judged).join("");
      var left = Array.from(this.data.presented).length - judged;
      root.appendChild(el("h3", {}, w.presented));
      var p = el("div", {"class": "tt-replay-text tt-replay-presented"}, shown);
      if (left > 0) p.appendChild(el("em", {}, " " + fill(w.notReached, {n: left})));
      root.appendChild(p);
    }
    var bar = el("div", {"class": "tt-replay-bar"});
    this.playButton = el("button", {type: "button", "class": "tt-replay-play", "aria-label": w.play}, "▶ " + w.play);
    this.playButton.addEventListener("click", function () { self.toggle(); });
    bar.appendChild(this.playButton);
    var group = el("span", {role: "group", "aria-label": w.speed});
    this.speedButtons = SPEEDS.map(function (x) {
      var b = el("button", {type: "button", "class": "tt-replay-speed", "data-speed": String(x),
        "aria-label": fill(w.speedX, {x: x}), "aria-pressed": x === 1 ? "true" : "false"}, x + "×");
      b.addEventListener("click", function () { self.setSpeed(x); });
      group.appendChild(b);
      return b;
    });
    bar.appendChild(group);
    var restart = el("button", {type: "button", "class": "tt-replay-restart", "aria-label": w.restart},
      "⟲ " + w.again);
    restart.addEventListener("click", function () { self.restart(); });
    bar.appendChild(restart);
    var toEnd = el("button", {type: "button", "class": "tt-replay-end", "aria-label": w.end}, w.toEnd + " ⇥");
    toEnd.addEventListener("click", function () { self.finish(); });
    bar.appendChild(toEnd);
    this.progress = el("progress", {max: String(Math.max(1, this.end - this.start)), value: "0",
      "aria-label": w.time});
    bar.appendChild(this.progress);
    this.timeLabel = el("span", {"class": "tt-replay-time", role: "timer", "aria-label": w.time});
    bar.appendChild(this.timeLabel);
    root.appendChild(bar);
    this.heading = el("h3", {}, w.typed);
    root.appendChild(this.heading);
    this.view = el("div", {"class": "tt-replay-text tt-replay-typed", "aria-live": "off"});
    root.appendChild(this.view);
    this.legend = el("p", {"class": "tt-replay-legend", hidden: ""});
    root.appendChild(this.legend);
  };

  Player.prototype.reset = function () {
    this.buf = [];
    this.caret = 0;
    this.anchor = null;
    this.next = 0;
    this.playhead = this.start;
    this.ghost = null;
    this.setState("ready");
    this.heading.textContent = this.w.typed;
    this.legend.hidden = true;
    this.render();
  };

  Player.prototype.setState = function (state) {
    this.state = state;
    this.root.setAttribute("data-state", state);
    var playing = state === "playing";
    var label = playing ? this.w.pause : this.w.play;
    this.playButton.textContent = (playing ? "❚❚ " : "▶ ") + label;
    this.playButton.setAttribute("aria-label", label);
  };

  Player.prototype.setSpeed = function (x) {
    this.speed = x;
    this.root.setAttribute("data-speed", String(x));
    this.speedButtons.forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-speed") === String(x) ? "true" : "false");
    });
  };

  Player.prototype.toggle = function () {
    if (this.state === "playing") {
      this.pause();
    } else {
      if (this.state === "ended") this.reset();
      this.play();
    }
  };

  Player.prototype.play = function () {
    var self = this;
    this.setState("playing");
    this.last = null;
    var tick = function (now) {
      if (self.state !== "playing") return;
      if (self.last !== null) self.advance(self.playhead + (now - self.last) * self.speed);
      self.last = now;
      if (self.state === "playing") self.frame = window.requestAnimationFrame(tick);
    };
    this.frame = window.requestAnimationFrame(tick);
  };

  Player.prototype.pause = function () {
    if (this.frame !== null) window.cancelAnimationFrame(this.frame);
    this.frame = null;
    this.setState("paused");
    this.render();
  };

  Player.prototype.restart = function () {
    if (this.frame !== null) window.cancelAnimationFrame(this.frame);
    this.frame = null;
    this.reset();
    this.play();
  };

  Player.prototype.finish = function () {
    if (this.frame !== null) window.cancelAnimationFrame(this.frame);
    this.frame = null;
    this.advance(this.end);
  };

  /* Apply every step up to attempt time ``t`` (ms) and redraw when something changed. */
  Player.prototype.advance = function (t) {
    var changed = false;
    while (this.next < this.steps.length && this.steps[this.next][0] <= t) {
      this.apply(this.steps[this.next]);
      this.next += 1;
      changed = true;
    }
    this.playhead = Math.min(t, this.end);
    if (this.ghost && this.ghost.until <= this.playhead) {
      this.ghost = null;
      changed = true;
    }
    if (this.next >= this.steps.length && t >= this.end) {
      if (this.frame !== null) window.cancelAnimationFrame(this.frame);
      this.frame = null;
      this.ghost = null;
      this.setState("ended");
      this.showFinal();
      return;
    }
    if (changed) this.render();
    else this.renderClock();
  };

  Player.prototype.apply = function (step) {
    var t = step[0], op = step[1];
    if (op === "ins") {
      var chars = Array.from(step[3]);
      Array.prototype.splice.apply(this.buf, [step[2], 0].concat(chars));
      this.caret = step[2] + chars.length;
      this.anchor = null;
      if (this.ghost && this.ghost.pos >= step[2]) this.ghost = null;  // the correction replaces the struck text
    } else if (op === "del") {
      var removed = this.buf.splice(step[2], step[3] - step[2]);
      this.caret = step[2];
      this.anchor = null;
      if (this.ghost && this.ghost.pos === step[3]) {
        // backspaces in a row: the struck-through run grows to the left
        this.ghost = {pos: step[2], chars: removed.concat(this.ghost.chars), until: t + GHOST_MS};
      } else if (this.ghost && this.ghost.pos === step[2]) {
        // forward deletes in a row: it grows to the right
        this.ghost = {pos: step[2], chars: this.ghost.chars.concat(removed), until: t + GHOST_MS};
      } else {
        this.ghost = {pos: step[2], chars: removed, until: t + GHOST_MS};
      }
    } else if (op === "caret") {
      this.caret = step[2];
      this.anchor = null;
    } else if (op === "select") {
      this.anchor = step[2];
      this.caret = step[3];
    }
  };

  Player.prototype.renderClock = function () {
    this.progress.value = Math.max(0, this.playhead - this.start);
    this.timeLabel.textContent = clock(this.playhead, this.lang) + " / " + clock(this.end, this.lang);
  };

  Player.prototype.render = function () {
    var view = this.view, buf = this.buf;
    view.textContent = "";
    var lo = this.anchor === null ? this.caret : Math.min(this.anchor, this.caret);
    var hi = this.anchor === null ? this.caret : Math.max(this.anchor, this.caret);
    var ghost = this.ghost;
    var cuts = [0, lo, hi, buf.length];
    if (ghost) cuts.push(Math.min(ghost.pos, buf.length));
    cuts = cuts.filter(function (v, i, a) { return a.indexOf(v) === i; }).sort(function (a, b) { return a - b; });
    for (var i = 0; i < cuts.length; i++) {
      var at = cuts[i];
      if (ghost && at === Math.min(ghost.pos, buf.length)) {
        view.appendChild(el("del", {"class": "tt-removed"}, ghost.chars.join("")));
      }
      if (at === this.caret) view.appendChild(el("span", {"class": "tt-caret", "aria-hidden": "true"}));
      if (i + 1 < cuts.length && cuts[i + 1] > at) {
        var piece = buf.slice(at, cuts[i + 1]).join("");
        if (at >= lo && cuts[i + 1] <= hi && lo < hi) view.appendChild(el("span", {"class": "tt-sel"}, piece));
        else view.appendChild(document.createTextNode(piece));
      }
    }
    var caretNode = view.querySelector(".tt-caret");
    if (caretNode && caretNode.offsetTop > view.scrollTop + view.clientHeight - 24) {
      view.scrollTop = caretNode.offsetTop - view.clientHeight + 48;
    }
    this.renderClock();
  };

  /* The final text with the scoring's alignment marked. */
  Player.prototype.showFinal = function () {
    var w = this.w, view = this.view, data = this.data;
    var typed = Array.from(typeof data.final === "string" ? data.final : this.buf.join(""));
    var presented = Array.from(typeof data.presented === "string" ? data.presented : "");
    view.textContent = "";
    this.heading.textContent = w.final;
    var spans = Array.isArray(data.spans) && data.spans.length ? data.spans : [["ok", 0, typed.length, 0, 0]];
    spans.forEach(function (s) {
      var op = s[0], text = typed.slice(s[1], s[2]).join(""), want = presented.slice(s[3], s[4]).join("");
      if (op === "ok") {
        view.appendChild(document.createTextNode(text));
      } else if (op === "sub") {
        var m = el("mark", {"class": "tt-err tt-sub", title: fill(w.expected, {x: want})}, text);
        view.appendChild(m);
      } else if (op === "ins") {
        view.appendChild(el("mark", {"class": "tt-err tt-ins", title: w.extra}, text));
      } else if (op === "del") {
        var label = fill(w.missing, {x: want});
        view.appendChild(el("span", {"class": "tt-err tt-del", role: "img", "aria-label": label, title: label,
          "data-missing": want}));
      }
    });
    var errors = data.errors;
    if (errors) {
      this.legend.textContent = "";
      if (!errors.msd) {
        this.legend.textContent = w.noErrors;
      } else {
        [["sub", "tt-sub"], ["ins", "tt-ins"], ["del", "tt-del"]].forEach(function (pair) {
          var item = el("span", {});
          var sample = pair[0] === "del" ? el("span", {"class": pair[1], "data-missing": "a", "aria-hidden": "true"})
            : el("mark", {"class": pair[1], "aria-hidden": "true"}, "ab");
          item.appendChild(sample);
          item.appendChild(document.createTextNode(" " + errors[pair[0]] + " " + w[pair[0]]));
          this.legend.appendChild(item);
        }, this);
      }
      this.legend.hidden = false;
    }
    this.playhead = this.end;
    this.renderClock();
  };

  function start() {
    var lang = (document.documentElement.lang || "nl").slice(0, 2).toLowerCase();
    var roots = Array.prototype.slice.call(document.querySelectorAll("[data-replay]"));
    if (!roots.length) {
      var only = document.getElementById("replay-data");
      if (!only) return;
      var made = document.createElement("div");
      made.setAttribute("data-replay", "replay-data");
      only.parentNode.insertBefore(made, only.nextSibling);
      roots = [made];
    }
    installCss();
    roots.forEach(function (root) {
      var source = document.getElementById(root.getAttribute("data-replay") || "replay-data");
      var data = null;
      try {
        data = source ? JSON.parse(source.textContent) : null;
      } catch (e) {
        data = null;
      }
      if (!data || data.version !== 1) {
        root.textContent = words(lang).noData;
        root.setAttribute("data-state", "unavailable");
        return;
      }
      root.ttReplay = new Player(root, data, lang);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
