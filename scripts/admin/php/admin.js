// The admin page's behaviour, shared by admin.php and the Java page (scripts/forkcast admin-web): sends and kicks
// through the JSON endpoints, and keeps the table current from clients.php. Text goes into the page only through
// textContent, never as HTML: nicknames are typed by strangers.
"use strict";
(function () {
    const FIELDS = ["id", "peer", "name", "pid", "age", "idle", "in", "out", "queued"];
    const tbody = document.querySelector("#clients tbody");
    const status = document.getElementById("status");
    const empty = document.getElementById("empty");
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
                const value = field === "name" && client.name === null ? "-" : String(client[field]);
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
        empty.hidden = clients.length > 0;
    }

    async function refresh() {
        try {
            const response = await fetch("clients.php", {cache: "no-store"});
            const data = await response.json();
            if (data.error) {
                show(data.message, true);
            } else {
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

    setTimeout(refresh, refreshMs);
})();
