package id.optikmelati.realtime.admission;

import id.optikmelati.contract.ConnectionsPerAddress;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The first look at every TCP connection, before HTTP reaches WebFlux: a client address over its
 * cap of open connections gets a 429 and is closed; a connection that has not sent a whole request
 * head within {@code headerTimeout} (of opening, or of its last response on keep-alive) is closed,
 * so idle and slowloris sockets cannot hold the node's file descriptors (a stream, once its request
 * is in, is exempt); a request that is not HTTP, or whose head is too large, or whose address does
 * not decode, gets the node's problem+json instead of an empty 400.
 */
public final class SocketGate {

    private final ConnectionsPerAddress perAddress;
    private final long headerTimeoutNanos;
    private final RefusalProblems problems;
    private final java.util.Map<String, Counter> closes;

    public SocketGate(ConnectionsPerAddress perAddress, Duration headerTimeout, RefusalProblems problems,
            MeterRegistry meters) {
        this.perAddress = perAddress;
        this.headerTimeoutNanos = headerTimeout.toNanos();
        this.problems = problems;
        this.closes = java.util.Map.of("address-limit", closes(meters, "address-limit"),
                "header-timeout", closes(meters, "header-timeout"), "bad-request", closes(meters, "bad-request"));
    }

    private static Counter closes(MeterRegistry meters, String reason) {
        return Counter.builder("optik.realtime.sockets.closed").description("Connections the node closed before a"
                + " request reached it, by reason").tag("reason", reason).register(meters);
    }

    /** Puts the gate on a new connection, right after its HTTP codec (named {@code codec}). */
    public void install(Channel channel, String codec) {
        Handler handler = new Handler();
        if (channel.pipeline().get(codec) != null) {
            channel.pipeline().addAfter(codec, "optik.socketGate", handler);
        } else {
            channel.pipeline().addFirst("optik.socketGate", handler);
        }
    }

    private void closed(String reason) {
        closes.get(reason).increment();
    }

    private final class Handler extends ChannelDuplexHandler {

        private InetAddress address;
        private ScheduledFuture<?> deadline;
        private boolean refused;

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            if (ctx.channel().remoteAddress() instanceof InetSocketAddress remote && remote.getAddress() != null) {
                if (!perAddress.tryOpen(remote.getAddress())) {
                    closed("address-limit");
                    refuse(ctx, Refusal.ADDRESS_LIMIT, List.of(), null);
                    return; // the rest of the pipeline never hears of it
                }
                address = remote.getAddress();
                ctx.channel().closeFuture().addListener(f -> perAddress.closed(address));
            }
            arm(ctx);
            super.channelActive(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (refused) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (msg instanceof HttpRequest request) {
                disarm();
                Refusal bad = check(request);
                if (bad != null) {
                    ReferenceCountUtil.release(msg);
                    closed("bad-request");
                    refuse(ctx, bad, RefusalProblems.languages(request.headers().get(HttpHeaderNames.ACCEPT_LANGUAGE)),
                            request.decoderResult().isFailure() ? null : request.uri());
                    return;
                }
            }
            super.channelRead(ctx, msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (msg instanceof HttpResponse response && response.status().code() == 200 && response.headers()
                    .get(HttpHeaderNames.CONTENT_TYPE, "").startsWith("text/event-stream")) {
                // A stream: its request is in, it is exempt from the deadline, and its many writes
                // should not pass one more handler each. Its address stays counted until it closes.
                super.write(ctx, msg, promise);
                ctx.pipeline().remove(this);
                return;
            }
            if (msg instanceof LastHttpContent && !refused) {
                // A response ended: the next request on this keep-alive connection has its own deadline.
                promise = promise.unvoid();
                promise.addListener(f -> arm(ctx));
            }
            super.write(ctx, msg, promise);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            disarm();
            if (!refused) {
                super.channelInactive(ctx);
            }
        }

        private void arm(ChannelHandlerContext ctx) {
            if (headerTimeoutNanos <= 0 || !ctx.channel().isActive()) {
                return;
            }
            disarm();
            deadline = ctx.executor().schedule(() -> {
                closed("header-timeout");
                ctx.close();
            }, headerTimeoutNanos, TimeUnit.NANOSECONDS);
        }

        private void disarm() {
            if (deadline != null) {
                deadline.cancel(false);
                deadline = null;
            }
        }

        private void refuse(ChannelHandlerContext ctx, Refusal refusal, List<Locale.LanguageRange> languages,
                String path) {
            refused = true;
            disarm();
            byte[] json = problems.body(refusal, null, languages, path);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(refusal.status().value()), Unpooled.wrappedBuffer(json));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, json.length)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            if (refusal.retryAfterSeconds() != null) {
                response.headers().set(HttpHeaderNames.RETRY_AFTER, refusal.retryAfterSeconds());
            }
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** What is wrong with a request's head, or null if nothing the codec or a URI parser can tell. */
    static Refusal check(HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            if (cause instanceof TooLongHttpHeaderException) {
                return Refusal.HEADERS_TOO_LARGE;
            }
            if (cause instanceof TooLongHttpLineException) {
                return Refusal.URI_TOO_LONG;
            }
            return cause instanceof TooLongFrameException ? Refusal.HEADERS_TOO_LARGE : Refusal.BAD_REQUEST;
        }
        try {
            new URI(request.uri());
            return null;
        } catch (URISyntaxException e) {
            return Refusal.BAD_ENCODING;
        }
    }
}
