/**
 * The broker front door, for programs (seed 000's protocol): bytes to lines under the line limit ({@link
 * io.forkcast.worker.front.broker.BrokerLineDecoder}), each line a JSON request checked into an intent ({@link
 * io.forkcast.worker.front.broker.BrokerCommands}), and every JSON line a broker client is shown ({@link
 * io.forkcast.worker.front.broker.BrokerFrontDoor}). Confined to the worker's loop thread.
 */
package io.forkcast.worker.front.broker;
