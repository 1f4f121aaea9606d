// The WebSocket reference of scripts/bench --ws: a chat server on Node's ws package (the checkout's
// .node/node_modules, found through NODE_PATH). Listens on 127.0.0.1 and a free port, prints "LISTENING PORT",
// sends each new client one welcome message, and broadcasts every text message to all other open clients.
// One process, one event loop; stopped by SIGTERM.
'use strict';
const { WebSocketServer, WebSocket } = require('ws');

const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
let nextId = 1;
server.on('listening', () => {
    process.stdout.write('LISTENING ' + server.address().port + '\n');
});
server.on('connection', (socket) => {
    const id = nextId++;
    socket.send(JSON.stringify({ type: 'welcome', id: id, pid: process.pid }));
    socket.on('message', (data, isBinary) => {
        if (isBinary) {
            return;
        }
        const text = data.toString();
        for (const other of server.clients) {
            if (other !== socket && other.readyState === WebSocket.OPEN) {
                other.send(text);
            }
        }
    });
});
process.on('SIGTERM', () => process.exit(0));
