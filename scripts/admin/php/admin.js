// The admin page's behaviour, shared by admin.php and the Java page (scripts/forkcast admin-web): the header and the
// charts from overview.php; the client table from clients.php, sorted by any column, filtered by room and kind and
// shown a page at a time, so that it stays small with a thousand clients; sends, kicks and broadcasts through the
// JSON endpoints. Text goes into the page only through textContent and properties, never as HTML: nicknames, room
// names and topics are typed by strangers. Charts are plain SVG elements built here; nothing is loaded from
// elsewhere.
"use strict";
(function () {
    const FIELDS = ["id", "peer", "name", "room", "kind", "pid", "age", "idle", "in", "out", "queued",
        "cpu_percent", "cpu", "rss", "pss", "threads", "fds"];
    /** Columns sorted as text; the others are numbers, sorted largest first on the first click. */
    const TEXT = new Set(["peer", "name", "room", "kind"]);
    const SVG = "http://www.w3.org/2000/svg";
    const tbody = document.querySelector("#clients tbody");
    const thead = document.querySelector("#clients thead");
    const status = document.getElementById("status");
    const empty = document.getElementById("empty");
    const filter = document.getElementById("room-filter");
    const kindFilter = document.getElementById("kind-filter");
    const broadcast = document.getElementById("broadcast");
    const pageInfo = document.getElementById("page-info");
    const prev = document.getElementById("page-prev");
    const next = document.getElementById("page-next");
    const refreshMs = Number(document.body.dataset.refreshMs) || 2000;
    const pageSize = Number(document.body.dataset.pageSize) || 50;

    /** The last client list, in the server's order (arrival). */
    let clients = null;
    /** Rows by client id, kept while the client is present so that a message being typed survives refreshes. */
    const rows = new Map();
    let sortKey = "id";
    let sortDir = 1;
    let page = 0;

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

    function mib(bytes) {
        return (bytes / 1048576).toFixed(1);
    }

    /** What a cell shows for a field of a client: "-" for what is not known (yet). */
    function display(field, client) {
        const value = client[field];
        if (value === null || value === undefined) {
            return "-";
        }
        switch (field) {
            case "rss":
            case "pss":
                return mib(value);
            case "cpu":
                return Number(value).toFixed(2);
            case "cpu_percent":
                return Number(value).toFixed(1);
            default:
                return String(value);
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
        input.size = 12;
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

    function sameRoom(a, b) {
        return String(a).toLowerCase() === String(b).toLowerCase();
    }

    /** Unknown values sort last whichever the direction; ties go by id, so the order is stable across refreshes. */
    function compare(a, b) {
        const x = a[sortKey];
        const y = b[sortKey];
        const xMissing = x === null || x === undefined;
        const yMissing = y === null || y === undefined;
        let order = 0;
        if (xMissing || yMissing) {
            return xMissing === yMissing ? a.id - b.id : (xMissing ? 1 : -1);
        }
        if (TEXT.has(sortKey)) {
            order = String(x).toLowerCase() < String(y).toLowerCase() ? -1
                : String(x).toLowerCase() > String(y).toLowerCase() ? 1 : 0;
        } else {
            order = Number(x) - Number(y);
        }
        return order !== 0 ? order * sortDir : a.id - b.id;
    }

    /** The clients the filters let through, sorted. */
    function selected() {
        const room = filter.value;
        const kind = kindFilter.value;
        const chosen = clients.filter((c) => (room === "" || (c.room !== null && sameRoom(c.room, room)))
            && (kind === "" || c.kind === kind));
        chosen.sort(compare);
        return chosen;
    }

    /** Draws the page of the table the sort, the filters and the page number choose; only its rows are in the DOM. */
    function render() {
        if (clients === null) {
            return;
        }
        const chosen = selected();
        const pages = Math.max(1, Math.ceil(chosen.length / pageSize));
        page = Math.min(page, pages - 1);
        const shown = chosen.slice(page * pageSize, (page + 1) * pageSize);
        shown.forEach((client, i) => {
            const id = String(client.id);
            let row = rows.get(id);
            if (!row) {
                row = makeRow(id);
                rows.set(id, row);
            }
            for (const field of FIELDS) {
                const value = display(field, client);
                const td = row.querySelector("td." + field);
                if (td.textContent !== value) {
                    td.textContent = value;
                }
            }
            if (tbody.rows[i] !== row) {
                tbody.insertBefore(row, tbody.rows[i] || null);
            }
        });
        while (tbody.rows.length > shown.length) {
            tbody.rows[shown.length].remove();
        }
        pageInfo.textContent = chosen.length === 0 ? "" : (page * pageSize + 1) + "-" + (page * pageSize + shown.length)
            + " of " + chosen.length;
        prev.disabled = page === 0;
        next.disabled = page >= pages - 1;
        let text = "No clients connected.";
        if (clients.length > 0) {
            const where = [];
            if (filter.value !== "") {
                where.push("#" + filter.value);
            }
            if (kindFilter.value !== "") {
                where.push("of kind " + kindFilter.value);
            }
            text = "No clients " + (filter.value !== "" ? "in " : "") + where.join(" ") + ".";
        }
        if (empty.textContent !== text) {
            empty.textContent = text;
        }
        empty.hidden = shown.length > 0;
        for (const th of thead.querySelectorAll("th[data-sort]")) {
            const state = th.dataset.sort !== sortKey ? "none" : (sortDir > 0 ? "ascending" : "descending");
            if (th.getAttribute("aria-sort") !== state) {
                th.setAttribute("aria-sort", state);
            }
        }
    }

    /** Takes a new client list: rows of clients gone are forgotten, the kind filter offers every kind present. */
    function take(list) {
        clients = list;
        const present = new Set(list.map((c) => String(c.id)));
        for (const id of Array.from(rows.keys())) {
            if (!present.has(id)) {
                rows.delete(id);
            }
        }
        const kinds = Array.from(new Set(list.map((c) => c.kind).filter((k) => k !== null && k !== undefined)))
            .sort();
        syncOptions(kindFilter, kinds.map((k) => ({value: k, text: k, title: ""})));
        render();
        drawPss(list);
    }

    /**
     * Makes the options of select (after its first, "everyone" or "all rooms") those wanted, changing only what
     * differs so that a choice in progress survives. A chosen value that is gone stays, marked "(gone)".
     */
    function syncOptions(select, wanted) {
        const chosen = select.value;
        const kept = chosen === "" ? null : wanted.find((w) => sameRoom(w.value, chosen));
        if (chosen !== "" && !kept) {
            wanted.push({value: chosen, text: (select === kindFilter ? "" : "#") + chosen + " (gone)", title: ""});
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

    function syncRooms(select, rooms) {
        syncOptions(select, rooms.map((r) => ({
            value: r.name,
            text: "#" + r.name + " (" + r.members + (r.members === 1 ? " client" : " clients") + ")",
            title: r.topic === null || r.topic === undefined ? "" : String(r.topic),
        })));
    }

    // ---- Charts: plain SVG, numbers only ----

    function svgElement(name, attributes) {
        const element = document.createElementNS(SVG, name);
        for (const [key, value] of Object.entries(attributes)) {
            element.setAttribute(key, String(value));
        }
        return element;
    }

    function label(svg, x, y, text, anchor) {
        const t = svgElement("text", {x: x, y: y, "text-anchor": anchor || "start"});
        t.textContent = text;
        svg.appendChild(t);
    }

    /**
     * A line over the last ten minutes, or since the server started if that is less (at least a minute):
     * values[i] at times[i] (seconds), scaled to the largest value.
     */
    function lineChart(svg, times, values, unit) {
        svg.replaceChildren();
        const width = 320;
        const top = 12;
        const bottom = 88;
        const end = times.length > 0 ? times[times.length - 1] : 0;
        const span = times.length > 0 ? Math.min(600, Math.max(60, end - times[0])) : 600;
        const start = end - span;
        const max = Math.max(1, ...values);
        const points = times.map((t, i) => {
            const x = Math.max(0, (t - start) / span) * width;
            const y = bottom - (values[i] / max) * (bottom - top);
            return x.toFixed(1) + "," + y.toFixed(1);
        });
        svg.appendChild(svgElement("line", {x1: 0, y1: bottom, x2: width, y2: bottom, stroke: "#bbb"}));
        svg.appendChild(svgElement("polyline", {points: points.join(" ")}));
        const last = values.length > 0 ? values[values.length - 1] : 0;
        label(svg, 2, 9, "max " + max + unit);
        label(svg, width - 2, 9, "now " + last + unit, "end");
        label(svg, 2, 98, "-" + Math.round(span / 60) + " min");
        label(svg, width - 2, 98, "now", "end");
        svg.dataset.points = String(points.length);
        svg.dataset.last = String(last);
        svg.dataset.max = String(Math.max(0, ...values));
    }

    /** How many workers have each PSS, in bars of 1 MiB (wider when the spread is large: at most 12 bars). */
    function drawPss(list) {
        const svg = document.getElementById("chart-pss");
        const values = list.map((c) => c.pss).filter((v) => v !== null && v !== undefined).map((v) => v / 1048576);
        svg.replaceChildren();
        svg.dataset.workers = String(values.length);
        if (values.length === 0) {
            label(svg, 160, 50, "no worker sampled yet", "middle");
            return;
        }
        const low = Math.floor(Math.min(...values));
        const high = Math.max(...values);
        const step = Math.max(1, Math.ceil((high - low + 0.001) / 12));
        const counts = [];
        for (const v of values) {
            const bin = Math.floor((v - low) / step);
            counts[bin] = (counts[bin] || 0) + 1;
        }
        const bins = counts.length;
        const most = Math.max(...counts.map((c) => c || 0));
        const barWidth = 300 / bins;
        for (let i = 0; i < bins; i++) {
            const count = counts[i] || 0;
            const h = (count / most) * 70;
            const bar = svgElement("rect", {x: 10 + i * barWidth + 1, y: 86 - h, width: barWidth - 2, height: h});
            const title = document.createElementNS(SVG, "title");
            title.textContent = count + " workers at " + (low + i * step) + "-" + (low + (i + 1) * step) + " MiB";
            bar.appendChild(title);
            svg.appendChild(bar);
            if (count > 0) {
                label(svg, 10 + (i + 0.5) * barWidth, 84 - h, String(count), "middle");
            }
        }
        label(svg, 10, 98, low + " MiB");
        label(svg, 310, 98, (low + bins * step) + " MiB", "end");
    }

    function uptime(seconds) {
        const d = Math.floor(seconds / 86400);
        const h = Math.floor((seconds % 86400) / 3600);
        const m = Math.floor((seconds % 3600) / 60);
        return d > 0 ? d + "d " + h + "h" : h > 0 ? h + "h " + m + "m" : m + "m " + (seconds % 60) + "s";
    }

    function setStat(name, text) {
        const dd = document.querySelector("#summary dd[data-stat='" + name + "']");
        if (dd.textContent !== text) {
            dd.textContent = text;
        }
    }

    function drawOverview(data) {
        const s = data.stats;
        setStat("uptime", uptime(Number(s.uptime)));
        setStat("clients", String(s.clients));
        setStat("workers", String(s.workers));
        setStat("spares", String(s.spares_idle) + (s.spares_starting > 0 ? " (+" + s.spares_starting + " starting)" : ""));
        setStat("memory", s.memory_pss === undefined ? "-" : mib(s.memory_pss) + " MiB");
        setStat("deliveries", s.deliveries_per_second === undefined ? "-" : String(s.deliveries_per_second));
        const points = data.history.points.slice();
        // The current figures as the newest point: a client who just came shows at once.
        const now = points.length > 0 ? points[points.length - 1][0] + 1 : Math.floor(Date.now() / 1000);
        points.push([now, Number(s.clients), Number(s.deliveries_per_second || 0), Number(s.memory_pss || 0)]);
        const times = points.map((p) => p[0]);
        lineChart(document.getElementById("chart-clients"), times, points.map((p) => p[1]), "");
        lineChart(document.getElementById("chart-deliveries"), times, points.map((p) => p[2]), "/s");
    }

    // ---- Refreshing ----

    async function refreshClients() {
        try {
            const response = await fetch("clients.php", {cache: "no-store"});
            const data = await response.json();
            if (data.error) {
                show(data.message, true);
            } else {
                syncRooms(filter, data.rooms);
                syncRooms(broadcast.elements.namedItem("room"), data.rooms);
                take(data.clients);
            }
        } catch (e) {
            show("cannot refresh the list: " + e, true);
        }
    }

    async function refreshOverview() {
        try {
            const response = await fetch("overview.php", {cache: "no-store"});
            const data = await response.json();
            if (data.error) {
                show(data.message, true);
            } else {
                drawOverview(data);
            }
        } catch (e) {
            show("cannot refresh the figures: " + e, true);
        }
    }

    async function refresh() {
        try {
            await Promise.all([refreshClients(), refreshOverview()]);
        } finally {
            setTimeout(refresh, refreshMs);
        }
    }

    // ---- Orders ----

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
            rows.delete(id);
            if (clients !== null) {
                clients = clients.filter((c) => String(c.id) !== id);
                render();
            }
        }
    });

    thead.addEventListener("click", (event) => {
        const th = event.target.closest("th[data-sort]");
        if (!th) {
            return;
        }
        if (th.dataset.sort === sortKey) {
            sortDir = -sortDir;
        } else {
            sortKey = th.dataset.sort;
            sortDir = TEXT.has(sortKey) || sortKey === "id" ? 1 : -1;
        }
        page = 0;
        render();
    });

    for (const select of [filter, kindFilter]) {
        select.addEventListener("change", () => {
            page = 0;
            render();
        });
    }
    prev.addEventListener("click", () => {
        page = Math.max(0, page - 1);
        render();
    });
    next.addEventListener("click", () => {
        page += 1;
        render();
    });

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

    // The rows the server rendered are kept (and what is typed in them) until the first list arrives.
    for (const row of Array.from(tbody.rows)) {
        rows.set(row.dataset.clientId, row);
    }
    refresh();
})();
