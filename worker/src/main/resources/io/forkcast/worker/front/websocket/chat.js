// forkcast's chat page: one WebSocket to the page's own host, JSON events in, text frames out.
// Every string from the server is put in with textContent: names and lines are typed by strangers.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const log = $("log"), line = $("line"), status = $("status");
  let socket = null, backoffMs = 1000, room = null, prompt = null, sidePending = null, sideItems = [];

  function add(kind, parts, time) {
    const li = document.createElement("li");
    li.className = kind;
    if (time) {
      const t = document.createElement("time");
      t.textContent = new Date(time).toLocaleTimeString([], {hour: "2-digit", minute: "2-digit"});
      li.append(t);
    }
    for (const [cls, text] of parts) {
      const span = document.createElement("span");
      if (cls) span.className = cls;
      span.textContent = text;
      li.append(span);
    }
    const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
    log.append(li);
    while (log.childElementCount > 2000) log.firstElementChild.remove();
    if (atBottom) log.scrollTop = log.scrollHeight;
  }
  const news = (text) => add("news", [[null, text]]);

  function setRoom(name) {
    room = name;
    $("room").textContent = name ? "#" + name : "";
  }

  function showSide(title, entries) {
    $("side-title").textContent = title;
    const list = $("side-list");
    list.replaceChildren();
    for (const e of entries) {
      const li = document.createElement("li");
      if (e.join) {
        const b = document.createElement("button");
        b.type = "button";
        b.textContent = e.text;
        b.addEventListener("click", () => { send("/join " + e.join); $("side").hidden = true; });
        li.append(b);
      } else {
        li.textContent = e.text;
      }
      list.append(li);
    }
    $("side").hidden = false;
  }

  // A list in parts (total, offset): shown once the last part is in.
  function collect(kind, ev, items, title) {
    if (ev.offset === 0 || sidePending !== kind) { sidePending = kind; sideItems = []; }
    sideItems.push(...items);
    if (sideItems.length >= ev.total) { sidePending = null; showSide(title, sideItems); }
  }

  const handlers = {
    welcome: (ev) => { news("you are " + ev.name + " (pid " + ev.pid + ")"); if (ev.room) setRoom(ev.room); },
    line: (ev) => add(ev.action ? "action" : "said",
        ev.action ? [["from", "* " + ev.from + " "], [null, ev.text]] : [["from", ev.from + ": "], [null, ev.text]], ev.time),
    private: (ev) => add("private", [["from", ev.from + " (privately): "], [null, ev.text]], ev.time),
    private_sent: (ev) => add("private", [[null, ev.stored ? "to " + ev.to + ": stored until they log in" : "to " + ev.to + ": "], [null, ev.text || ""]]),
    join: (ev) => news(ev.name + " joined" + (ev.room ? " #" + ev.room : "")),
    leave: (ev) => news(ev.name + " left" + (ev.to ? " for #" + ev.to : ev.room ? " #" + ev.room : "")),
    nick: (ev) => news(ev.self ? "you are now known as " + ev.new : ev.old + " is now known as " + ev.new),
    topic: (ev) => news(ev.by + " set the topic of #" + ev.room + ": " + ev.topic),
    entered: (ev) => { setRoom(ev.room); news("you are in #" + ev.room + (ev.topic ? ": " + ev.topic : "")); },
    who: (ev) => collect("who", ev, ev.people.map((p) => ({text: p.name + (p.room && !ev.room ? " in #" + p.room : "") + (p.you ? " (you)" : "")})),
        ev.room ? "In #" + ev.room : "Everyone"),
    rooms: (ev) => collect("rooms", ev, ev.rooms.map((r) => ({text: "#" + r.name + " (" + r.members + ")" + (r.topic ? " " + r.topic : ""), join: r.name})), "Rooms"),
    history: (ev) => { if (ev.offset === 0 && ev.total > 0) news("last lines of #" + ev.room + ":");
      for (const l of ev.lines) add("past", [["from", (l.action ? "* " : "") + l.from + (l.action ? " " : ": ")], [null, l.text]], l.time); },
    away: (ev) => { for (const l of ev.lines) add("private past", [["from", l.from + " (while you were away): "], [null, l.text]], l.time); },
    notice: (ev) => news(ev.text),
    error: (ev) => add("error", [[null, ev.text]]),
    login: (ev) => askLogin(ev.prompt),
    logged_in: (ev) => { $("login").hidden = true; $("say").hidden = false; news("logged in as " + ev.user); },
    message: (ev) => add("said", [["from", (ev.from || "?") + " → " + JSON.stringify(ev.tags) + ": "], [null, ev.message]]),
    admin: (ev) => add("error", [["from", "admin: "], [null, ev.message]]),
    sent: (ev) => news("sent to " + ev.receivers),
  };

  // The server asks for a user, then a password: both are sent as the next text frames, one each.
  function askLogin(what) {
    prompt = what;
    $("login").hidden = false;
    $("say").hidden = true;
    (what === "password" ? $("login-password") : $("login-user")).focus();
  }
  $("login").addEventListener("submit", (e) => {
    e.preventDefault();
    if (prompt === "user") { send($("login-user").value); prompt = null; }
    else if (prompt === "password") { send($("login-password").value); $("login-password").value = ""; prompt = null; }
  });

  function send(text) {
    if (socket && socket.readyState === WebSocket.OPEN) { socket.send(text); return true; }
    add("error", [[null, "not connected, try again in a moment"]]);
    return false;
  }

  $("say").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = line.value;
    if (text.trim() && send(text)) line.value = "";
  });
  $("rooms-button").addEventListener("click", () => send("/rooms"));
  $("who-button").addEventListener("click", () => send("/who"));

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/");
    status.textContent = "connecting…";
    socket.addEventListener("open", () => { status.textContent = "connected"; backoffMs = 1000; });
    socket.addEventListener("message", (m) => {
      let ev;
      try { ev = JSON.parse(m.data); } catch { return; }
      const handle = handlers[ev.type];
      if (handle) handle(ev);
    });
    socket.addEventListener("close", (c) => {
      status.textContent = "reconnecting in " + backoffMs / 1000 + " s";
      if (c.reason) news("closed: " + c.reason);
      setTimeout(connect, backoffMs);
      backoffMs = Math.min(backoffMs * 2, 30000);
    });
  }
  connect();
})();
