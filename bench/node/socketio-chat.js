// The federation reference of scripts/bench --federation: one Socket.IO node (the checkout's
// .node/node_modules, found through NODE_PATH) sharing its rooms with the other nodes through Redis
// (@socket.io/redis-adapter on the redis client). Usage: node socketio-chat.js REDIS_URL. Listens on 127.0.0.1 and
// a free port, WebSocket transport only, prints "LISTENING PORT" once the adapter's Redis connections are up; each
// client is put in room "lobby" and sent a "welcome" event with this process's pid, and every "chat" event is sent
// to the other members of "lobby" on every node. Stopped by SIGTERM.
'use strict';
const http = require('http');
const { Server } = require('socket.io');
const { createAdapter } = require('@socket.io/redis-adapter');
const { createClient } = require('redis');

async function main() {
    const pub = createClient({ url: process.argv[2] });
    const sub = pub.duplicate();
    pub.on('error', (e) => console.error('socketio-chat: redis: ' + e));
    sub.on('error', (e) => console.error('socketio-chat: redis: ' + e));
    await Promise.all([pub.connect(), sub.connect()]);
    const server = http.createServer();
    const io = new Server(server, { adapter: createAdapter(pub, sub), transports: ['websocket'] });
    io.on('connection', (socket) => {
        socket.join('lobby');
        socket.emit('welcome', process.pid);
        socket.on('chat', (text) => socket.to('lobby').emit('chat', text));
    });
    server.listen(0, '127.0.0.1', () => process.stdout.write('LISTENING ' + server.address().port + '\n'));
}

process.on('SIGTERM', () => process.exit(0));
main().catch((e) => {
    console.error('socketio-chat: ' + e);
    process.exit(1);
});
