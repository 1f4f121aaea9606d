package io.forkcast.worker.loop;

import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.SupervisorMessage.LoggedIn;
import io.forkcast.protocol.message.SupervisorMessage.LoginNeeded;
import io.forkcast.protocol.message.WorkerMessage;
import io.forkcast.worker.chat.Intent;
import io.forkcast.worker.front.FrontDoor;
import io.forkcast.worker.front.Reply;
import io.forkcast.worker.hub.HubSession;

/**
 * A client's way into an account, whatever its kind: {@code /login USER} then the password prompt, or, when the
 * server requires a login ({@link LoginNeeded}), the user name and password prompts before anything else. The
 * password goes to the supervisor in one frame and is not kept. Confined to the worker's loop thread.
 *
 * <pre>
 *   guest --/login USER--> [password:] --line--> LoginRequested --LoggedIn--> user
 *   LoginNeeded --> [login:] --line--> [password:] --line--> LoginRequested --LoggedIn--> user
 *                      ^                                           | LoginRefused, then LoginNeeded again
 *                      +-------------------------------------------+ (or Disconnect after the last attempt)
 * </pre>
 */
final class LoginFlow {
    private final FrontDoor front;
    private final HubSession hub;
    /** Set by LoginNeeded, cleared by LoggedIn: until then only the prompts, /help and /quit are taken. */
    private boolean required;
    /** The user name typed at the prompt or given to /login, waiting for its password; null otherwise. */
    private String user;

    LoginFlow(FrontDoor front, HubSession hub) {
        this.front = front;
        this.hub = hub;
    }

    /**
     * Takes the intents that belong to logging in, and, while the server requires a login, refuses those that must
     * wait for it; true when {@code intent} was handled here.
     */
    boolean handles(Intent intent) {
        // An instanceof chain, not a pattern switch: see the worker's package comment.
        if (intent instanceof Intent.Login l) {
            if (!hub.speaksAccounts()) {
                front.reply(new Reply.NotSupported("/login"));
            } else if (hub.user() != null) {
                front.reply(new Reply.AlreadyLoggedIn(hub.user()));
            } else {
                askPassword(l.user());
            }
            return true;
        }
        if (intent instanceof Intent.LoginName n) {
            if (n.user().isEmpty()) {
                front.prompt(FrontDoor.Prompt.USER);
            } else {
                askPassword(n.user());
            }
            return true;
        }
        if (intent instanceof Intent.Password p) {
            String name = user;
            user = null;
            if (name != null
                    && !hub.requestNumbered(seq -> new WorkerMessage.LoginRequested(seq, name, p.password()))) {
                front.reply(new Reply.NotConnected());
            }
            return true;
        }
        if (required && !(intent instanceof Intent.Quit || intent instanceof Intent.Help)) {
            if (!(intent instanceof Intent.Blank || intent instanceof Intent.KeepAlive)) {
                front.reply(new Reply.LoginFirst());
            }
            return true;
        }
        return false;
    }

    /** Takes in an order from the supervisor before it is shown: a prompt to log in, or its success. */
    void order(SupervisorMessage order) {
        if (order instanceof LoginNeeded) {
            required = true;
            user = null;
            front.prompt(FrontDoor.Prompt.USER);
        } else if (order instanceof LoggedIn) {
            required = false;
        }
    }

    private void askPassword(String name) {
        user = name;
        front.prompt(FrontDoor.Prompt.PASSWORD);
    }
}
