package io.forkcast.supervisor.federation;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.supervisor.route.Ask;
import io.forkcast.supervisor.route.Census;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The directory across the nodes of a federation: {@code /who}, {@code /who *}, {@code /rooms}, nickname checks and
 * admin {@code LIST ALL} as a scatter-gather over NATS. A question goes to {@code forkcast.ask} with a reply inbox
 * of its own; every other node answers from its {@link Census} on its loop thread; the asker gathers the answers
 * until every node it knows to be alive has answered or {@link #TIMEOUT} has passed, and names those that did not.
 * jnats threads only decode and post; the census is read on the loop thread alone.
 */
final class NatsDirectory {
    /** How long a question waits for the nodes that have not answered; they are named, not waited for longer. */
    static final Duration TIMEOUT = Duration.ofSeconds(1);

    private final String node;
    private final EventLog log;
    /** Set by {@link #start}. */
    private Connection connection;

    private Dispatcher dispatcher;
    private Executor onLoop;
    /** Set by {@link #attach}; read on the loop thread. */
    private Census census;

    private final AtomicLong asked = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    /** Nodes that did not answer a question in time, summed over the questions. */
    private final AtomicLong silent = new AtomicLong();

    private final AtomicLong bad = new AtomicLong();

    NatsDirectory(String node, EventLog log) {
        this.node = node;
        this.log = log;
    }

    /** Starts answering the other nodes' questions; arrivals run on {@code onLoop}. */
    void start(Connection connection, Dispatcher dispatcher, Executor onLoop) {
        this.connection = connection;
        this.dispatcher = dispatcher;
        this.onLoop = onLoop;
        dispatcher.subscribe(Subjects.ASK, this::onQuestion);
    }

    void attach(Census census) {
        this.census = census;
    }

    /**
     * On the loop thread: asks every other node {@code question}; {@code then} runs on the loop thread once each
     * of {@code alive} has answered or the timeout passed. With no node known alive the answer is at once, but a
     * nickname still waits the timeout for any node not heard from yet.
     */
    void ask(Ask.Question question, Collection<String> alive, Consumer<Ask.Gathered> then) {
        var gathering = new Gathering(Set.copyOf(alive), then);
        if (dispatcher == null) {
            gathering.finish();
            return;
        }
        String inbox = connection.createInbox();
        gathering.subscription = dispatcher.subscribe(inbox, gathering::onAnswer);
        try {
            connection.publish(Subjects.ASK, inbox, DirectoryCodec.encode(node, question));
            asked.incrementAndGet();
        } catch (IllegalStateException e) {
            gathering.finish(); // disconnected past the buffer: every node is named as not answering
            return;
        }
        if (alive.isEmpty() && !(question instanceof Ask.Nick)) {
            gathering.finish();
            return;
        }
        CompletableFuture.delayedExecutor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .execute(gathering::finish);
    }

    /** One question's answers, gathered on the dispatcher thread; finished once, by the last answer or the timer. */
    private final class Gathering {
        private final Set<String> expected;
        private final Consumer<Ask.Gathered> then;
        private final ConcurrentSkipListMap<String, Ask.Answer> answers = new ConcurrentSkipListMap<>();
        private final AtomicBoolean done = new AtomicBoolean();
        /** The reply inbox's subscription; set before the question goes out. */
        volatile Subscription subscription;

        Gathering(Set<String> expected, Consumer<Ask.Gathered> then) {
            this.expected = expected;
            this.then = then;
        }

        void onAnswer(Message message) {
            DirectoryCodec.From<Ask.Answer> answer;
            try {
                answer = DirectoryCodec.answer(message.getData());
            } catch (FederationCodec.BadMessage e) {
                refused(message, e);
                return;
            }
            answers.put(answer.node(), answer.what());
            answered.incrementAndGet();
            if (!expected.isEmpty() && answers.keySet().containsAll(expected)) {
                finish();
            }
        }

        void finish() {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            var sub = subscription;
            if (sub != null) {
                try {
                    dispatcher.unsubscribe(sub);
                } catch (IllegalStateException e) {
                    // The connection is closing: nothing more will come anyway.
                }
            }
            var got = new TreeMap<>(answers);
            List<String> missing = new ArrayList<>();
            for (String each : expected) {
                if (!got.containsKey(each)) {
                    missing.add(each);
                }
            }
            missing.sort(null);
            silent.addAndGet(missing.size());
            onLoop.execute(() -> then.accept(new Ask.Gathered(got, missing)));
        }
    }

    /** On the dispatcher thread: a question of another node, answered on the loop thread. */
    private void onQuestion(Message message) {
        DirectoryCodec.From<Ask.Question> question;
        try {
            question = DirectoryCodec.question(message.getData());
        } catch (FederationCodec.BadMessage e) {
            refused(message, e);
            return;
        }
        String replyTo = message.getReplyTo();
        if (question.node().equals(node) || replyTo == null) {
            return;
        }
        onLoop.execute(() -> {
            if (census == null) {
                return;
            }
            var answer = census.answer(question.what(), question.node());
            try {
                connection.publish(replyTo, DirectoryCodec.encode(node, answer));
            } catch (IllegalStateException | IllegalArgumentException e) {
                // Disconnected, or an answer over the server's payload limit: the asker names this node.
                log.warn("event=federation_answer_dropped to=" + question.node() + " reason="
                        + EventLog.quote(String.valueOf(e.getMessage())));
            }
        });
    }

    private void refused(Message message, FederationCodec.BadMessage e) {
        if (bad.getAndIncrement() % 1000 == 0) {
            log.warn("event=federation_bad_message subject=" + message.getSubject() + " reason="
                    + EventLog.quote(e.getMessage()));
        }
    }

    /** STATS figures. */
    void counters(java.util.Map<String, Long> into) {
        into.put("federation_questions", asked.get());
        into.put("federation_answers", answered.get());
        into.put("federation_unanswered", silent.get());
        into.merge("federation_bad", bad.get(), Long::sum);
    }
}
