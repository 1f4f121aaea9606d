// The admin page's behaviour, shared by admin.php and the Java page (scripts/forkcast admin-web): sends, kicks and
// broadcasts through the JSON endpoints, filters the table by room, and keeps the table and both room lists current
// from clients.php. Text goes into the page only through textContent and properties, never as HTML: nicknames,
// room names and topics are typed by strangers.
"use strict";
(function () {
    const FIELDS = ["id", "peer", "name", "room", "pid", "age", "idle", "in", "out", "queued"];
    const tbody = document.querySelector("#clients tbody");
    const status = document.getElementById("status");
    const empty = document.getElementById("empty");
    const filter = document.getElementById("room-filter");
    const broadcast = document.getElementById("broadcast");
    const refreshMs = Number(document.body.dataset.refreshMs) || 2000;

    function show(text, isError) {
        status.textContent = text;
        status.className = isError ? "error" : "";
    }

    async function post(url, body) {
        try {
            const response = await fetch(url, {
                method: "POST",
                headers: {"Content-Type": "application/json"},
                body: JSON.stringify(body),
            });
            try {
                return await response.json();
            } catch (notJson) {
                return {error: true, message: "HTTP " + response.status};
            }
        } catch (e) {
            return {error: true, message: "cannot reach the server: " + e};
        }
    }

    function makeRow(id) {
        const row = document.createElement("tr");
        row.dataset.clientId = id;
        for (const field of FIELDS) {
            const td = document.createElement("td");
            td.className = field;
            row.appendChild(td);
        }
        const form = document.createElement("form");
        form.className = "send";
        const input = document.createElement("input");
        input.name = "message";
        input.size = 30;
        input.placeholder = "message";
        const send = document.createElement("button");
        send.type = "submit";
        send.textContent = "Send";
        form.append(input, " ", send);
        const kick = document.createElement("button");
        kick.type = "button";
        kick.className = "kick";
        kick.title = "disconnect; the message box, if filled, is the reason";
        kick.textContent = "Kick";
        const formCell = document.createElement("td");
        formCell.appendChild(form);
        const kickCell = document.createElement("td");
        kickCell.appendChild(kick);
        row.append(formCell, kickCell);
        return row;
    }

    function render(clients) {
        const present = new Set();
        for (const client of clients) {
            const id = String(client.id);
            present.add(id);
            let row = Array.from(tbody.rows).find((r) => r.dataset.clientId === id);
            if (!row) {
                row = makeRow(id);
                tbody.appendChild(row);
            }
            for (const field of FIELDS) {
                const missing = (field === "name" || field === "room") && client[field] == null;
                const value = missing ? "-" : String(client[field]);
                const td = row.querySelector("td." + field);
                if (td.textContent !== value) {
                    td.textContent = value;
                }
            }
        }
        for (const row of Array.from(tbody.rows)) {
            if (!present.has(row.dataset.clientId)) {
                row.remove();
            }
        }
        applyFilter();
    }

    function sameRoom(a, b) {
        return a.toLowerCase() === b.toLowerCase();
    }

    /** Shows only the rows of the room chosen in the filter (all of them for "all rooms"). */
    function applyFilter() {
        const room = filter.value;
        let shown = 0;
        for (const row of Array.from(tbody.rows)) {
            const hide = room !== "" && !sameRoom(row.querySelector("td.room").textContent, room);
            if (row.hidden !== hide) {
                row.hidden = hide;
            }
            shown += hide ? 0 : 1;
        }
        const text = tbody.rows.length === 0 ? "No clients connected." : "No clients in #" + room + ".";
        if (empty.textContent !== text) {
            empty.textContent = text;
        }
        empty.hidden = shown > 0;
    }

    /**
     * Makes the room options of select (after its first, "everyone" or "all rooms") those of rooms, changing only
     * what differs so that a choice in progress survives. A chosen room that is gone stays, marked "(gone)".
     */
    function syncRooms(select, rooms) {
        const chosen = select.value;
        const wanted = rooms.map((r) => ({
            value: r.name,
            text: "#" + r.name + " (" + r.members + (r.members === 1 ? " client" : " clients") + ")",
            title: r.topic === null || r.topic === undefined ? "" : String(r.topic),
        }));
        const kept = chosen === "" ? null : wanted.find((w) => sameRoom(w.value, chosen));
        if (chosen !== "" && !kept) {
            wanted.push({value: chosen, text: "#" + chosen + " (gone)", title: ""});
        }
        wanted.forEach((w, i) => {
            let option = Array.from(select.options).slice(1).find((o) => o.value === w.value);
            if (!option) {
                option = document.createElement("option");
                option.value = w.value;
            }
            const at = select.options[i + 1] || null;
            if (at !== option) {
                select.insertBefore(option, at);
            }
            if (option.textContent !== w.text) {
                option.textContent = w.text;
            }
            if (option.title !== w.title) {
                option.title = w.title;
            }
        });
        while (select.options.length > wanted.length + 1) {
            select.remove(wanted.length + 1);
        }
        select.value = kept ? kept.value : chosen;
    }

    async function refresh() {
        try {
            const response = await fetch("clients.php", {cache: "no-store"});
            const data = await response.json();
            if (data.error) {
                show(data.message, true);
            } else {
                syncRooms(filter, data.rooms);
                syncRooms(broadcast.elements.namedItem("room"), data.rooms);
                render(data.clients);
            }
        } catch (e) {
            show("cannot refresh the list: " + e, true);
        } finally {
            setTimeout(refresh, refreshMs);
        }
    }

    tbody.addEventListener("submit", async (event) => {
        event.preventDefault();
        const row = event.target.closest("tr");
        const input = row.querySelector("input[name=message]");
        const id = row.dataset.clientId;
        if (input.value.trim() === "") {
            show("type a message first", true);
            return;
        }
        const data = await post("sendMessage.php", {clientId: id, message: input.value});
        if (data.error) {
            show("client " + id + ": " + data.message, true);
        } else {
            show("message sent to client " + id, false);
            input.value = "";
        }
    });

    tbody.addEventListener("click", async (event) => {
        const button = event.target.closest("button.kick");
        if (!button) {
            return;
        }
        const row = button.closest("tr");
        const id = row.dataset.clientId;
        const data = await post("kick.php", {clientId: id, reason: row.querySelector("input[name=message]").value});
        if (data.error) {
            show("client " + id + ": " + data.message, true);
        } else {
            show("client " + id + " kicked", false);
            row.remove();
        }
    });

    filter.addEventListener("change", applyFilter);
    applyFilter();

    broadcast.addEventListener("submit", async (event) => {
        event.preventDefault();
        const room = broadcast.elements.namedItem("room").value;
        const input = broadcast.elements.namedItem("message");
        if (input.value.trim() === "") {
            show("type a message first", true);
            return;
        }
        const data = await post("broadcast.php", {room: room, message: input.value});
        if (data.error) {
            show((room === "" ? "broadcast" : "#" + room) + ": " + data.message, true);
        } else {
            const reached = data.reached + (data.reached === 1 ? " client" : " clients");
            show("sent to " + reached + (room === "" ? "" : " in #" + room), false);
            input.value = "";
        }
    });

    setTimeout(refresh, refreshMs);
})();
