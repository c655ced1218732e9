package io.oomresponder.host;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.WriteTimeoutException;
import io.netty.handler.timeout.WriteTimeoutHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import io.oomresponder.functions.ReplayAnswer;
import io.oomresponder.intake.AlertIntake;
import io.oomresponder.intake.ActionGroupRetries;
import io.oomresponder.intake.HttpAnswer;
import io.oomresponder.intake.IntakeReceipt;
import io.oomresponder.intake.IntakeResult;
import io.oomresponder.intake.QueuedAlert;
import io.oomresponder.json.Json;
import io.oomresponder.pipeline.ReplayPermission;
import io.oomresponder.pipeline.AlertReconciler;
import io.oomresponder.pipeline.Responder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The Function app's HTTP routes on a Netty server: {@code POST /api/alerts},
 * {@code POST /api/replay}, {@code GET /api/health}. Intake, status mapping and replay are the very
 * classes the Functions use ({@link AlertIntake}, {@link HttpAnswer}, {@link ReplayAnswer}); only
 * the transport differs.
 *
 * <p>Built to hold against hostile clients ({@link ServeLimits}): headers and bodies are read without
 * holding a thread, each against its own deadline; a client address may hold only so many
 * connections (refused on accept, before anything is read); alerts and health are answered on their
 * own threads and replays, which gather evidence for seconds, on a separate bounded pool, so an
 * alert's 202 never waits behind a replay. Who may do what is {@link ServeAccess}.
 */
public final class LocalServer implements AutoCloseable {

    /** Threads answering alerts and health; alerts are answered in milliseconds, the work happens on the queue workers. */
    static final int HTTP_THREADS = 8;
    /** Requests waiting for one of those threads before new ones get 503. */
    static final int HTTP_BACKLOG = 256;
    /** Bytes taken from a connection per read: what one read can add to the requests waiting on it. */
    static final int READ_BYTES = 8192;
    /** Unflushed answer bytes above which a connection is not read until they drain below {@link #UNFLUSHED_LOW_BYTES}. */
    static final int UNFLUSHED_HIGH_BYTES = 64 * 1024;
    static final int UNFLUSHED_LOW_BYTES = 32 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(LocalServer.class);

    private final InetSocketAddress address;
    private final AlertIntake intake;
    private final Supplier<Responder> responder;
    private final AlertQueue queue;
    private final ServeAccess access;
    private final ServeLimits limits;
    private final String version;
    private final EventLoopGroup acceptor = new NioEventLoopGroup(1, new DefaultThreadFactory("serve-accept", true));
    private final EventLoopGroup io = new NioEventLoopGroup(2, new DefaultThreadFactory("serve-io", true));
    private final ThreadPoolExecutor requests;
    private final ThreadPoolExecutor replays;
    private final Map<InetAddress, Integer> openPerClient = new ConcurrentHashMap<>();
    private final AtomicLong refusedConnections = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final AtomicLong writeTimedOut = new AtomicLong();
    private final AtomicLong droppedPipelined = new AtomicLong();
    private final AtomicLong bytesReceived = new AtomicLong();
    private final DeadlineTimer deadlineTimer;
    private Channel listening;
    /** The last reconcile of fired against received alerts, or null (none yet, or no reconcile in this process). */
    private volatile Supplier<AlertReconciler.Report> reconcile = () -> null;

    /** A server with a ready responder, the given key (null: none) and the default limits. */
    public LocalServer(InetSocketAddress address, AlertIntake intake, Responder responder, AlertQueue queue,
                String apiKey, String version) {
        this(address, intake, () -> responder, queue, ServeAccess.withKey(apiKey), ServeLimits.defaults(), version);
    }

    /**
     * @param responder the pipeline, or null while it is still being built: alerts are queued
     *                  meanwhile (they only need intake and the queue); replay answers 503
     */
    public LocalServer(InetSocketAddress address, AlertIntake intake, Supplier<Responder> responder, AlertQueue queue,
                ServeAccess access, ServeLimits limits, String version) {
        this(address, intake, responder, queue, access, limits, version, DeadlineTimer.EVENT_LOOP);
    }

