package id.optikmelati.loadtest;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.sse;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.List;

/**
 * A reconnect storm: many screens connected; all drop at once, sales happen meanwhile, and all come
 * back within a few seconds with their Last-Event-ID. Each must resume exactly after the last
 * event it saw (its first message after the reconnect is the next seq of its branch: the dashboard
 * shows a kasir every event of the branch) and never get a reset.
 *
 * <p>-Dscreens (200) -Dspread (3 s: the reconnects spread over this) -Dbase.url / -Drealtime.url
 */
public class ReconnectStormSimulation extends Simulation {

    final Target target = Target.get();
    final List<Accounts.Session> accounts = Accounts.sessions(target.baseUrl);
    final int screens = Target.intProp("screens", 200);
    final Duration spread = Duration.ofSeconds(Target.intProp("spread", 3));
    final HttpProtocolBuilder protocol = http.baseUrl(target.baseUrl).acceptHeader("application/json")
            .contentTypeHeader("application/json").shareConnections();

    /** The cursor id of a kasir's single-branch view is "branch:seq". */
    static String nextId(String lastId) {
        int colon = lastId.indexOf(':');
        return lastId.substring(0, colon + 1) + (Long.parseLong(lastId.substring(colon + 1)) + 1);
    }

    final ScenarioBuilder screen = scenario("Screens")
            .feed(Shop.accounts(accounts))
            .exec(sse("connect").get(target.realtimeUrl + "/realtime/dashboard")
                    .header("Authorization", "Bearer #{token}")
                    .await(Duration.ofSeconds(30)).on(sse.checkMessage("the first message (today's omset)")
                            .matching(jsonPath("$.event").is("omset"))
                            .check(jsonPath("$.id").saveAs("lastId"))))
            .exec(sse("connect").close())
            .pause(Duration.ofSeconds(4)) // all away while the cashiers sell
            .pause(Duration.ZERO, spread)
            .exec(session -> session.set("expectedId", nextId(session.getString("lastId"))))
            // the id as a query parameter, as the web UI sends it (Gatling manages the header itself)
            .exec(sse("reconnect").get(target.realtimeUrl + "/realtime/dashboard?lastEventId=#{lastId}")
                    .header("Authorization", "Bearer #{token}")
                    .await(Duration.ofSeconds(30)).on(sse.checkMessage("the next event, no gap, no reset")
                            .matching(jsonPath("$.id").exists())
                            .check(jsonPath("$.id").isEL("#{expectedId}"), jsonPath("$.event").not("reset"))))
            .exec(sse("reconnect").close());

    final ScenarioBuilder cashier = scenario("Cashiers")
            .feed(Shop.accounts(accounts))
            .exec(Shop.products())
            .repeat(60).on(exec(Shop.sale()).pause(Duration.ofMillis(200)));

    {
        Accounts.requireRoomFor(screens, accounts);
        setUp(screen.injectOpen(atOnceUsers(screens)), cashier.injectOpen(atOnceUsers(3)))
                .protocols(protocol)
                .assertions(global().failedRequests().count().is(0L));
    }
}