    /** As above, with the connections' deadlines kept by {@code deadlineTimer} (tests pass a virtual clock). */
    public LocalServer(InetSocketAddress address, AlertIntake intake, Supplier<Responder> responder, AlertQueue queue,
                ServeAccess access, ServeLimits limits, String version, DeadlineTimer deadlineTimer) {
        this.deadlineTimer = java.util.Objects.requireNonNull(deadlineTimer, "deadlineTimer");
        this.address = address;
        this.intake = intake;
        this.responder = responder;
        this.queue = queue;
        this.access = access;
        this.limits = limits;
        this.version = version;
        this.requests = new ThreadPoolExecutor(HTTP_THREADS, HTTP_THREADS, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(HTTP_BACKLOG), new DefaultThreadFactory("serve-http", true));
        this.replays = new ThreadPoolExecutor(limits.replayThreads(), limits.replayThreads(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(limits.replayQueue()), new DefaultThreadFactory("serve-replay", true));
    }

    /** Shows this reconcile's last report in the detailed health answer (silent apps = the action group's suppression). */
    public void showReconcile(Supplier<AlertReconciler.Report> last) {
        this.reconcile = last;
    }

    /** Binds and starts serving. */
    public void start() throws IOException {
        ConnectionCap cap = new ConnectionCap();
        Routes routes = new Routes();
        ServerBootstrap bootstrap = new ServerBootstrap().group(acceptor, io).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 128)
                // Reads are asked for (InOrder): a connection is read only while it has no request in hand and its
                // unflushed answers are under the high water mark, so a client that never reads stops being read.
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(READ_BYTES))
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(UNFLUSHED_LOW_BYTES, UNFLUSHED_HIGH_BYTES))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        Deadlines deadlines = new Deadlines();
                        ch.pipeline().addLast(cap)
                                .addLast(new WriteTimeoutHandler(limits.writeTimeout().toMillis(), TimeUnit.MILLISECONDS))
                                .addLast(deadlines.bytesIn())
                                .addLast(new HttpServerCodec(4096, 8192, 8192))
                                .addLast(deadlines)
                                .addLast(new BoundedBody())
                                .addLast(new InOrder(routes));
                    }
                });
        try {
            listening = bootstrap.bind(address).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding " + address, e);
        } catch (RuntimeException e) {
            throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return ((InetSocketAddress) listening.localAddress()).getPort();
    }

    /** Connections refused because their client address already held {@link ServeLimits#maxConnectionsPerClient()}. */
    public long refusedConnections() {
        return refusedConnections.get();
    }

    /** Connections closed because headers or body did not arrive in time. */
    /** Raw bytes read from clients so far (tests wait on it instead of sleeping). */
    public long bytesReceived() {
        return bytesReceived.get();
    }

    /**
     * When a connection's header or body deadline passes. {@code serve} schedules on the
     * connection's event loop; a test passes a virtual clock that it advances itself, so what it
     * asserts about slow clients never depends on how busy the machine is.
     */
    @FunctionalInterface
    public interface DeadlineTimer {
        /** Real time, on the connection's event loop. */
        DeadlineTimer EVENT_LOOP = (loop, task, after) -> {
            io.netty.util.concurrent.ScheduledFuture<?> f = loop.schedule(task, after.toNanos(), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        };

        /**
         * Runs {@code task} on {@code loop} once {@code after} has passed.
         *
         * @return what cancels it (a no-op once it ran)
         */
        Runnable schedule(io.netty.util.concurrent.EventExecutor loop, Runnable task, java.time.Duration after);
    }

    public long timedOut() {
        return timedOut.get();
    }

    /** Connections closed because the client did not take an answer within {@link ServeLimits#writeTimeout()}. */
    public long writeTimedOut() {
        return writeTimedOut.get();
    }

    /** Pipelined requests dropped because {@link ServeLimits#maxPipelinedRequests()} were already waiting on their connection. */
    public long droppedPipelined() {
        return droppedPipelined.get();
    }

    // ---- routing (on the request or replay threads) ---------------------------------------------

    /** One request as the routes see it. */
    private record Request(String method, String path, String rawQuery, Map<String, String> headers, byte[] body) {
    }

    /** Which pool answers a request: replays never share threads with alerts and health. */
    private boolean isReplay(Request r) {
        return r.path().equals("/api/replay") && r.method().equals("POST");
    }

    private HttpAnswer route(Request r) {
        switch (r.path()) {
            case "/api/health":
                if (!r.method().equals("GET")) {
                    return notAllowed("GET");
                }
                return access.refusal(r.method(), r.headers(), r.rawQuery()).orElseGet(() -> health(access.hasApiKey(r.headers(), r.rawQuery())));
            case "/api/alerts":
            case "/api/replay":
                if (!r.method().equals("POST")) {
                    return notAllowed("POST");
                }
                var refused = access.refusal(r.method(), r.headers(), r.rawQuery());
                if (refused.isPresent()) {
                    return refused.get();
                }
                if (r.path().equals("/api/alerts")) {
                    return alerts(r.body(), r.headers());
                }
                Responder ready = responder.get();
                ReplayPermission permission = access.mayDeliverReplays(r.headers()) ? ReplayPermission.MAY_DELIVER : ReplayPermission.DRY_RUN_ONLY;
                return ready == null ? starting() : ReplayAnswer.of(body -> ready.replay(body, permission), r.body());
            default:
                return HttpAnswer.error(404, "no route " + (r.path().length() > 64 ? r.path().substring(0, 64) : r.path()) + "; try /api/alerts, /api/replay, /api/health", null);
        }
    }

    private HttpAnswer alerts(byte[] body, Map<String, String> headers) {
        IntakeResult result = intake.accept(body, headers);
        if (result instanceof IntakeResult.Accepted a) {
            for (QueuedAlert q : a.alerts()) {
                if (!(a.fromEventGrid() ? queue.offerFromEventGrid(q.toJson()) : queue.offer(q.toJson()))) {
                    LOG.warn("alert queue did not take {} ({} waiting{}); answering 503 with Retry-After", q.dedupeKey(), queue.depth(),
                            a.fromEventGrid() ? ", Event Grid's share is full" : "");
                    return HttpAnswer.queueFull();
                }
            }
        }
        // The receipts of what was joined, rate-limited or ignored, for the reconcile; losing one changes no answer.
        if (!result.receipts().isEmpty() && !queue.offer(IntakeReceipt.toMessage(result.receipts()))) {
            LOG.warn("alert queue did not take the receipts of {} alert(s) the intake did not queue", result.receipts().size());
        }
        return HttpAnswer.of(result);
    }

    /** Without the API key only "up": version, queue depth and scope tell an attacker what to aim at. */
    private HttpAnswer health(boolean detailed) {
        ObjectNode body = Json.mapper().createObjectNode();
        if (!detailed) {
            return HttpAnswer.ok(body.put("status", "up"));
        }
        body.put("status", "ok").put("version", version);
        body.putObject("queue").put("mode", queue.mode()).put("depth", queue.depth());
        Responder ready = responder.get();
        body.put("storeMode", ready == null ? "starting" : ready.storeMode());
        if (ready != null) {
            body.set("delivery", Json.mapper().valueToTree(ready.deliveryHealth()));
        }
        body.put("scope", intake.scope().describe());
        body.putObject("connections").put("refusedOverPerClientCap", refusedConnections.get()).put("timedOut", timedOut.get())
                .put("writeTimedOut", writeTimedOut.get()).put("droppedPipelinedRequests", droppedPipelined.get());
        body.putObject("replays").put("running", replays.getActiveCount()).put("waiting", replays.getQueue().size());
        AlertReconciler.Report last = reconcile.get();
        if (last != null) {
            ObjectNode r = body.putObject("reconcile");
            r.put("at", last.at().toString()).put("fired", last.fired()).put("received", last.received()).put("queued", last.missing().size());
            var silent = r.putArray("silentApps");
            var warnings = body.putArray("warnings");
            for (AlertReconciler.SilentApp app : last.silentApps()) {
                silent.addObject().put("app", app.appResourceId()).put("fired", app.fired()).put("latestFiredAt", app.latestFiredAt().toString());
                warnings.add("no alert arrived for " + app.appResourceId() + " in the last hour while Azure Monitor fired " + app.fired()
                        + ": " + ActionGroupRetries.SILENT_CAUSE);
            }
            last.failures().forEach((sub, why) -> warnings.add("could not list the alerts fired in " + sub + ": " + why));
        }
        return HttpAnswer.ok(body);
    }

    /** Replay while the pipeline is still being built (the first seconds after start). */
    private static HttpAnswer starting() {
        return new HttpAnswer(503, HttpAnswer.error(503, "starting; try again in a few seconds", null).body(), Map.of("Retry-After", "5"));
    }

    private static HttpAnswer notAllowed(String allowed) {
        return new HttpAnswer(405, HttpAnswer.error(405, "method not allowed; use " + allowed, null).body(), Map.of("Allow", allowed));
    }

    private static HttpAnswer busy(int status, String what, int retryAfterSeconds) {
        return new HttpAnswer(status, HttpAnswer.error(status, what, null).body(), Map.of("Retry-After", String.valueOf(retryAfterSeconds)));
    }

    private static FullHttpResponse response(HttpAnswer answer) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(answer.status()),
                Unpooled.copiedBuffer(answer.body(), StandardCharsets.UTF_8));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        answer.headers().forEach((k, v) -> res.headers().set(k, v));
        HttpUtil.setContentLength(res, res.content().readableBytes());
        return res;
    }

    /** Writes the answer; closes the connection after it unless the client keeps it alive. */
    private static ChannelFuture send(ChannelHandlerContext ctx, HttpAnswer answer, boolean keepAlive) {
        FullHttpResponse res = response(answer);
        if (keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            return ctx.writeAndFlush(res);
        }
        res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }

    // ---- the pipeline of one connection ---------------------------------------------------------

    /** Refuses a connection, before reading anything, when its address already holds the cap. */
    @ChannelHandler.Sharable
    private final class ConnectionCap extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            InetAddress client = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
            int open = openPerClient.merge(client, 1, Integer::sum);
            ctx.channel().closeFuture().addListener(f -> openPerClient.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1));
            if (open > limits.maxConnectionsPerClient()) {
                refusedConnections.incrementAndGet();
                LOG.debug("refused a connection from {}: {} open", client, open - 1);
                ctx.close();
                return;
            }
            ctx.fireChannelActive();
        }
    }

    /**
     * The header deadline runs from the connection's start (and from each answer on a kept-alive
     * connection) until the request's headers are in; the body deadline from then until its last
     * byte. A client that trickles either gets 408 and the connection is closed; a kept-alive
     * connection that sent nothing since its last answer is closed without a word (an unasked-for 408
     * could be taken for the answer to a request the client is about to send on it). Nothing is held
     * meanwhile but a few bytes of buffer: no thread waits on a slow client.
     */
    private final class Deadlines extends ChannelDuplexHandler {
        private Runnable cancelTimer;
        private boolean requestComplete;
        private boolean answered;
        /** Raw bytes arrived since the connection opened or since the last answer (all on the channel's event loop). */
        private boolean bytesSinceAnswer;

        /** Sits before the HTTP decoder, which says nothing until a request's headers are complete. */
        ChannelInboundHandlerAdapter bytesIn() {
            return new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    bytesSinceAnswer = true;
                    if (msg instanceof io.netty.buffer.ByteBuf b) {
                        bytesReceived.addAndGet(b.readableBytes());
                    }
                    ctx.fireChannelRead(msg);
                }
            };
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            await(ctx, limits.headerTimeout().toMillis(), "headers");
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest) {
                requestComplete = false;
                answered = false;
                await(ctx, limits.bodyTimeout().toMillis(), "body");
            }
            if (msg instanceof LastHttpContent) {
                requestComplete = true;
                cancel();
                if (answered) {
                    // Answered early (413) and the discarded body is now in: the next request's deadline starts.
                    await(ctx, limits.headerTimeout().toMillis(), "headers");
                }
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof HttpResponse) {
                answered = true;
            }
            if (msg instanceof HttpResponse && requestComplete) {
                // Kept alive: the next request's headers have their own deadline (this is also the idle timeout).
                promise.addListener(f -> {
                    if (f.isSuccess() && ctx.channel().isOpen()) {
                        ctx.executor().execute(() -> {
                            bytesSinceAnswer = false;
                            await(ctx, limits.headerTimeout().toMillis(), "headers");
                        });
                    }
                });
            }
            ctx.write(msg, promise);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            cancel();
            ctx.fireChannelInactive();
        }

        private void await(ChannelHandlerContext ctx, long millis, String what) {
            cancel();
            cancelTimer = deadlineTimer.schedule(ctx.executor(), () -> {
                if (what.equals("headers") && !bytesSinceAnswer) {
                    LOG.debug("{}: idle for {} ms; closing", ctx.channel().remoteAddress(), millis);
                    ctx.close();
                    return;
                }
                timedOut.incrementAndGet();
                LOG.debug("{}: request {} did not arrive within {} ms; closing", ctx.channel().remoteAddress(), what, millis);
                send(ctx, HttpAnswer.error(408, "request " + what + " did not arrive within " + millis + " ms", null), false);
            }, java.time.Duration.ofMillis(millis));
        }

        private void cancel() {
            if (cancelTimer != null) {
                cancelTimer.run();
                cancelTimer = null;
            }
        }
    }

    /** Bodies up to {@link AlertIntake#MAX_BODY_BYTES}; a larger one (or Content-Length) gets the intake's 413 and is discarded. */
    private static final class BoundedBody extends HttpObjectAggregator {
        BoundedBody() {
            super(AlertIntake.MAX_BODY_BYTES);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            // Keep reading (and discarding, under the body deadline) so the client sees the 413 rather than a reset.
            boolean keepAlive = oversized instanceof HttpRequest && HttpUtil.isKeepAlive(oversized)
                    && !(oversized instanceof io.netty.handler.codec.http.FullHttpMessage);
            // Answered in its turn (InOrder), after the requests before it on the connection.
            ctx.fireChannelRead(new Oversized(keepAlive));
        }
    }

    /** A request whose body is over the limit: answered 413 in its turn. */
    private record Oversized(boolean keepAlive) {
        HttpAnswer answer() {
            return HttpAnswer.error(413, "request body is larger than " + AlertIntake.MAX_BODY_BYTES + " bytes", "body");
        }
    }

    /** Parses a complete request and answers it on its pool; {@code answered} runs with the answer's write. */
    private final class Routes {
        /** Answers one request; the returned future completes when the answer is written (or failed). */
        void answer(ChannelHandlerContext ctx, FullHttpRequest msg, java.util.function.Consumer<ChannelFuture> answered) {
            boolean keepAlive = HttpUtil.isKeepAlive(msg);
            if (msg.decoderResult().isFailure()) {
                answered.accept(send(ctx, HttpAnswer.error(400, "malformed HTTP request", null), false));
                return;
            }
            Request request;
            try {
                URI uri = new URI(msg.uri());
                Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                msg.headers().forEach(h -> headers.putIfAbsent(h.getKey(), h.getValue()));
                request = new Request(msg.method().name(), uri.getPath() == null ? "" : uri.getPath(), uri.getRawQuery(), headers,
                        ByteBufUtil.getBytes(msg.content()));
            } catch (Exception e) {
                answered.accept(send(ctx, HttpAnswer.error(400, "malformed request target", null), false));
                return;
            }
            boolean replay = isReplay(request);
            try {
                (replay ? replays : requests).execute(() -> {
                    HttpAnswer answer;
                    try {
                        answer = route(request);
                    } catch (RuntimeException e) {
                        LOG.error("request failed", e);
                        answer = HttpAnswer.error(500, "internal error; see the server's logs", null);
                    }
                    answered.accept(send(ctx, answer, keepAlive));
                });
            } catch (RejectedExecutionException e) {
                answered.accept(send(ctx, replay
                        ? busy(429, "too many replays running; retry later", 30)
                        : busy(503, "too many requests waiting; retry later", 5), keepAlive));
            }
        }
    }

    /**
     * One connection's requests, answered one at a time in the order they came (HTTP/1.1 pipelining).
     * A request is taken up only when the previous answer is written; at most
     * {@link ServeLimits#MAX_PIPELINED_REQUESTS} wait behind it, and more are dropped, the connection
     * closing after the last kept one is answered (the client retries the rest, RFC 9112 section 9.3.2).
     * The connection is read only while nothing is in hand and its unflushed answers are under the high
     * water mark: a client that sends without reading is no longer read, and the write deadline
     * ({@link WriteTimeoutHandler}) closes it when it takes nothing.
     */
    private final class InOrder extends ChannelInboundHandlerAdapter {
        private final Routes routes;
        private final java.util.ArrayDeque<Object> waiting = new java.util.ArrayDeque<>();
        private boolean answering;
        private boolean closeAfterWaiting;

        InOrder(Routes routes) {
            this.routes = routes;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.read();
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof FullHttpRequest) && !(msg instanceof Oversized)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (closeAfterWaiting || waiting.size() >= limits.maxPipelinedRequests()) {
                droppedPipelined.incrementAndGet();
                closeAfterWaiting = true;
                ReferenceCountUtil.release(msg);
                return;
            }
            waiting.add(msg);
            next(ctx);
        }

        private void next(ChannelHandlerContext ctx) {
            if (answering || !ctx.channel().isActive()) {
                return;
            }
            Object request = waiting.poll();
            if (request == null) {
                if (closeAfterWaiting) {
                    ctx.close();
                } else {
                    readIfIdle(ctx);
                }
                return;
            }
            answering = true;
            java.util.function.Consumer<ChannelFuture> answered = written -> written.addListener(f -> ctx.executor().execute(() -> {
                answering = false;
                if (!f.isSuccess() || !ctx.channel().isActive()) {
                    drop();
                    return;
                }
                next(ctx);
            }));
            if (request instanceof Oversized o) {
                answered.accept(send(ctx, o.answer(), o.keepAlive()));
                return;
            }
            try {
                routes.answer(ctx, (FullHttpRequest) request, answered);
            } finally {
                ReferenceCountUtil.release(request);
            }
        }

        private void readIfIdle(ChannelHandlerContext ctx) {
            if (!answering && waiting.isEmpty() && !closeAfterWaiting && ctx.channel().isActive() && ctx.channel().isWritable()) {
                ctx.read();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            // A read that completed no request (partial headers, a body being discarded after 413): read on.
            readIfIdle(ctx);
            ctx.fireChannelReadComplete();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            readIfIdle(ctx);
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            drop();
            ctx.fireChannelInactive();
        }

        private void drop() {
            Object r;
            while ((r = waiting.poll()) != null) {
                ReferenceCountUtil.release(r);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof WriteTimeoutException) {
                writeTimedOut.incrementAndGet();
            }
            LOG.debug("connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    @Override
    public void close() {
        if (listening != null) {
            listening.close().awaitUninterruptibly();
        }
        acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        requests.shutdownNow();
        replays.shutdownNow();
    }
}
